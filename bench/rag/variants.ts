// BENCH_RAG_VARIANTS=1: what-if runs behind the proposed fixes, on the data the benchmark already
// loaded (nothing in lib/ changes). Fusion is re-implemented here with the knobs retrieve() hard-codes
// (RRF k, candidate depth) and with other lexical indexes, built in the throwaway database:
//
// - "heading+content": the lexical index covers the heading path too, as the embedding does
//   (lib/rag/ingest.ts embeds `${heading}\n${content}`). lib/rag/store.ts ships this since these runs;
//   the variant stays as the reference it was measured against.
//   SQLite: a second FTS5 table; PostgreSQL: a side table with a stored tsvector and a GIN index.
// - "no stopwords": English stopwords dropped from the OR query (PostgreSQL's to_tsquery already does).
//
// The first row re-implements retrieve() as shipped; it must reproduce its hybrid numbers.
import type Database from "better-sqlite3";
import type pg from "pg";
import type { Question } from "./corpus";

/** PostgreSQL's english.stop (tsearch_data), so both dialects drop the same words. */
export const STOPWORDS = new Set(
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their " +
    "theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the " +
    "and but if or because as until while of at by for with about against between into through during before after above below to from up down in " +
    "out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only " +
    "own same so than too very s t can will just don should now").split(" "),
);

/** lib/rag/store.ts terms(), optionally without stopwords. */
export function terms(query: string, dropStopwords = false): string[] {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].slice(0, 32);
  return dropStopwords ? words.filter((w) => !STOPWORDS.has(w)) : words;
}

export type Hit = { chunkId: string; rank: number };

export interface VariantLib {
  dialect: "sqlite" | "postgres";
  rawSqlite: () => Database.Database;
  rawPg: () => pg.Pool;
  vectorSearch: (projectId: string, vector: Float32Array, k: number) => Promise<Hit[]>;
  lexicalSearch: (projectId: string, query: string, k: number) => Promise<Hit[]>;
}

// ---------------------------------------------------------------------------- heading+content index

/** (Re)builds the heading+content lexical side index over every chunk in the database. */
export async function buildHeadingIndex(lib: VariantLib): Promise<void> {
  if (lib.dialect === "sqlite") {
    const db = lib.rawSqlite();
    db.exec(`DROP TABLE IF EXISTS bench_fts; CREATE VIRTUAL TABLE bench_fts USING fts5(content, chunk_id UNINDEXED, project_id UNINDEXED, tokenize = 'porter unicode61')`);
    db.exec(`INSERT INTO bench_fts (content, chunk_id, project_id) SELECT coalesce("heading" || char(10), '') || "content", "id", "projectId" FROM "chunks"`);
    return;
  }
  const c = lib.rawPg();
  await c.query(`DROP TABLE IF EXISTS bench_chunk_fts`);
  await c.query(`CREATE TABLE bench_chunk_fts (chunk_id text PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE, project_id text NOT NULL, document_id text NOT NULL, tsv tsvector NOT NULL)`);
  await c.query(`INSERT INTO bench_chunk_fts SELECT "id", "projectId", "documentId", to_tsvector('english', coalesce("heading" || E'\\n', '') || "content") FROM "chunks"`);
  await c.query(`CREATE INDEX bench_chunk_fts_tsv_idx ON bench_chunk_fts USING gin (tsv)`);
  await c.query(`CREATE INDEX bench_chunk_fts_project_idx ON bench_chunk_fts (project_id)`);
  await c.query(`ANALYZE bench_chunk_fts`);
}

/** Lexical search over the heading+content side index, as store.ts would run it. */
export async function headingLexicalSearch(lib: VariantLib, projectId: string, query: string, k: number, dropStopwords = false): Promise<Hit[]> {
  const words = terms(query, dropStopwords);
  if (words.length === 0) return [];
  if (lib.dialect === "sqlite") {
    const rows = lib
      .rawSqlite()
      .prepare(`SELECT chunk_id FROM bench_fts WHERE bench_fts MATCH ? AND project_id = ? ORDER BY bm25(bench_fts) LIMIT ?`)
      .all(words.map((w) => `"${w}"`).join(" OR "), projectId, k) as { chunk_id: string }[];
    return rows.map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
  }
  const { rows } = await lib
    .rawPg()
    .query(`SELECT chunk_id FROM bench_chunk_fts WHERE tsv @@ to_tsquery('english', $1) AND project_id = $2 ORDER BY ts_rank(tsv, to_tsquery('english', $1)) DESC LIMIT $3`, [
      words.join(" | "),
      projectId,
      k,
    ]);
  return (rows as { chunk_id: string }[]).map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
}

/** store.ts lexicalSearch on the shipped index, without stopwords (SQLite; on PostgreSQL to_tsquery drops them anyway). */
export async function noStopwordsLexicalSearch(lib: VariantLib, projectId: string, query: string, k: number): Promise<Hit[]> {
  if (lib.dialect === "postgres") return lib.lexicalSearch(projectId, query, k);
  const words = terms(query, true);
  if (words.length === 0) return [];
  const db = lib.rawSqlite();
  // chunk_fts2 since the heading-path lexical index (chunk_fts before it).
  const table = db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('chunk_fts2', 'chunk_fts') ORDER BY name DESC LIMIT 1`).pluck().get() as string;
  const rows = db
    .prepare(`SELECT chunk_id FROM ${table} WHERE ${table} MATCH ? AND project_id = ? ORDER BY bm25(${table}) LIMIT ?`)
    .all(words.map((w) => `"${w}"`).join(" OR "), projectId, k) as { chunk_id: string }[];
  return rows.map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
}

// ---------------------------------------------------------------------------- quality what-ifs

export interface VariantRow {
  name: string;
  rrfK: number;
  depth: number;
  lexical: string;
  hybrid: { recall5: number; mrr5: number };
  paraphraseRecall5: number;
  headingOnlyRecall5: number;
  lexicalOnlyRecall5: number;
}

type LexicalIndex = "content" | "content, no stopwords" | "heading+content" | "heading+content, no stopwords";

export async function qualityVariants(
  lib: VariantLib,
  projectId: string,
  questions: Question[],
  relevant: (qi: number) => Set<string>,
  queryVectors: Float32Array[],
  chunkVectors: Map<string, Float32Array>,
): Promise<VariantRow[]> {
  await buildHeadingIndex(lib);
  // Fetched at each depth rather than cut from the deepest list: PostgreSQL's ts_rank has many ties,
  // and which of the tied rows come first depends on the LIMIT (top-N sort).
  const DEPTHS = [20, 50, 100];
  const vectorHits = new Map<number, Hit[][]>();
  const lexicalHits = new Map<string, Hit[][]>();
  const lexicalSearches: Record<LexicalIndex, (q: string, k: number) => Promise<Hit[]>> = {
    content: (q, k) => lib.lexicalSearch(projectId, q, k),
    "content, no stopwords": (q, k) => noStopwordsLexicalSearch(lib, projectId, q, k),
    "heading+content": (q, k) => headingLexicalSearch(lib, projectId, q, k),
    "heading+content, no stopwords": (q, k) => headingLexicalSearch(lib, projectId, q, k, true),
  };
  for (const depth of DEPTHS) {
    const v: Hit[][] = [];
    for (const [i] of questions.entries()) v.push(await lib.vectorSearch(projectId, queryVectors[i]!, depth));
    vectorHits.set(depth, v);
    for (const [name, search] of Object.entries(lexicalSearches)) {
      const l: Hit[][] = [];
      for (const q of questions) l.push(await search(q.query, depth));
      lexicalHits.set(`${name}@${depth}`, l);
    }
  }
  const cos = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return Math.max(0, s);
  };
  const evaluate = (name: string, rrfK: number, depth: number, lexical: LexicalIndex): VariantRow => {
    const firstRank = (qi: number, ranked: string[]) => {
      const at = ranked.slice(0, 5).findIndex((id) => relevant(qi).has(id));
      return at >= 0 ? at + 1 : null;
    };
    const hybridRanks = questions.map((_, qi) => {
      const scores = new Map<string, number>();
      for (const list of [vectorHits.get(depth)![qi]!, lexicalHits.get(`${lexical}@${depth}`)![qi]!]) {
        for (const h of list) scores.set(h.chunkId, (scores.get(h.chunkId) ?? 0) + 1 / (rrfK + h.rank));
      }
      const sim = (id: string) => cos(queryVectors[qi]!, chunkVectors.get(id)!);
      const ranked = [...scores.keys()].sort((a, b) => scores.get(b)! - scores.get(a)! || sim(b) - sim(a));
      return firstRank(qi, ranked);
    });
    // Lexical-only as retrieve() does it: the top 5 of the depth-20 list.
    const lexRanks = questions.map((_, qi) => firstRank(qi, lexicalHits.get(`${lexical}@20`)![qi]!.map((h) => h.chunkId)));
    const recall = (rs: (number | null)[], keep: (q: Question) => boolean) => {
      const idx = questions.flatMap((q, i) => (keep(q) ? [i] : []));
      return idx.filter((i) => rs[i] !== null).length / idx.length;
    };
    return {
      name,
      rrfK,
      depth,
      lexical,
      hybrid: { recall5: recall(hybridRanks, () => true), mrr5: hybridRanks.reduce<number>((s, r) => s + (r ? 1 / r : 0), 0) / questions.length },
      paraphraseRecall5: recall(hybridRanks, (q) => q.kind === "paraphrase"),
      headingOnlyRecall5: recall(hybridRanks, (q) => !q.named),
      lexicalOnlyRecall5: recall(lexRanks, () => true),
    };
  };
  return [
    evaluate("as shipped (re-implemented)", 60, 20, "content"),
    evaluate("candidate depth 50", 60, 50, "content"),
    evaluate("candidate depth 100", 60, 100, "content"),
    evaluate("RRF k = 10", 10, 20, "content"),
    evaluate("RRF k = 200", 200, 20, "content"),
    evaluate("lexical without stopwords", 60, 20, "content, no stopwords"),
    evaluate("lexical over heading+content", 60, 20, "heading+content"),
    evaluate("heading+content, no stopwords", 60, 20, "heading+content, no stopwords"),
    evaluate("heading+content, no stopwords, depth 50", 60, 50, "heading+content, no stopwords"),
  ];
}

// ---------------------------------------------------------------------------- latency what-ifs

export interface LexicalLatency {
  name: string;
  p50: number;
  p99: number;
  meanHits: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Lexical search as shipped vs the proposed index/query, interleaved query by query (same load, same cache state). */
export async function lexicalLatencyVariants(lib: VariantLib, projectId: string, queries: string[], samples: number, depth: number): Promise<LexicalLatency[]> {
  await buildHeadingIndex(lib);
  type Variant = [string, (q: string) => Promise<Hit[]>];
  const variants: Variant[] = [["as shipped", (q) => lib.lexicalSearch(projectId, q, depth)]];
  if (lib.dialect === "sqlite") variants.push(["chunk_fts, no stopwords", (q) => noStopwordsLexicalSearch(lib, projectId, q, depth)]);
  variants.push([
    lib.dialect === "sqlite" ? "heading+content FTS5, no stopwords" : "side table, stored tsvector (heading+content)",
    (q) => headingLexicalSearch(lib, projectId, q, depth, true),
  ]);
  for (const q of queries.slice(0, 10)) for (const [, run] of variants) await run(q);
  const times = variants.map(() => [] as number[]);
  const hits = variants.map(() => 0);
  for (let i = 0; i < samples; i++) {
    const q = queries[i % queries.length]!;
    for (const [v, [, run]] of variants.entries()) {
      const t = performance.now();
      hits[v]! += (await run(q)).length;
      times[v]!.push(performance.now() - t);
    }
  }
  return variants.map(([name], v) => ({ name, p50: percentile(times[v]!, 50), p99: percentile(times[v]!, 99), meanHits: hits[v]! / samples }));
}
