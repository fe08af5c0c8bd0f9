// Where chunks live for retrieval, per dialect: the chunk rows, their vectors (sqlite-vec / pgvector)
// and a lexical index (FTS5 / PostgreSQL full text). A document's chunks become searchable in one
// transaction, so a failed ingestion never leaves half a document behind.
//
// The lexical index holds what the embedding sees: the heading path, a newline, then the content
// (ingest.ts embeds `${heading}\n${content}`). Indexing the content alone left sections that name
// their subject only in a heading ("Quillon Vantor manual > Warranty": "This unit is covered…")
// unreachable by keywords (bench/rag: recall@5 0.09 lexical, 0.29 hybrid vs 0.47 vector-only).
// PostgreSQL keeps the tsvector stored in a side table: ranking an expression index recomputed
// to_tsvector for every matching row (p50 ~90 ms, p99 ~0.8 s at 10k chunks in bench/rag).
//
// Both indexes hold the text as lexicalTerms() gives it (lib/text/segment.ts), words separated by
// spaces, and queries are split by the same function: Chinese and Japanese have no spaces, so FTS5's
// unicode61 tokenizer and PostgreSQL's parser made a whole Chinese sentence one token that no question
// matched (bench/rag multilingual set, lexical-only: see docs/rag.md). One tokenizer on both sides also
// keeps "YD-5510" the same two words in the index and in the question on PostgreSQL, whose parser had
// indexed it as 'yd' and '-5510'. English words keep their stemming (FTS5 porter, tsvector 'english').
import { randomBase62 } from "../crypto";
import { rawPg, rawSqlite, withPgTransaction } from "../db-raw";
import { env } from "../env";
import { lexicalTerms } from "../text/segment";
import { stem } from "../text/stem";
import { LOCAL_EMBEDDING_MODEL } from "./embeddings/local";
import { vectorToBuffer } from "../vector-codec";
import * as pgv from "./vector/postgres";
import * as sqv from "./vector/sqlite";

/** The offline default's width: its table exists from the start (the others when first needed). */
const DEFAULT_DIMENSIONS = LOCAL_EMBEDDING_MODEL.dimensions;

export interface StoredChunk {
  ordinal: number;
  heading: string | null;
  content: string;
  tokenCount: number;
  vector: Float32Array;
}

// Version 3 of the lexical index: heading path + content, segmented (lexicalTerms). Version 2 (the same
// text unsegmented: SQLite's chunk_fts2, PostgreSQL's chunk_fts without the v3 comment) and version 1
// (content only: chunk_fts, chunks_content_fts_idx) are rebuilt into it once, from `chunks`.
const FTS_TABLE_SQLITE = "chunk_fts3";
const FTS_DDL_SQLITE = `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts3 USING fts5(content, chunk_id UNINDEXED, project_id UNINDEXED, document_id UNINDEXED, tokenize = 'porter unicode61')`;
const FTS_DDL_PG = [
  `CREATE TABLE IF NOT EXISTS chunk_fts (
  chunk_id text PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  project_id text NOT NULL,
  document_id text NOT NULL,
  tsv tsvector NOT NULL
)`,
  `CREATE INDEX IF NOT EXISTS chunk_fts_tsv_idx ON chunk_fts USING gin (tsv)`,
  `CREATE INDEX IF NOT EXISTS chunk_fts_project_document_idx ON chunk_fts (project_id, document_id)`,
];
/** The table comment that says chunk_fts holds version 3 (segmented) rows. */
const FTS_VERSION_PG = "vecstruct lexical index v3: lexicalTerms";
const FTS_LOCK_ID = 72707371; // the migrator uses 72707369, vector/postgres.ts 72707370

/** What the lexical index holds for a chunk: its heading path and content, as embedded, as space-separated terms. */
export const lexicalText = (c: { heading: string | null; content: string }) => lexicalTerms(c.heading ? `${c.heading}\n${c.content}` : c.content).join(" ");

type FtsRow = { chunkId: string; projectId: string; documentId: string; text: string };

async function insertFtsPg(client: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, rows: FtsRow[]) {
  for (let i = 0; i < rows.length; i += 1000) {
    const slice = rows.slice(i, i + 1000);
    await client.query(
      `INSERT INTO chunk_fts (chunk_id, project_id, document_id, tsv)
       SELECT u.id, u.project_id, u.document_id, to_tsvector('english', u.text) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, project_id, document_id, text)`,
      [slice.map((r) => r.chunkId), slice.map((r) => r.projectId), slice.map((r) => r.documentId), slice.map((r) => r.text)],
    );
  }
}

function ensureFtsSqlite(db: ReturnType<typeof rawSqlite>) {
  const exists = () => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(FTS_TABLE_SQLITE) !== undefined;
  if (exists()) return;
  db.transaction(() => {
    if (exists()) return;
    db.exec(FTS_DDL_SQLITE);
    const insert = db.prepare(`INSERT INTO chunk_fts3 (content, chunk_id, project_id, document_id) VALUES (?,?,?,?)`);
    // In pages (by primary key): better-sqlite3 cannot insert while a statement is still iterating.
    const page = db.prepare(`SELECT "id", "projectId", "documentId", "heading", "content" FROM "chunks" WHERE "id" > ? ORDER BY "id" LIMIT 1000`);
    for (let after = ""; ; ) {
      const rows = page.all(after) as { id: string; projectId: string; documentId: string; heading: string | null; content: string }[];
      if (rows.length === 0) break;
      for (const c of rows) insert.run(lexicalText(c), c.id, c.projectId, c.documentId);
      after = rows[rows.length - 1]!.id;
    }
    db.exec(`DROP TABLE IF EXISTS chunk_fts2`);
    db.exec(`DROP TABLE IF EXISTS chunk_fts`);
  }).immediate();
}

async function ensureFtsPg() {
  await withPgTransaction(async (c) => {
    await c.query("SELECT pg_advisory_xact_lock($1)", [FTS_LOCK_ID]);
    const { rows } = await c.query<{ version: string | null; exists: boolean }>("SELECT to_regclass('chunk_fts') IS NOT NULL AS exists, obj_description(to_regclass('chunk_fts'), 'pg_class') AS version");
    if (rows[0]?.exists && rows[0].version === FTS_VERSION_PG) return;
    for (const sql of FTS_DDL_PG) await c.query(sql);
    await c.query(`DELETE FROM chunk_fts`);
    const chunks = await c.query<{ id: string; projectId: string; documentId: string; heading: string | null; content: string }>(`SELECT "id", "projectId", "documentId", "heading", "content" FROM "chunks"`);
    await insertFtsPg(
      c,
      chunks.rows.map((r) => ({ chunkId: r.id, projectId: r.projectId, documentId: r.documentId, text: lexicalText(r) })),
    );
    await c.query(`DROP INDEX IF EXISTS chunks_content_fts_idx`);
    await c.query(`COMMENT ON TABLE chunk_fts IS '${FTS_VERSION_PG}'`);
  });
}

let ready: Promise<void> | undefined;

/** Creates the vector and lexical indexes once per process (idempotent; they are not Prisma-managed). */
export function ensureRagIndexes(): Promise<void> {
  ready ??= (async () => {
    if (env().dialect === "sqlite") {
      const db = rawSqlite();
      sqv.loadVectorExtension(db);
      sqv.ensureVectorTable(db, DEFAULT_DIMENSIONS);
      ensureFtsSqlite(db);
    } else {
      await pgv.ensureVectorTable(rawPg(), DEFAULT_DIMENSIONS);
      await ensureFtsPg();
    }
  })().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** Tests: check the indexes again on next use, as a process started after an upgrade would. */
export function resetRagIndexesForTests(): void {
  ready = undefined;
}

/** The widest vectors this database's index takes. */
export const maxVectorWidth = () => (env().dialect === "sqlite" ? sqv.MAX_DIMENSIONS : pgv.MAX_DIMENSIONS);

const widths = new Set<number>();

/** The vector table of this width (created once per process; idempotent across instances). */
async function ensureWidth(dimensions: number): Promise<void> {
  if (widths.has(dimensions)) return;
  if (env().dialect === "sqlite") sqv.ensureVectorTable(rawSqlite(), dimensions);
  else await pgv.ensureVectorTable(rawPg(), dimensions);
  widths.add(dimensions);
}

const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Why a commit was refused; the caller leaves the document to whoever changed it. */
export type CommitOutcome = "committed" | "stale";

/**
 * Replaces the document's chunks, vectors and lexical rows, records the embedding model, and marks
 * it ready, atomically. Refused ("stale") unless the document is still `processing` and `model` is
 * still its project's embedding model: the project may have switched models (and re-queued the
 * document) or the document may have been deleted while it was being embedded, and vectors of a model
 * the project no longer uses must never become searchable.
 */
export async function commitDocumentChunks(doc: { id: string; orgId: string; projectId: string }, chunks: StoredChunk[], model: string = LOCAL_EMBEDDING_MODEL.id): Promise<CommitOutcome> {
  await ensureRagIndexes();
  const dims = chunks[0]?.vector.length ?? DEFAULT_DIMENSIONS;
  if (chunks.some((c) => c.vector.length !== dims)) throw new Error(`the embedding model ${model} returned vectors of different widths for one document`);
  await ensureWidth(dims);
  const now = new Date();
  const rows = chunks.map((c) => ({ id: `chk_${randomBase62(24)}`, ...c }));
  const vectors = rows.map((r) => ({ chunkId: r.id, projectId: doc.projectId, documentId: doc.id, vector: r.vector }));
  if (env().dialect === "sqlite") {
    const db = rawSqlite();
    return db
      .transaction((): CommitOutcome => {
        const state = db
          .prepare(`SELECT d."status" AS status, p."embeddingModel" AS model FROM "documents" d JOIN "projects" p ON p."id" = d."projectId" WHERE d."id" = ?`)
          .get(doc.id) as { status: string; model: string | null } | undefined;
        if (!state || state.status !== "processing" || (state.model ?? LOCAL_EMBEDDING_MODEL.id) !== model) return "stale";
        // A new document has nothing indexed yet. The deletes scan every row (FTS5 and vec0 cannot index
        // document_id): ~0.4 s per document at 100k chunks, which made bulk ingestion quadratic.
        if (db.prepare(`SELECT 1 FROM "chunks" WHERE "documentId" = ? LIMIT 1`).get(doc.id)) deleteSqlite(db, doc.id);
        const insert = db.prepare(`INSERT INTO "chunks" ("id","orgId","projectId","documentId","ordinal","heading","content","tokenCount","embedding","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?)`);
        const fts = db.prepare(`INSERT INTO chunk_fts3 (content, chunk_id, project_id, document_id) VALUES (?,?,?,?)`);
        for (const r of rows) {
          insert.run(r.id, doc.orgId, doc.projectId, doc.id, r.ordinal, r.heading, r.content, r.tokenCount, vectorToBuffer(r.vector), sqliteDate(now));
          fts.run(lexicalText(r), r.id, doc.projectId, doc.id);
        }
        sqv.upsertVectors(db, vectors);
        db.prepare(`UPDATE "documents" SET "status" = 'ready', "error" = NULL, "chunkCount" = ?, "embeddingModel" = ?, "updatedAt" = ? WHERE "id" = ?`).run(rows.length, model, sqliteDate(now), doc.id);
        return "committed";
      })
      .immediate();
  }
  return withPgTransaction(async (client): Promise<CommitOutcome> => {
    // The project row first, as setProjectEmbeddingModel() locks it (by updating it) before the
    // documents: the same order in both transactions, so they wait for each other instead of deadlocking.
    const project = await client.query<{ model: string | null }>(`SELECT "embeddingModel" AS model FROM "projects" WHERE "id" = $1 FOR SHARE`, [doc.projectId]);
    const state = await client.query<{ status: string }>(`SELECT "status" FROM "documents" WHERE "id" = $1 FOR UPDATE`, [doc.id]);
    if (!project.rows[0] || state.rows[0]?.status !== "processing" || (project.rows[0].model ?? LOCAL_EMBEDDING_MODEL.id) !== model) return "stale";
    await client.query(`DELETE FROM "chunks" WHERE "documentId" = $1`, [doc.id]); // vectors and chunk_fts rows cascade
    for (let i = 0; i < rows.length; i += 200) {
      const slice = rows.slice(i, i + 200);
      const params: unknown[] = [];
      const tuples = slice.map((r) => {
        params.push(r.id, doc.orgId, doc.projectId, doc.id, r.ordinal, r.heading, r.content, r.tokenCount, vectorToBuffer(r.vector), now.toISOString());
        const b = params.length - 10;
        return `(${Array.from({ length: 10 }, (_, j) => `$${b + j + 1}`).join(",")})`;
      });
      await client.query(`INSERT INTO "chunks" ("id","orgId","projectId","documentId","ordinal","heading","content","tokenCount","embedding","createdAt") VALUES ${tuples.join(",")}`, params);
    }
    await pgv.upsertVectors(client, vectors);
    await insertFtsPg(
      client,
      rows.map((r) => ({ chunkId: r.id, projectId: doc.projectId, documentId: doc.id, text: lexicalText(r) })),
    );
    await client.query(`UPDATE "documents" SET "status" = 'ready', "error" = NULL, "chunkCount" = $1, "embeddingModel" = $2, "updatedAt" = $3 WHERE "id" = $4`, [rows.length, model, now.toISOString(), doc.id]);
    return "committed";
  });
}

function deleteSqlite(db: ReturnType<typeof rawSqlite>, documentId: string) {
  // Vectors by primary key (chunk ids come from the chunks' documentId index), not by a scan of every vector.
  const ids = db.prepare(`SELECT "id" FROM "chunks" WHERE "documentId" = ?`).pluck().all(documentId) as string[];
  sqv.deleteVectors(db, ids);
  db.prepare(`DELETE FROM chunk_fts3 WHERE document_id = ?`).run(documentId);
  db.prepare(`DELETE FROM "chunks" WHERE "documentId" = ?`).run(documentId);
}

/** Removes everything searchable of a document (its row is deleted by the caller). */
export async function deleteDocumentIndex(documentId: string): Promise<void> {
  await ensureRagIndexes();
  if (env().dialect === "sqlite") {
    const db = rawSqlite();
    db.transaction(() => deleteSqlite(db, documentId))();
  } else {
    // Vectors and chunk_fts rows go with their chunks (ON DELETE CASCADE).
    await rawPg().query(`DELETE FROM "chunks" WHERE "documentId" = $1`, [documentId]);
  }
}

/**
 * Sets a project's embedding model and, in the same transaction, drops everything searchable of its
 * documents and queues them all again: vectors of two models are never compared, so nothing of the
 * old model may stay findable. Returns the ids of the queued documents (the caller enqueues them).
 */
export async function setProjectEmbeddingModel(projectId: string, model: string | null): Promise<string[]> {
  await ensureRagIndexes();
  const now = new Date();
  if (env().dialect === "sqlite") {
    const db = rawSqlite();
    return db
      .transaction(() => {
        db.prepare(`UPDATE "projects" SET "embeddingModel" = ?, "updatedAt" = ? WHERE "id" = ?`).run(model, sqliteDate(now), projectId);
        sqv.deleteProjectVectors(db, projectId);
        db.prepare(`DELETE FROM chunk_fts3 WHERE project_id = ?`).run(projectId);
        db.prepare(`DELETE FROM "chunks" WHERE "projectId" = ?`).run(projectId);
        const ids = db.prepare(`SELECT "id" FROM "documents" WHERE "projectId" = ? ORDER BY "createdAt"`).pluck().all(projectId) as string[];
        db.prepare(`UPDATE "documents" SET "status" = 'queued', "error" = NULL, "chunkCount" = 0, "embeddingModel" = NULL, "updatedAt" = ? WHERE "projectId" = ?`).run(sqliteDate(now), projectId);
        return ids;
      })
      .immediate();
  }
  return withPgTransaction(async (client) => {
    await client.query(`UPDATE "projects" SET "embeddingModel" = $1, "updatedAt" = $2 WHERE "id" = $3`, [model, now.toISOString(), projectId]);
    await client.query(`DELETE FROM "chunks" WHERE "projectId" = $1`, [projectId]); // vectors and chunk_fts rows cascade
    const { rows } = await client.query<{ id: string }>(`SELECT "id" FROM "documents" WHERE "projectId" = $1 ORDER BY "createdAt" FOR UPDATE`, [projectId]);
    await client.query(`UPDATE "documents" SET "status" = 'queued', "error" = NULL, "chunkCount" = 0, "embeddingModel" = NULL, "updatedAt" = $1 WHERE "projectId" = $2`, [now.toISOString(), projectId]);
    return rows.map((r) => r.id);
  });
}

/**
 * SQLite only: vectors and FTS rows whose chunk is gone. vec0 and FTS5 tables cannot carry foreign
 * keys, so a delete that cascades through Prisma (an organization, a project row) leaves them behind.
 * On PostgreSQL both tables reference chunks(id) ON DELETE CASCADE. Returns how many rows went.
 */
export async function pruneOrphanIndexRows(): Promise<number> {
  if (env().dialect !== "sqlite") return 0;
  await ensureRagIndexes();
  const db = rawSqlite();
  const vectors = sqv.pruneOrphanVectors(db);
  const fts = db.prepare(`DELETE FROM chunk_fts3 WHERE chunk_id NOT IN (SELECT "id" FROM "chunks")`).run().changes;
  return vectors + fts;
}

export interface RankedHit {
  chunkId: string;
  rank: number; // 1-based
}

export async function vectorSearch(projectId: string, vector: Float32Array, k: number, documentIds?: string[]): Promise<RankedHit[]> {
  await ensureRagIndexes();
  const search = { projectId, vector, k, ...(documentIds ? { documentIds } : {}) };
  const hits = env().dialect === "sqlite" ? sqv.searchVectors(rawSqlite(), search) : await pgv.searchVectors(rawPg(), search);
  return hits.map((h, i) => ({ chunkId: h.chunkId, rank: i + 1 }));
}

// PostgreSQL's english.stop. to_tsquery('english') drops these anyway; in FTS5 they match nearly every
// chunk, all of which bm25 then scores (bench/rag, 100k chunks: lexical p50 215 → 62 ms without them).
const STOPWORDS = new Set(
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their " +
    "theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the " +
    "and but if or because as until while of at by for with about against between into through during before after above below to from up down in " +
    "out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only " +
    "own same so than too very s t can will just don should now").split(" "),
);

/**
 * FTS5 / tsquery syntax is not for users: the question's terms as the index has them (lexicalTerms), OR'ed,
 * without stopwords and one-character terms. A lone Chinese character ("的", "是") matches nearly every
 * Chinese chunk; the character pairs that contain it still count.
 */
export const queryTerms = (query: string): string[] => searchTerms(lexicalTerms(query));

/** Terms as a lexical query sends them: split at marks, without stopwords and (when longer ones exist) one-character terms, at most 32. */
export function searchTerms(terms: string[]): string[] {
  // "don't", "3.5": FTS5 splits them at the mark anyway, and a tsquery takes letters and digits only.
  const all = [...new Set(terms.flatMap((w) => w.split(/[^\p{L}\p{N}]+/u)))].filter((w) => w && !STOPWORDS.has(w));
  const long = all.filter((w) => Array.from(w).length >= 2);
  return (long.length > 0 ? long : all).slice(0, 32);
}

/** SQLite: the project's FTS rows matching any of `words`, best bm25 first (with their indexed text when asked). */
function ftsRowsSqlite(projectId: string, words: string[], limit: number, documentIds: string[] | undefined, withText: boolean) {
  const match = words.map((w) => `"${w}"`).join(" OR ");
  const docFilter = documentIds ? ` AND document_id IN (SELECT value FROM json_each(?))` : "";
  const params: unknown[] = [match, projectId, ...(documentIds ? [JSON.stringify(documentIds)] : []), limit];
  return rawSqlite()
    .prepare(`SELECT chunk_id${withText ? ", content" : ""} FROM chunk_fts3 WHERE chunk_fts3 MATCH ? AND project_id = ?${docFilter} ORDER BY bm25(chunk_fts3) LIMIT ?`)
    .all(...params) as { chunk_id: string; content: string }[];
}

export async function lexicalSearch(projectId: string, query: string, k: number, documentIds?: string[]): Promise<RankedHit[]> {
  await ensureRagIndexes();
  const words = queryTerms(query);
  if (words.length === 0 || documentIds?.length === 0) return [];
  if (env().dialect === "sqlite") return ftsRowsSqlite(projectId, words, k, documentIds, false).map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
  const tsquery = words.join(" | ");
  const docFilter = documentIds ? ` AND document_id = ANY($4)` : "";
  const params: unknown[] = [tsquery, projectId, k, ...(documentIds ? [documentIds] : [])];
  // ts_rank ties often (no IDF): chunk_id makes the order, and so the fusion, deterministic.
  const { rows } = await rawPg().query(
    `SELECT chunk_id FROM chunk_fts WHERE tsv @@ to_tsquery('english', $1) AND project_id = $2${docFilter}
     ORDER BY ts_rank(tsv, to_tsquery('english', $1)) DESC, chunk_id LIMIT $3`,
    params,
  );
  return (rows as { chunk_id: string }[]).map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
}

// Candidates the cross-lingual list re-ranks: a dictionary gives several words per question word, so
// the database's own ranking (bm25, ts_rank) favours passages that match many synonyms of one word.
const CROSSLINGUAL_CANDIDATES = 100;
const MAX_GROUPS = 12;

export interface CrossLingualHit extends RankedHit {
  /** How many of the question's word groups and codes the passage matches. */
  cover: number;
}

/**
 * Keyword search for a question's words in another language (lib/text/crosslingual.ts): `translated`
 * holds the alternatives for each question word, `codes` the question's codes and numbers. Passages
 * that match a translated word are ranked by how many groups (codes included) they match, then by the
 * database's keyword ranking: a passage matching three translations of one word does not outrank one
 * matching "refund", "store" and the product code. retrieve() reads `cover` too: a passage's
 * cross-lingual rank stands in for its vector rank only when it covers enough of the question.
 */
export async function crossLingualSearch(
  projectId: string,
  groups: { translated: string[][]; codes: string[] },
  k: number,
  documentIds?: string[],
): Promise<{ hits: CrossLingualHit[]; groups: number }> {
  await ensureRagIndexes();
  const translated = groups.translated
    .slice(0, MAX_GROUPS)
    .map((g) => searchTerms(g))
    .filter((g) => g.length > 0);
  const cleaned = [...translated, ...groups.codes.slice(0, 4).map((c) => [c])];
  // Candidates match a translated word: a code alone would make this a second keyword list for
  // passages in the question's own language.
  const words = [...new Set(translated.flat())].slice(0, 48);
  if (words.length === 0 || documentIds?.length === 0) return { hits: [], groups: cleaned.length };
  const limit = Math.max(k, CROSSLINGUAL_CANDIDATES);
  let ranked: { chunkId: string; cover: number }[];
  if (env().dialect === "sqlite") {
    const rows = ftsRowsSqlite(projectId, words, limit, documentIds, true);
    // The stored text is the indexed terms, space-separated; FTS5 matched them stemmed (porter), so compare stems.
    const stemmed = cleaned.map((g) => g.map(stem));
    ranked = rows.map((r) => {
      const terms = new Set(r.content.split(/[^\p{L}\p{N}]+/u).map(stem));
      return { chunkId: r.chunk_id, cover: stemmed.filter((g) => g.some((t) => terms.has(t))).length };
    });
  } else {
    const params: unknown[] = [words.join(" | "), projectId, limit, ...cleaned.map((g) => g.join(" | "))];
    const cover = cleaned.map((_, i) => `(tsv @@ to_tsquery('english', $${i + 4}))::int`).join(" + ");
    const docFilter = documentIds ? ` AND document_id = ANY($${params.length + 1})` : "";
    if (documentIds) params.push(documentIds);
    const { rows } = await rawPg().query(
      `SELECT chunk_id, ${cover} AS cover FROM chunk_fts WHERE tsv @@ to_tsquery('english', $1) AND project_id = $2${docFilter}
       ORDER BY cover DESC, ts_rank(tsv, to_tsquery('english', $1)) DESC, chunk_id LIMIT $3`,
      params,
    );
    ranked = (rows as { chunk_id: string; cover: number }[]).map((r) => ({ chunkId: r.chunk_id, cover: Number(r.cover) }));
  }
  // A stable sort: equal coverage keeps the database's order.
  const hits = ranked
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => b.cover - a.cover || a.i - b.i)
    .slice(0, k)
    .map((r, i) => ({ chunkId: r.chunkId, rank: i + 1, cover: r.cover }));
  return { hits, groups: cleaned.length };
}
