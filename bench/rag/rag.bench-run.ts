// `npm run bench:rag`: retrieval quality and latency of lib/rag on SQLite (sqlite-vec + FTS5) and
// PostgreSQL (pgvector + full text), through the real pipeline pieces: chunkBlocks → embedLocal →
// commitDocumentChunks → retrieve(). Prints two tables and writes bench/results/rag.json.
//
// 1. Quality: a generated corpus of 80 product manuals (1,040 one-section chunks) and 160 labelled
//    questions (./corpus.ts), embedded once with the offline model and committed to a fresh SQLite
//    file and a fresh PostgreSQL database; recall@5 and MRR@5 for mode = vector, lexical, hybrid.
//    Checks (and prints; it does not fail the run) the acceptance criterion: hybrid recall@5 ≥
//    vector-only and ≥ lexical-only.
// 1b. Multilingual quality (./multilingual.ts): 38 English / zh-Hant / zh-Hans manuals, store policies
//    and distractors, 135 questions by kind (lexical, confusable, numeric, paraphrase, cross-lingual)
//    and language; passage and document recall@5 of retrieve() (hybrid, as the gateway calls it),
//    overall for vector-only and lexical-only too.
// 2. Latency: p50/p99 of retrieve() end to end (hybrid, top 5) and of its parts (query embedding,
//    vector search, lexical search, the chunk-rows query) over 10k synthetic chunks, and 100k with
//    BENCH_RAG_LARGE=1 (~5 min in all; it was 20–25 min before the retrieval fix below).
//    Synthetic chunks get text drawn from the corpus vocabulary and vectors near the real chunk
//    embeddings (BENCH_RAG_VECTORS=uniform for uniformly random unit vectors); queries are the real
//    questions, embedded by the real model. They are committed with commitDocumentChunks in
//    documents of 100 chunks; on PostgreSQL the HNSW index is dropped during the load and rebuilt
//    after it (as a bulk import would), then ANALYZE runs.
//
// What the findings of this benchmark led to (lib/rag/store.ts, retrieve.ts; once a diff measured
// here): index the heading path lexically, a stored tsvector on PostgreSQL, no stopwords in the FTS5
// query, no document_id scans when committing a new document on SQLite, chunk rows fetched by id.
//
// Environment: BENCH_RAG_DIALECTS=sqlite,postgres  BENCH_RAG_LARGE=1  BENCH_RAG_SAMPLES=200
//              BENCH_RAG_SETS=generated,multilingual (the labelled sets to run)  BENCH_RAG_LATENCY=0 (skip part 2)
//              BENCH_RAG_MISSES=1 (print the multilingual questions whose passage hybrid retrieval missed)
//              BENCH_RAG_VARIANTS=1 (also the what-ifs of ./variants.ts: RRF k, depth, lexical index)
//              BENCH_RAG_PG=postgresql://postgres@127.0.0.1:5432/postgres (databases are created and dropped there)
// Timing is never asserted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { it, vi } from "vitest";
import { migrate } from "../../scripts/migrate.mjs";
import { qualityCorpus, rng, SECTIONS_PER_DOC, syntheticChunk, vocabulary, type Question } from "./corpus";
import { ML_KINDS, ML_LANGS, multilingualCorpus, type MlCorpus, type MlQuestion } from "./multilingual";
import { lexicalLatencyVariants, qualityVariants, type LexicalLatency, type VariantLib, type VariantRow } from "./variants";

const root = path.resolve(import.meta.dirname, "../..");
const DIALECTS = (process.env.BENCH_RAG_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim()).filter((d): d is Dialect => d === "sqlite" || d === "postgres");
const LARGE = process.env.BENCH_RAG_LARGE === "1";
const SAMPLES = Number(process.env.BENCH_RAG_SAMPLES ?? 200);
const VARIANTS = process.env.BENCH_RAG_VARIANTS === "1";
const SETS = new Set((process.env.BENCH_RAG_SETS ?? "generated,multilingual").split(",").map((s) => s.trim()));
const LATENCY = process.env.BENCH_RAG_LATENCY !== "0";
const MISSES = process.env.BENCH_RAG_MISSES === "1";
const VECTORS = process.env.BENCH_RAG_VECTORS === "uniform" ? "uniform" : "clustered";
const PG_ADMIN_URL = process.env.BENCH_RAG_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SIZES = LARGE ? [10_000, 100_000] : [10_000];
const TOP_K = 5;
const MODES = ["vector", "lexical", "hybrid"] as const;
const CHUNKS_PER_SYNTHETIC_DOC = 100;

type Dialect = "sqlite" | "postgres";
type Mode = (typeof MODES)[number];

const log = (msg: string) => console.log(`[bench:rag] ${msg}`);
const fmt = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : "—");

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The lib modules, imported after DATABASE_URL is set, fresh per dialect (store.ts creates its indexes once per module instance). */
async function loadLib() {
  const [envM, dbM, rawM, storeM, retrieveM, embM, pgvM] = await Promise.all([
    import("@/lib/env"),
    import("@/lib/db"),
    import("@/lib/db-raw"),
    import("@/lib/rag/store"),
    import("@/lib/rag/retrieve"),
    import("@/lib/rag/embeddings/local"),
    import("@/lib/rag/vector/postgres"),
  ]);
  envM.resetEnvForTests();
  return {
    env: envM.env,
    db: dbM.db,
    disconnectDb: dbM.disconnectDb,
    rawPg: rawM.rawPg,
    rawSqlite: rawM.rawSqlite,
    closeRawDb: rawM.closeRawDb,
    commitDocumentChunks: storeM.commitDocumentChunks,
    ensureRagIndexes: storeM.ensureRagIndexes,
    vectorSearch: storeM.vectorSearch,
    lexicalSearch: storeM.lexicalSearch,
    retrieve: retrieveM.retrieve,
    embedLocal: embM.embedLocal,
    pgVectorTableDdl: pgvM.vectorTableDdl,
  };
}
type Lib = Awaited<ReturnType<typeof loadLib>>;
const variantLib = (lib: Lib): VariantLib => ({ ...lib, dialect: lib.env().dialect });

/** A fresh migrated database of the dialect, with a fresh module graph pointed at it; dropped afterwards. */
async function withDatabase<T>(dialect: Dialect, fn: (lib: Lib, where: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-bench-rag-"));
  let url: string;
  let drop: (() => Promise<void>) | undefined;
  if (dialect === "sqlite") {
    url = `file:${path.join(dataDir, "rag.db")}`;
  } else {
    const name = `vs_bench_rag_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const where = dialect === "sqlite" ? url : `database ${new URL(url).pathname.slice(1)}`;
  log(`${dialect}: ${where} (removed at the end)`);
  let lib: Lib | undefined;
  try {
    process.env.VECSTRUCT_DATA_DIR = dataDir;
    process.env.DATABASE_URL = url;
    await migrate(url, { log: () => {} });
    vi.resetModules();
    lib = await loadLib();
    if (lib.env().dialect !== dialect) throw new Error(`expected ${dialect}, env says ${lib.env().dialect}`);
    return await fn(lib, where);
  } finally {
    await lib?.disconnectDb().catch(() => {});
    await lib?.closeRawDb().catch(() => {});
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function createProject(lib: Lib, name: string) {
  const org = await lib.db().organization.create({ data: { name: `bench ${name}` } });
  const project = await lib.db().project.create({ data: { orgId: org.id, name } });
  return { orgId: org.id, projectId: project.id };
}

async function createDocuments(lib: Lib, p: { orgId: string; projectId: string }, titles: string[], offset = 0): Promise<string[]> {
  const ids = titles.map((_, i) => `doc_bench_${p.projectId}_${offset + i}`);
  for (let i = 0; i < titles.length; i += 500) {
    await lib.db().document.createMany({
      data: titles.slice(i, i + 500).map((title, j) => ({ id: ids[i + j]!, orgId: p.orgId, projectId: p.projectId, title, mimeType: "text/markdown", status: "processing" })),
    });
  }
  return ids;
}

// ---------------------------------------------------------------------------- quality

interface Prepared {
  docs: { title: string; chunks: { ordinal: number; heading: string | null; content: string; tokenCount: number; vector: Float32Array }[] }[];
  questions: Question[];
  vocab: ReturnType<typeof vocabulary>;
}

interface QualityRow {
  dialect: Dialect;
  mode: Mode;
  recall5: number;
  mrr5: number;
  byKind: Record<string, { n: number; recall5: number; mrr5: number }>;
  seconds: number;
}

async function runQuality(lib: Lib, dialect: Dialect, data: Prepared): Promise<{ rows: QualityRow[]; ranks: Record<Mode, (number | null)[]>; variants: VariantRow[] }> {
  const p = await createProject(lib, "rag-quality");
  const docIds = await createDocuments(lib, p, data.docs.map((d) => d.title));
  let t = performance.now();
  for (const [i, d] of data.docs.entries()) await lib.commitDocumentChunks({ id: docIds[i]!, ...p }, d.chunks);
  log(`${dialect}: committed ${data.docs.reduce((n, d) => n + d.chunks.length, 0)} chunks in ${fmt((performance.now() - t) / 1000, 1)} s`);
  const chunkId = new Map((await lib.db().chunk.findMany({ where: { projectId: p.projectId }, select: { id: true, documentId: true, ordinal: true } })).map((c) => [`${c.documentId}:${c.ordinal}`, c.id]));

  const rows: QualityRow[] = [];
  const ranks = {} as Record<Mode, (number | null)[]>;
  for (const mode of MODES) {
    t = performance.now();
    ranks[mode] = [];
    for (const q of data.questions) {
      const relevant = new Set(q.answers.map((a) => chunkId.get(`${docIds[a.doc]}:${a.ordinal}`)));
      const hits = await lib.retrieve({ projectId: p.projectId, query: q.query, topK: TOP_K, mode });
      const at = hits.findIndex((h) => relevant.has(h.chunk_id));
      ranks[mode].push(at >= 0 ? at + 1 : null);
    }
    const score = (filter: (q: Question) => boolean) => {
      const idx = data.questions.flatMap((q, i) => (filter(q) ? [i] : []));
      const r = idx.map((i) => ranks[mode][i]);
      // One answering chunk per question, so recall@5 is the share of questions answered in the top 5.
      return { n: idx.length, recall5: r.filter((x) => x !== null).length / idx.length, mrr5: r.reduce<number>((s, x) => s + (x ? 1 / x : 0), 0) / idx.length };
    };
    const all = score(() => true);
    rows.push({
      dialect,
      mode,
      recall5: all.recall5,
      mrr5: all.mrr5,
      byKind: {
        lexical: score((q) => q.kind === "lexical"),
        paraphrase: score((q) => q.kind === "paraphrase"),
        named: score((q) => q.named),
        headingOnly: score((q) => !q.named),
      },
      seconds: (performance.now() - t) / 1000,
    });
  }
  let variants: VariantRow[] = [];
  if (VARIANTS) {
    const queryVectors = await lib.embedLocal(data.questions.map((q) => q.query));
    const chunkVectors = new Map<string, Float32Array>();
    data.docs.forEach((d, i) => d.chunks.forEach((c) => chunkVectors.set(chunkId.get(`${docIds[i]}:${c.ordinal}`)!, c.vector)));
    const relevant = (qi: number) => new Set(data.questions[qi]!.answers.map((a) => chunkId.get(`${docIds[a.doc]}:${a.ordinal}`)!));
    variants = await qualityVariants(variantLib(lib), p.projectId, data.questions, relevant, queryVectors, chunkVectors);
  }
  return { rows, ranks, variants };
}

// ---------------------------------------------------------------------------- latency

interface LatencyRow {
  dialect: Dialect;
  chunks: number;
  loadSeconds: number;
  samples: number;
  retrieve: { p50: number; p99: number };
  embed: { p50: number; p99: number };
  vector: { p50: number; p99: number };
  lexical: { p50: number; p99: number };
  hydrate: { p50: number; p99: number }; // retrieve()'s chunk query (rows of the fused candidates, with their vectors)
  lexicalHits: number; // mean hits returned (≤ candidate depth)
}

/** Adds synthetic documents of 100 chunks each until the project holds `target` chunks. On PostgreSQL the HNSW index is rebuilt after the load (CREATE INDEX, as a bulk import would), not maintained row by row. */
async function growSynthetic(lib: Lib, dialect: Dialect, p: { orgId: string; projectId: string }, from: number, target: number, make: () => { content: string; vector: Float32Array }) {
  const t = performance.now();
  const docs = Math.ceil((target - from) / CHUNKS_PER_SYNTHETIC_DOC);
  const first = from / CHUNKS_PER_SYNTHETIC_DOC;
  const titles = Array.from({ length: docs }, (_, i) => `synthetic ${first + i}`);
  const ids = await createDocuments(lib, p, titles, first);
  if (dialect === "postgres") {
    await lib.ensureRagIndexes();
    await lib.rawPg().query("DROP INDEX IF EXISTS chunk_vectors_embedding_idx");
  }
  for (const [i, id] of ids.entries()) {
    const chunks = Array.from({ length: CHUNKS_PER_SYNTHETIC_DOC }, (_, ordinal) => {
      const c = make();
      return { ordinal, heading: `Section ${ordinal + 1}`, content: c.content, tokenCount: Math.ceil(c.content.length / 4), vector: c.vector };
    });
    await lib.commitDocumentChunks({ id, ...p }, chunks);
    if ((i + 1) % 200 === 0) log(`${dialect}: ${from + (i + 1) * CHUNKS_PER_SYNTHETIC_DOC} synthetic chunks (${fmt((performance.now() - t) / 1000, 0)} s)`);
  }
  if (dialect === "postgres") {
    const c = await lib.rawPg().connect();
    try {
      const ti = performance.now();
      await c.query("SET maintenance_work_mem = '1GB'");
      const ddl = lib.pgVectorTableDdl(512).find((s) => s.includes("USING hnsw"))!;
      await c.query(ddl);
      await c.query("ANALYZE chunks; ANALYZE chunk_vectors");
      log(`${dialect}: HNSW index rebuilt in ${fmt((performance.now() - ti) / 1000, 1)} s`);
    } finally {
      c.release();
    }
  }
  return (performance.now() - t) / 1000;
}

async function measureLatency(lib: Lib, dialect: Dialect, projectId: string, chunks: number, loadSeconds: number, queries: string[]): Promise<LatencyRow> {
  const depth = Math.min(200, Math.max(20, TOP_K * 4)); // as retrieve() computes it
  for (const q of queries.slice(0, 20)) await lib.retrieve({ projectId, query: q, topK: TOP_K }); // warm-up
  const e2e: number[] = [];
  const embed: number[] = [];
  const vector: number[] = [];
  const lexical: number[] = [];
  const hydrate: number[] = [];
  let lexicalHits = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const q = queries[i % queries.length]!;
    let t = performance.now();
    await lib.retrieve({ projectId, query: q, topK: TOP_K, mode: "hybrid" });
    e2e.push(performance.now() - t);
    t = performance.now();
    const [v] = await lib.embedLocal([q]);
    embed.push(performance.now() - t);
    t = performance.now();
    const vHits = await lib.vectorSearch(projectId, v!, depth);
    vector.push(performance.now() - t);
    t = performance.now();
    const lHits = await lib.lexicalSearch(projectId, q, depth);
    lexical.push(performance.now() - t);
    lexicalHits += lHits.length;
    // The same query as retrieve() runs on the fused candidates (keep in step with lib/rag/retrieve.ts).
    t = performance.now();
    await lib.db().chunk.findMany({
      where: { id: { in: [...new Set([...vHits, ...lHits].map((h) => h.chunkId))] }, document: { status: "ready", embeddingModel: "vecstruct/local-embeddings-en" } },
      select: { id: true, projectId: true, documentId: true, heading: true, content: true, embedding: true, document: { select: { title: true } } },
    });
    hydrate.push(performance.now() - t);
  }
  const pp = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
  return { dialect, chunks, loadSeconds, samples: SAMPLES, retrieve: pp(e2e), embed: pp(embed), vector: pp(vector), lexical: pp(lexical), hydrate: pp(hydrate), lexicalHits: lexicalHits / SAMPLES };
}

async function runLatency(lib: Lib, dialect: Dialect, data: Prepared, lexicalVariants: (LexicalLatency & { dialect: Dialect; chunks: number })[]): Promise<LatencyRow[]> {
  const p = await createProject(lib, "rag-latency");
  const r = rng(7);
  const centers = VECTORS === "clustered" ? data.docs.flatMap((d) => d.chunks.map((c) => c.vector)) : null;
  const make = () => syntheticChunk(r, data.vocab, centers, 512);
  const queries = data.questions.map((q) => q.query);
  const out: LatencyRow[] = [];
  let have = 0;
  for (const size of SIZES) {
    const loadSeconds = await growSynthetic(lib, dialect, p, have, size, make);
    have = size;
    log(`${dialect}: ${size} synthetic chunks loaded in ${fmt(loadSeconds, 1)} s; measuring ${SAMPLES} queries`);
    out.push(await measureLatency(lib, dialect, p.projectId, size, loadSeconds, queries));
    if (VARIANTS) {
      for (const v of await lexicalLatencyVariants(variantLib(lib), p.projectId, queries, SAMPLES, Math.min(200, Math.max(20, TOP_K * 4)))) lexicalVariants.push({ dialect, chunks: size, ...v });
    }
  }
  return out;
}


// ---------------------------------------------------------------------------- multilingual quality

interface MlPrepared {
  corpus: MlCorpus;
  chunks: { ordinal: number; heading: string | null; content: string; tokenCount: number; vector: Float32Array }[][];
}

interface MlScore {
  n: number;
  passage: number;
  document: number;
}
interface MlRow {
  dialect: Dialect;
  mode: Mode;
  groups: Record<string, MlScore>;
  /** Per question: rank (1-based) of the answering chunk and of the first chunk of the answering document in the top 5, or null. */
  hits: { passage: number | null; document: number | null }[];
}

async function runMultilingual(lib: Lib, dialect: Dialect, data: MlPrepared): Promise<MlRow[]> {
  const p = await createProject(lib, "rag-multilingual");
  const docIds = await createDocuments(lib, p, data.corpus.docs.map((d) => d.title));
  for (const [i, chunks] of data.chunks.entries()) await lib.commitDocumentChunks({ id: docIds[i]!, ...p }, chunks);
  const chunkId = new Map((await lib.db().chunk.findMany({ where: { projectId: p.projectId }, select: { id: true, documentId: true, ordinal: true } })).map((c) => [`${c.documentId}:${c.ordinal}`, c.id]));
  const answer = (q: MlQuestion) => chunkId.get(`${docIds[q.doc]}:${data.corpus.docs[q.doc]!.sections.findIndex((s) => s.key === q.section)}`)!;
  const rows: MlRow[] = [];
  for (const mode of MODES) {
    const hits: MlRow["hits"] = [];
    for (const q of data.corpus.questions) {
      const got = await lib.retrieve({ projectId: p.projectId, query: q.query, topK: TOP_K, mode });
      const at = got.findIndex((h) => h.chunk_id === answer(q));
      const dat = got.findIndex((h) => h.document_id === docIds[q.doc]);
      hits.push({ passage: at >= 0 ? at + 1 : null, document: dat >= 0 ? dat + 1 : null });
      if (MISSES && mode === "hybrid" && at < 0) {
        log(`${dialect} miss [${q.kind}, ${q.lang}] ${q.query} → document ${dat >= 0 ? `at ${dat + 1}` : "not in the top 5"}`);
        const deep = await lib.retrieve({ projectId: p.projectId, query: q.query, topK: 60, mode });
        const ranks = (h: (typeof deep)[number]) => `vector ${h.vector_rank ?? "-"}, lexical ${h.lexical_rank ?? "-"}, cross-lingual ${h.crosslingual_rank ?? "-"}`;
        const i = deep.findIndex((h) => h.chunk_id === answer(q));
        log(`    answer: ${i >= 0 ? `at ${i + 1} (${ranks(deep[i]!)})` : "not in the top 60"}; top: ${deep.slice(0, 3).map((h) => `${h.title} > ${h.heading?.split(" > ").at(-1)} (${ranks(h)})`).join("; ")}`);
      }
    }
    const score = (f: (q: MlQuestion) => boolean): MlScore => {
      const idx = data.corpus.questions.flatMap((q, i) => (f(q) ? [i] : []));
      return { n: idx.length, passage: idx.filter((i) => hits[i]!.passage !== null).length / idx.length, document: idx.filter((i) => hits[i]!.document !== null).length / idx.length };
    };
    const groups: Record<string, MlScore> = {};
    for (const k of ML_KINDS) groups[k] = score((q) => q.kind === k);
    for (const l of ML_LANGS) groups[`${l} questions`] = score((q) => q.lang === l);
    groups["Chinese questions"] = score((q) => q.lang !== "en");
    groups.overall = score(() => true);
    rows.push({ dialect, mode, groups, hits });
  }
  return rows;
}

async function prepareMultilingual(): Promise<MlPrepared> {
  const corpus = multilingualCorpus();
  const { chunkBlocks } = await import("@/lib/rag/chunk");
  const { countTokens } = await import("@/lib/billing/tokens");
  const { embedLocal } = await import("@/lib/rag/embeddings/local");
  const chunked = corpus.docs.map((d) => {
    const chunks = chunkBlocks(d.blocks, { countTokens });
    if (chunks.length !== d.sections.length || chunks.some((c, i) => !c.heading?.endsWith(`> ${d.sections[i]!.title}`))) throw new Error(`${d.title}: expected one chunk per section, got ${chunks.length}`);
    return chunks;
  });
  const vectors = await embedLocal(chunked.flat().map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content))); // as lib/rag/ingest.ts
  let k = 0;
  return { corpus, chunks: chunked.map((cs) => cs.map((c) => ({ ...c, vector: vectors[k++]! }))) };
}

function multilingualTable(rows: MlRow[]): string[] {
  const out: string[] = [];
  const hybrid = rows.filter((r) => r.mode === "hybrid");
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  out.push(`Multilingual set (recall@5, passage / document; retrieve() hybrid top ${TOP_K}, offline default model)`);
  out.push(["group".padEnd(22), "n".padStart(4), ...hybrid.map((r) => r.dialect.padStart(17))].join(" "));
  for (const g of Object.keys(hybrid[0]?.groups ?? {})) {
    const n = hybrid[0]!.groups[g]!.n;
    out.push([g.padEnd(22), String(n).padStart(4), ...hybrid.map((r) => `${pct(r.groups[g]!.passage)} / ${pct(r.groups[g]!.document)}`.padStart(17))].join(" "));
  }
  for (const mode of ["vector", "lexical"] as const) {
    out.push([`overall, ${mode} only`.padEnd(22), "".padStart(4), ...rows.filter((r) => r.mode === mode).map((r) => `${pct(r.groups.overall!.passage)} / ${pct(r.groups.overall!.document)}`.padStart(17))].join(" "));
  }
  return out;
}

// ---------------------------------------------------------------------------- main

it("bench:rag", async () => {
  const started = performance.now();
  const loadBefore = loadavg();
  const corpus = qualityCorpus();
  const { chunkBlocks } = await import("@/lib/rag/chunk");
  const { countTokens, warmTokenizer } = await import("@/lib/billing/tokens");
  const { embedLocal, closeLocalEmbeddings } = await import("@/lib/rag/embeddings/local");
  await warmTokenizer();

  // Chunk as ingestion does (one chunk per section here), then embed once for both dialects.
  const chunked = corpus.docs.map((d) => {
    const chunks = chunkBlocks(d.blocks, { countTokens });
    if (chunks.length !== SECTIONS_PER_DOC || chunks.some((c, i) => !c.heading?.endsWith(`> ${d.sections[i]!.title}`))) {
      throw new Error(`${d.title}: expected one chunk per section, got ${chunks.length}`);
    }
    return chunks;
  });
  const texts = chunked.flat().map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content)); // as lib/rag/ingest.ts
  log(`corpus: ${corpus.docs.length} documents, ${texts.length} chunks, ${corpus.questions.length} questions; embedding the chunks…`);
  await embedLocal(["warm-up"]);
  let t = performance.now();
  const vectors = await embedLocal(texts);
  const embedSeconds = (performance.now() - t) / 1000;
  log(`embedded ${texts.length} chunks in ${fmt(embedSeconds, 1)} s (${fmt(texts.length / embedSeconds, 1)} chunks/s)`);
  let k = 0;
  const data: Prepared = {
    docs: corpus.docs.map((d, i) => ({ title: d.title, chunks: chunked[i]!.map((c) => ({ ...c, vector: vectors[k++]! })) })),
    questions: corpus.questions,
    vocab: vocabulary(corpus.docs),
  };

  const ml = SETS.has("multilingual") ? await prepareMultilingual() : null;
  const mlRows: MlRow[] = [];
  const quality: QualityRow[] = [];
  const ranks: Record<string, Record<Mode, (number | null)[]>> = {};
  const latency: LatencyRow[] = [];
  const variants: (VariantRow & { dialect: Dialect })[] = [];
  const lexicalVariants: (LexicalLatency & { dialect: Dialect; chunks: number })[] = [];
  try {
    for (const dialect of DIALECTS) {
      await withDatabase(dialect, async (lib) => {
        t = performance.now();
        if (SETS.has("generated")) {
          const q = await runQuality(lib, dialect, data);
          quality.push(...q.rows);
          ranks[dialect] = q.ranks;
          variants.push(...q.variants.map((v) => ({ dialect, ...v })));
          log(`${dialect}: quality done in ${fmt((performance.now() - t) / 1000, 1)} s`);
        }
        if (ml) {
          t = performance.now();
          mlRows.push(...(await runMultilingual(lib, dialect, ml)));
          log(`${dialect}: multilingual set done in ${fmt((performance.now() - t) / 1000, 1)} s`);
        }
        if (LATENCY) latency.push(...(await runLatency(lib, dialect, data, lexicalVariants)));
      });
    }
  } finally {
    await closeLocalEmbeddings();
  }

  // ------------------------------------------------------------------ report
  const acceptance = DIALECTS.filter(() => SETS.has("generated")).map((dialect) => {
    const r = (mode: Mode) => quality.find((x) => x.dialect === dialect && x.mode === mode)!.recall5;
    return { dialect, hybrid: r("hybrid"), vector: r("vector"), lexical: r("lexical"), ok: r("hybrid") >= r("vector") && r("hybrid") >= r("lexical") };
  });
  const runtimeSeconds = (performance.now() - started) / 1000;
  const out: string[] = [];
  out.push("");
  out.push(`vecstruct RAG benchmark — ${new Date().toISOString()} — node ${process.version}, ${corpus.docs.length} docs / ${texts.length} chunks / ${corpus.questions.length} questions, top ${TOP_K}`);
  out.push(`embedding: ${texts.length} chunks in ${fmt(embedSeconds, 1)} s (${fmt(texts.length / embedSeconds, 1)}/s), offline model ${512}-d`);
  out.push("");
  out.push("Quality (recall@5 / MRR@5)         all questions      lexical q (n=80)   paraphrase q (n=80)   name in text   name in heading only");
  for (const r of quality) {
    const b = r.byKind;
    out.push(
      [
        r.dialect.padEnd(9),
        r.mode.padEnd(8),
        `n=${corpus.questions.length}`.padEnd(16),
        `${fmt(r.recall5)} / ${fmt(r.mrr5)}`.padStart(15),
        `${fmt(b.lexical!.recall5)} / ${fmt(b.lexical!.mrr5)}`.padStart(19),
        `${fmt(b.paraphrase!.recall5)} / ${fmt(b.paraphrase!.mrr5)}`.padStart(21),
        `${fmt(b.named!.recall5)} (n=${b.named!.n})`.padStart(15),
        `${fmt(b.headingOnly!.recall5)} (n=${b.headingOnly!.n})`.padStart(22),
      ].join(" "),
    );
  }
  out.push("");
  for (const a of acceptance) {
    out.push(`acceptance ${a.dialect}: hybrid recall@5 ${fmt(a.hybrid)} ≥ vector ${fmt(a.vector)}: ${a.hybrid >= a.vector ? "yes" : "NO"}; ≥ lexical ${fmt(a.lexical)}: ${a.hybrid >= a.lexical ? "yes" : "NO"} → ${a.ok ? "PASS" : "FAIL"}`);
  }
  if (ml) {
    out.push(`multilingual set: ${ml.corpus.docs.length} documents, ${ml.chunks.flat().length} chunks, ${ml.corpus.questions.length} questions`);
    out.push(...multilingualTable(mlRows));
  }
  out.push("");
  out.push(`Latency (ms, p50 / p99 over ${SAMPLES} queries; synthetic chunks, ${VECTORS} vectors; retrieve = hybrid top ${TOP_K} end to end; its parts: query embedding, vector and lexical search at depth 20, then the chunk-rows query)`);
  out.push("dialect     chunks    load s    retrieve p50/p99    query embed p50/p99    vector search p50/p99    lexical search p50/p99    chunk rows p50/p99");
  for (const r of latency) {
    const pair = (x: { p50: number; p99: number }, w: number) => `${fmt(x.p50, 1)} / ${fmt(x.p99, 1)}`.padStart(w);
    out.push([r.dialect.padEnd(9), String(r.chunks).padStart(8), fmt(r.loadSeconds, 1).padStart(9), pair(r.retrieve, 19), pair(r.embed, 22), pair(r.vector, 24), pair(r.lexical, 25), pair(r.hydrate, 21)].join(" "));
  }
  if (!LARGE) out.push("100k chunks: skipped (BENCH_RAG_LARGE=1 adds them: 20–25 min as shipped, mostly loading 100k chunks on SQLite and PostgreSQL's lexical search)");
  if (VARIANTS) {
    out.push("");
    out.push("What-if (BENCH_RAG_VARIANTS=1): hybrid fusion re-implemented with other knobs / lexical indexes, recall@5");
    out.push("dialect   variant                                    RRF k  depth   hybrid R@5 / MRR@5   paraphrase R@5   heading-only R@5   lexical-only R@5");
    for (const v of variants) {
      out.push(
        [
          v.dialect.padEnd(9),
          v.name.padEnd(42),
          String(v.rrfK).padStart(5),
          String(v.depth).padStart(6),
          `${fmt(v.hybrid.recall5)} / ${fmt(v.hybrid.mrr5)}`.padStart(20),
          fmt(v.paraphraseRecall5).padStart(16),
          fmt(v.headingOnlyRecall5).padStart(18),
          fmt(v.lexicalOnlyRecall5).padStart(18),
        ].join(" "),
      );
    }
    out.push("");
    out.push(`Lexical search what-if (ms p50 / p99, ${SAMPLES} queries, interleaved with the shipped query)`);
    for (const v of lexicalVariants) {
      out.push([v.dialect.padEnd(9), String(v.chunks).padStart(7), v.name.padEnd(46), `${fmt(v.p50, 1)} / ${fmt(v.p99, 1)}`.padStart(17), `hits ${fmt(v.meanHits, 1)}`].join(" "));
    }
  }
  const loadAfter = loadavg();
  out.push(`runtime: ${fmt(runtimeSeconds, 0)} s; load average (1 min) ${fmt(loadBefore[0]!, 2)} at start, ${fmt(loadAfter[0]!, 2)} at end (${cpus().length} cores; other work on the box skews latency)`);
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  const file = path.join(root, "bench/results/rag.json");
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        config: { dialects: DIALECTS, sizes: SIZES, samples: SAMPLES, vectors: VECTORS, topK: TOP_K, large: LARGE, variants: VARIANTS },
        loadavg: { start: loadBefore, end: loadAfter },
        corpus: { documents: corpus.docs.length, chunks: texts.length, questions: corpus.questions.length },
        embedding: { chunks: texts.length, seconds: embedSeconds },
        quality,
        acceptance,
        latency,
        ...(ml
          ? {
              multilingual: {
                rows: mlRows.map(({ hits: _, ...r }) => r),
                questions: ml.corpus.questions.map((q, i) => ({ ...q, hits: Object.fromEntries(mlRows.map((r) => [`${r.dialect}:${r.mode}`, r.hits[i]])) })),
              },
            }
          : {}),
        ...(VARIANTS ? { variants, lexicalVariants } : {}),
        questions: corpus.questions.map((q, i) => ({
          ...q,
          ranks: Object.fromEntries(Object.entries(ranks).map(([dialect, byMode]) => [dialect, Object.fromEntries(MODES.map((m) => [m, byMode[m][i]]))])),
        })),
        runtimeSeconds,
      },
      null,
      2,
    ),
  );
  out.push(`JSON: ${path.relative(root, file)}`);
  console.log(out.join("\n"));
});
