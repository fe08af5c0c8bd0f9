// Agent memory per (project, end user): facts kept as rows with an embedding, recalled by the same
// hybrid idea as RAG (vector + lexical, fused by reciprocal rank). A user's memories are few, so
// recall scores them all in memory instead of keeping a second vector index.
import { db } from "../db";
import { embedLocal } from "../rag/embeddings/local";
import { reciprocalRankFusion } from "../rag/retrieve";
import { bufferToVector, cosineSimilarity, vectorToBuffer } from "../vector-codec";
import { hasCjk } from "../text/segment";
import { wellFormedText } from "../well-formed";
import { attributeWords } from "./supersede";
import { contentWords } from "./words";

/** Content words plus the attributes stated or asked about ("@city"): a question and its answer often share no word. */
function recallWords(text: string, question: boolean): Set<string> {
  const w = contentWords(text);
  for (const a of attributeWords(text, question)) w.add(a);
  return w;
}

// A memory's words depend on its text alone, and every recall reads the same rows again: segmenting
// Chinese costs ~30 ms per 1,000 rows (Intl.Segmenter), the attribute patterns ~4 ms per 1,000
// English ones. Kept per text, oldest dropped first; never mutated by callers.
const WORD_CACHE_MAX = 20_000;
const wordCache = new Map<string, Set<string>>();
function memoryWords(content: string): Set<string> {
  let w = wordCache.get(content);
  if (!w) {
    w = recallWords(content, false);
    if (wordCache.size >= WORD_CACHE_MAX) wordCache.delete(wordCache.keys().next().value!);
    wordCache.set(content, w);
  }
  return w;
}

export interface RecalledMemory {
  id: string;
  content: string;
  similarity: number;
}

const MAX_SCANNED = 2_000;
/** Prisma's Bytes fields want a Uint8Array over a plain ArrayBuffer. */
const bytes = (v: Float32Array) => new Uint8Array(vectorToBuffer(v));
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
  const qWords = recallWords(query, true);
  // The local model reads no Chinese or Japanese: every such text embeds to nearly the same vector
  // (cosine ≈ 0.72 between any two, bench:memory), which let every memory past the threshold. Where
  // either side has CJK, the words alone decide.
  const qReadable = !hasCjk(query);
  const scored = rows.map((r) => {
    const w = memoryWords(r.content);
    let overlap = 0;
    for (const x of qWords) if (w.has(x)) overlap += 1;
    const readable = qReadable && !hasCjk(r.content);
    return { id: r.id, content: r.content, similarity: r.embedding ? cosineSimilarity(q!, bufferToVector(r.embedding)) : 0, overlap, readable };
  });
  const byVector = scored
    .filter((s) => s.readable)
    .sort((a, b) => b.similarity - a.similarity)
    .map((s, i) => ({ chunkId: s.id, rank: i + 1 }));
  const byWords = scored.filter((s) => s.overlap > 0).sort((a, b) => b.overlap - a.overlap).map((s, i) => ({ chunkId: s.id, rank: i + 1 }));
  const fused = reciprocalRankFusion([byVector, byWords]);
  return scored
    .filter((s) => (s.readable && s.similarity >= minSimilarity) || s.overlap > 0)
    .sort((a, b) => (fused.get(b.id) ?? 0) - (fused.get(a.id) ?? 0))
    .slice(0, k)
    .map((s) => ({ id: s.id, content: s.content, similarity: Math.round(Math.max(0, Math.min(1, s.similarity)) * 1e6) / 1e6 }));
}

/** `embedded`: the content's vector when the caller has it already (raw learning embeds once). */
export async function addMemory(raw: { orgId: string; projectId: string; userId: string; content: string; sourceAuditId: string | null }, embedded?: Float32Array) {
  // A user's words may carry NUL or lone surrogates, which PostgreSQL refuses (lib/well-formed.ts).
  const input = { ...raw, userId: wellFormedText(raw.userId), content: wellFormedText(raw.content) };
  const vector = embedded ?? (await embedLocal([input.content]))[0];
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

/** Raw mode: what is left of a statement once a later one corrected part of it (a "supersede" event, before → after). */
export async function trimMemory(id: string, rawRest: string, auditLogId: string | null) {
  const rest = wellFormedText(rawRest);
  const [vector] = await embedLocal([rest]);
  return db().$transaction(async (tx) => {
    const before = await tx.memory.findUniqueOrThrow({ where: { id } });
    const memory = await tx.memory.update({ where: { id }, data: { content: rest, embedding: bytes(vector!) } });
    await tx.memoryEvent.create({ data: { memoryId: id, action: "supersede", before: before.content, after: rest, auditLogId } });
    return memory;
  });
}

/**
 * Raw mode: a new statement replaces the user's memories it supersedes (lib/memory/supersede.ts).
 * The first of `ids` is rewritten in place with a "supersede" event (before = the old statement),
 * so the row keeps its history and the old text is never recalled again; any further ones (one
 * statement can correct two: "I'm now a doctor in Glasgow") are folded into it: their text is
 * recorded as another "supersede" event on the kept row, then they are deleted.
 */
export async function supersedeMemories(ids: string[], rawContent: string, vector: Float32Array, auditLogId: string | null) {
  const content = wellFormedText(rawContent);
  const [keep, ...fold] = ids;
  if (!keep) throw new Error("supersedeMemories needs at least one memory id");
  return db().$transaction(async (tx) => {
    const before = await tx.memory.findUniqueOrThrow({ where: { id: keep } });
    const others = await tx.memory.findMany({ where: { id: { in: fold }, projectId: before.projectId, userId: before.userId }, select: { id: true, content: true } });
    for (const o of others) await tx.memoryEvent.create({ data: { memoryId: keep, action: "supersede", before: o.content, after: content, auditLogId } });
    if (others.length > 0) await tx.memory.deleteMany({ where: { id: { in: others.map((o) => o.id) } } });
    const memory = await tx.memory.update({ where: { id: keep }, data: { content, embedding: bytes(vector), sourceAuditId: auditLogId } });
    await tx.memoryEvent.create({ data: { memoryId: keep, action: "supersede", before: before.content, after: content, auditLogId } });
    return memory;
  });
}
