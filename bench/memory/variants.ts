// What-if runs behind the proposed recall fixes, on exactly the memories the shipped recall saw
// (nothing in lib/ changes). recallMemories is re-implemented here with the knobs it hard-codes:
//
// - stopwords: English stopwords ("what", "have", "the", …) no longer count as word overlap. As
//   shipped, any 3+-letter word in common ranks a memory in the lexical list *and* lets it past the
//   similarity threshold, so stored questions ("What's a good name for a bakery?") ride along with
//   every "What …?" question.
// - stem: a light suffix stemmer, so "live" / "lives" / "living" and "pet" / "pets" match.
// - minSimilarity: the vector threshold (0.3 as shipped).
// - skipQuestions: memories that are questions to the assistant are not there (simulates raw
//   learning that keeps only statements; see the proposed diff to lib/memory/learn.ts).
// - preferNewer: a recalled memory that a newer recalled memory is this close to (cosine ≥ τ) is
//   ranked after it — a recency heuristic for raw mode's stale facts.
//
// The first variant re-implements recallMemories as shipped; the benchmark checks it returns the
// same memories, in the same order, as the real call.
import { stem } from "@/lib/memory/words";
import { cosineSimilarity } from "@/lib/vector-codec";

/** PostgreSQL's english.stop, as bench/rag/variants.ts uses (copied: the two benchmarks stay independent). */
export const STOPWORDS = new Set(
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their " +
    "theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the " +
    "and but if or because as until while of at by for with about against between into through during before after above below to from up down in " +
    "out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only " +
    "own same so than too very s t can will just don should now").split(" "),
);

export interface RecallVariant {
  name: string;
  stopwords: boolean;
  stem: boolean;
  minSimilarity: number;
  skipQuestions: boolean;
  preferNewer: number | null;
}

const base: RecallVariant = { name: "shipped", stopwords: false, stem: false, minSimilarity: 0.3, skipQuestions: false, preferNewer: null };
export const VARIANTS: RecallVariant[] = [
  base,
  { ...base, name: "stopwords", stopwords: true },
  { ...base, name: "stopwords+stem", stopwords: true, stem: true },
  { ...base, name: "stopwords+stem, min 0.25", stopwords: true, stem: true, minSimilarity: 0.25 },
  { ...base, name: "stopwords+stem, min 0.2", stopwords: true, stem: true, minSimilarity: 0.2 },
  { ...base, name: "no stored questions", skipQuestions: true },
  { ...base, name: "stopwords+stem+no questions", stopwords: true, stem: true, skipQuestions: true },
  { ...base, name: "stopwords+stem+no questions, min 0.25", stopwords: true, stem: true, skipQuestions: true, minSimilarity: 0.25 },
  { ...base, name: "stopwords+stem+no questions, min 0.2", stopwords: true, stem: true, skipQuestions: true, minSimilarity: 0.2 },
  { ...base, name: "… min 0.25 + prefer newer (τ 0.5)", stopwords: true, stem: true, skipQuestions: true, minSimilarity: 0.25, preferNewer: 0.5 },
  { ...base, name: "… min 0.25 + prefer newer (τ 0.4)", stopwords: true, stem: true, skipQuestions: true, minSimilarity: 0.25, preferNewer: 0.4 },
];

export interface VariantRow {
  id: string;
  content: string;
  vector: Float32Array | null;
  updatedAt: Date;
}

const RRF_K = 60; // lib/rag/retrieve.ts

function words(s: string, v: RecallVariant): Set<string> {
  let ws: string[] = s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  if (v.stopwords) ws = ws.filter((w) => !STOPWORDS.has(w));
  if (v.stem) ws = ws.map(stem);
  return new Set(ws);
}

/** recallMemories with the variant's knobs. `rows` as recallMemories loads them (updatedAt desc). */
export function recallVariant(rows: VariantRow[], query: string, q: Float32Array, v: RecallVariant, k = 5): { id: string; content: string; similarity: number }[] {
  if (v.skipQuestions) rows = rows.filter((r) => !r.content.trim().endsWith("?"));
  if (rows.length === 0 || !query.trim()) return [];
  const qWords = words(query, v);
  const scored = rows.map((r) => {
    const w = words(r.content, v);
    let overlap = 0;
    for (const x of qWords) if (w.has(x)) overlap += 1;
    return { ...r, similarity: r.vector ? cosineSimilarity(q, r.vector) : 0, overlap };
  });
  const byVector = [...scored].sort((a, b) => b.similarity - a.similarity);
  const byWords = scored.filter((s) => s.overlap > 0).sort((a, b) => b.overlap - a.overlap);
  const fused = new Map<string, number>();
  for (const list of [byVector, byWords]) list.forEach((s, i) => fused.set(s.id, (fused.get(s.id) ?? 0) + 1 / (RRF_K + i + 1)));
  let ranked = scored.filter((s) => s.similarity >= v.minSimilarity || s.overlap > 0).sort((a, b) => (fused.get(b.id) ?? 0) - (fused.get(a.id) ?? 0));
  if (v.preferNewer !== null) {
    // Move each memory after the first newer candidate it nearly repeats (same topic, said later).
    const tau = v.preferNewer;
    type S = (typeof ranked)[number];
    const out: S[] = [];
    const held = new Map<string, S[]>();
    const push = (s: S) => {
      out.push(s);
      const after = held.get(s.id) ?? [];
      held.delete(s.id);
      for (const h of after) push(h);
    };
    const pool = ranked.slice(0, k * 3);
    for (const s of pool) {
      const newer = pool.find((n) => n.updatedAt > s.updatedAt && !out.includes(n) && n.vector && s.vector && cosineSimilarity(n.vector, s.vector) >= tau);
      if (newer) held.set(newer.id, [...(held.get(newer.id) ?? []), s]);
      else push(s);
    }
    ranked = [...out, ...[...held.values()].flat(), ...ranked.slice(k * 3)];
  }
  return ranked.slice(0, k).map((s) => ({ id: s.id, content: s.content, similarity: Math.round(Math.max(0, Math.min(1, s.similarity)) * 1e6) / 1e6 }));
}
