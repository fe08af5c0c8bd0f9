// Agent memory per (project, end user): facts kept as rows with an embedding, recalled by the same
// hybrid idea as RAG (vector + lexical, fused by reciprocal rank). A user's memories are few, so
// recall scores them all in memory instead of keeping a second vector index.
import { db } from "../db";
import { embedLocal } from "../rag/embeddings/local";
import { reciprocalRankFusion } from "../rag/retrieve";
import { bufferToVector, cosineSimilarity, vectorToBuffer } from "../rag/vector/codec";
import { wellFormedText } from "../well-formed";

export interface RecalledMemory {
  id: string;
  content: string;
  similarity: number;
}

const MAX_SCANNED = 2_000;
/** Prisma's Bytes fields want a Uint8Array over a plain ArrayBuffer. */
const bytes = (v: Float32Array) => new Uint8Array(vectorToBuffer(v));
// Words that say nothing about a fact ("what", "have", "the"): counted as overlap, they ranked stored
// questions and small talk for every "What …?" and let them past the similarity threshold
// (bench:memory: 59% of raw-mode injections were such noise). PostgreSQL's english.stop.
const STOPWORDS = new Set(
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their " +
    "theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the " +
    "and but if or because as until while of at by for with about against between into through during before after above below to from up down in " +
    "out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only " +
    "own same so than too very s t can will just don should now").split(" "),
);
/** One common English suffix off (and a final "e"), so "live" / "lives" / "living" and "pet" / "pets" match. */
function stem(w: string): string {
  for (const suffix of ["ing", "ies", "es", "ed", "s"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = suffix === "ies" ? `${w.slice(0, -3)}y` : w.slice(0, -suffix.length);
      break;
    }
  }
  return w.length > 3 && w.endsWith("e") ? w.slice(0, -1) : w;
}
const words = (s: string) => new Set((s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => !STOPWORDS.has(w)).map(stem));

// 0.25, not 0.3: short notes a memory model writes ("Lives in Berlin") score 0.25–0.3 against the
// question they answer ("Which city do I live in?") with the local model; at 0.3 bench:memory got
// nothing at all injected for 10 of 46 questions in model mode.
export async function recallMemories(projectId: string, userId: string, query: string, k = 5, minSimilarity = 0.25): Promise<RecalledMemory[]> {
  const rows = await db().memory.findMany({
    where: { projectId, userId },
    orderBy: { updatedAt: "desc" },
    take: MAX_SCANNED,
    select: { id: true, content: true, embedding: true },
  });
  if (rows.length === 0 || !query.trim()) return [];
  const [q] = await embedLocal([query.trim()], projectId);
  const qWords = words(query);
  const scored = rows.map((r) => {
    const w = words(r.content);
    let overlap = 0;
    for (const x of qWords) if (w.has(x)) overlap += 1;
    return { id: r.id, content: r.content, similarity: r.embedding ? cosineSimilarity(q!, bufferToVector(r.embedding)) : 0, overlap };
  });
  const byVector = [...scored].sort((a, b) => b.similarity - a.similarity).map((s, i) => ({ chunkId: s.id, rank: i + 1 }));
  const byWords = scored.filter((s) => s.overlap > 0).sort((a, b) => b.overlap - a.overlap).map((s, i) => ({ chunkId: s.id, rank: i + 1 }));
  const fused = reciprocalRankFusion([byVector, byWords]);
  return scored
    .filter((s) => s.similarity >= minSimilarity || s.overlap > 0)
    .sort((a, b) => (fused.get(b.id) ?? 0) - (fused.get(a.id) ?? 0))
    .slice(0, k)
    .map((s) => ({ id: s.id, content: s.content, similarity: Math.round(Math.max(0, Math.min(1, s.similarity)) * 1e6) / 1e6 }));
}

export async function addMemory(raw: { orgId: string; projectId: string; userId: string; content: string; sourceAuditId: string | null }) {
  // A user's words may carry NUL or lone surrogates, which PostgreSQL refuses (lib/well-formed.ts).
  const input = { ...raw, userId: wellFormedText(raw.userId), content: wellFormedText(raw.content) };
  const [vector] = await embedLocal([input.content]);
  return db().$transaction(async (tx) => {
    const memory = await tx.memory.create({
      data: { ...input, embedding: bytes(vector!) },
    });
    await tx.memoryEvent.create({ data: { memoryId: memory.id, action: "add", before: null, after: input.content, auditLogId: input.sourceAuditId } });
    return memory;
  });
}

export async function updateMemory(id: string, rawContent: string, auditLogId: string | null) {
  const content = wellFormedText(rawContent);
  const [vector] = await embedLocal([content]);
  return db().$transaction(async (tx) => {
    const before = await tx.memory.findUniqueOrThrow({ where: { id } });
    const memory = await tx.memory.update({ where: { id }, data: { content, embedding: bytes(vector!) } });
    await tx.memoryEvent.create({ data: { memoryId: id, action: "update", before: before.content, after: content, auditLogId } });
    return memory;
  });
}
