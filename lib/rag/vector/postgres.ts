// Chunk vector index on PostgreSQL with pgvector: the same API as ./sqlite.ts, asynchronous, and
// the same layout: one table per vector width, `chunk_vectors` for 512 (its name from before there
// were several), `chunk_vectors_N` for the others.
//
//   CREATE TABLE chunk_vectors[_N] (
//     chunk_id    text PRIMARY KEY [REFERENCES chunks(id) ON DELETE CASCADE],
//     project_id  text NOT NULL,
//     document_id text NOT NULL,
//     embedding   vector(N) NOT NULL
//   );
//   HNSW (vector_cosine_ops) on embedding; btree on (project_id, document_id) and (document_id).
//
// Filtered HNSW: an HNSW scan finds ef_search candidates first and applies WHERE afterwards, so a
// project holding 5% of the rows would get ~2 hits of k = 10. pgvector ≥ 0.8 fixes this with
// iterative scans (`hnsw.iterative_scan = relaxed_order`: keep scanning until k rows pass the filter,
// up to hnsw.max_scan_tuples = 20 000); results then come back only roughly ordered, hence the
// MATERIALIZED CTE re-sorted outside. For small projects or explicit documents the planner picks the
// btree index instead and sorts exactly. Both settings are per session: set once per connection.
//
// N ≤ 2000: HNSW on the column. 2000 < N ≤ 4000 (e.g. 3072-dim models): pgvector cannot index
// `vector` that wide, so the index is on `embedding::halfvec(N)` and queries use the same expression.
import type pg from "pg";
import { assertUsableVector } from "../../vector-codec";
import { checkK, type VectorHit, type VectorRow, type VectorSearch } from "./types";

export const VECTOR_TABLE = "chunk_vectors";

/** A pool (a client is checked out per call) or one connection. */
export type PgHandle = pg.Pool | pg.ClientBase;

/** Candidate list size of HNSW scans; ≥ the largest k the API asks for (rag_top_k ≤ 50). */
export const HNSW_EF_SEARCH = 100;
/** HNSW indexes `vector` up to 2000 dimensions and `halfvec` up to 4000. */
export const MAX_DIMENSIONS = 4000;
const LOCK_ID = 72707370; // one ensureVectorTable() at a time across instances (the migrator uses 72707369)

const isPool = (db: PgHandle): db is pg.Pool => "totalCount" in db;

async function withClient<T>(db: PgHandle, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!isPool(db)) return fn(db);
  const client = await db.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
    throw new Error(`vector dimensions must be a whole number in 1..${MAX_DIMENSIONS}, got ${dimensions}`);
  }
}

/** The expression HNSW indexes and queries order by. */
const indexedExpr = (dimensions: number) => (dimensions > 2000 ? `(embedding::halfvec(${dimensions}))` : "embedding");
const queryParam = (dimensions: number) => (dimensions > 2000 ? `$1::halfvec(${dimensions})` : `$1::vector(${dimensions})`);

/** The 512-wide table: the name the index had when it was the only one. */
export function vectorTableName(dimensions: number): string {
  checkDimensions(dimensions);
  return dimensions === 512 ? VECTOR_TABLE : `${VECTOR_TABLE}_${dimensions}`;
}

/** The exact DDL ensureVectorTable() runs. `foreignKey` when a `chunks` table exists (always, in the app). */
export function vectorTableDdl(dimensions: number, { foreignKey = true } = {}): string[] {
  const t = vectorTableName(dimensions);
  const opclass = dimensions > 2000 ? "halfvec_cosine_ops" : "vector_cosine_ops";
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  chunk_id text PRIMARY KEY${foreignKey ? " REFERENCES chunks(id) ON DELETE CASCADE" : ""},
  project_id text NOT NULL,
  document_id text NOT NULL,
  embedding vector(${dimensions}) NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${t}_embedding_idx ON ${t} USING hnsw (${indexedExpr(dimensions)} ${opclass})`,
    `CREATE INDEX IF NOT EXISTS ${t}_project_document_idx ON ${t} (project_id, document_id)`,
    `CREATE INDEX IF NOT EXISTS ${t}_document_idx ON ${t} (document_id)`,
  ];
}

/** The widths that have a table, ascending. */
export async function vectorTables(db: PgHandle): Promise<number[]> {
  const { rows } = await db.query<{ name: string; type: string }>(
    `SELECT c.relname AS name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'embedding' AND NOT a.attisdropped
     WHERE c.relkind = 'r' AND c.relname ~ '^chunk_vectors(_[0-9]+)?$' AND c.relnamespace = to_regnamespace(current_schema())`,
  );
  return rows
    .map((r) => {
      const m = /^vector\((\d+)\)$/.exec(r.type);
      if (!m?.[1]) throw new Error(`${r.name}.embedding is ${r.type}, expected vector(N)`);
      const n = Number(m[1]);
      if (vectorTableName(n) !== r.name) throw new Error(`${r.name} holds ${n}-dimension vectors; expected ${vectorTableName(n)} for that width`);
      return n;
    })
    .sort((a, b) => a - b);
}

async function hasVectorTable(db: PgHandle, dimensions: number): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [vectorTableName(dimensions)]);
  return rows[0]?.exists === true;
}

/**
 * Creates the table for this width and its indexes if missing (idempotent, safe with several
 * instances starting at once). Creates the pgvector extension if needed (the migrator normally has).
 */
export async function ensureVectorTable(db: PgHandle, dimensions: number): Promise<void> {
  checkDimensions(dimensions);
  await withClient(db, async (c) => {
    // Session-level lock: works whether or not the caller is inside a transaction.
    await c.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    try {
      const ext = await c.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
      if (ext.rowCount === 0) {
        await c.query("CREATE EXTENSION IF NOT EXISTS vector").catch((err: Error) => {
          throw new Error(`the pgvector extension is missing and could not be created (${err.message}); install pgvector on the server`);
        });
      }
      if (await hasVectorTable(c, dimensions)) return;
      const chunks = await c.query<{ exists: boolean }>("SELECT to_regclass('chunks') IS NOT NULL AS exists");
      for (const sql of vectorTableDdl(dimensions, { foreignKey: chunks.rows[0]?.exists === true })) await c.query(sql);
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]);
    }
  });
}

/** pgvector's text input; 9 significant digits round-trip any float32. */
export function toVectorLiteral(vector: Float32Array): string {
  let out = "[";
  for (let i = 0; i < vector.length; i++) out += (i ? "," : "") + Number((vector[i] ?? 0).toPrecision(9));
  return out + "]";
}

/** Inserts or updates rows in one statement (atomic; any number of rows, 4 parameters). Every row must have the same width; its table must exist. */
export async function upsertVectors(db: PgHandle, rows: readonly VectorRow[]): Promise<void> {
  if (rows.length === 0) return;
  const dims = rows[0]!.vector.length;
  checkDimensions(dims);
  if (!(await hasVectorTable(db, dims))) throw new Error(`${vectorTableName(dims)} does not exist: call ensureVectorTable() first`);
  // ON CONFLICT cannot touch a row twice in one statement: the last write of a chunk wins.
  const byId = new Map<string, VectorRow>();
  for (const r of rows) {
    assertUsableVector(r.vector, dims, `vector of chunk ${r.chunkId}`);
    byId.delete(r.chunkId);
    byId.set(r.chunkId, r);
  }
  const unique = [...byId.values()];
  await db.query(
    `INSERT INTO ${vectorTableName(dims)} (chunk_id, project_id, document_id, embedding)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::vector[])
     ON CONFLICT (chunk_id) DO UPDATE SET project_id = EXCLUDED.project_id, document_id = EXCLUDED.document_id, embedding = EXCLUDED.embedding`,
    [unique.map((r) => r.chunkId), unique.map((r) => r.projectId), unique.map((r) => r.documentId), unique.map((r) => toVectorLiteral(r.vector))],
  );
}

async function deleteEverywhere(db: PgHandle, where: string, param: unknown): Promise<number> {
  let n = 0;
  for (const dims of await vectorTables(db)) {
    const r = await db.query(`DELETE FROM ${vectorTableName(dims)} v WHERE ${where}`, [param]);
    n += r.rowCount ?? 0;
  }
  return n;
}

/** Deletes the vectors of these chunks, whatever their width; returns how many existed. */
export async function deleteVectors(db: PgHandle, chunkIds: readonly string[]): Promise<number> {
  if (chunkIds.length === 0) return 0;
  return deleteEverywhere(db, "chunk_id = ANY($1::text[])", chunkIds);
}

/** Deletes every vector of a document. */
export async function deleteDocumentVectors(db: PgHandle, documentId: string): Promise<number> {
  return deleteEverywhere(db, "document_id = $1", documentId);
}

/** Deletes every vector of a project. */
export async function deleteProjectVectors(db: PgHandle, projectId: string): Promise<number> {
  return deleteEverywhere(db, "project_id = $1", projectId);
}

/** Deletes vectors whose chunk is gone (only possible when a table was created without the foreign key). */
export async function pruneOrphanVectors(db: PgHandle): Promise<number> {
  let n = 0;
  for (const dims of await vectorTables(db)) {
    const r = await db.query(`DELETE FROM ${vectorTableName(dims)} v WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.id = v.chunk_id)`);
    n += r.rowCount ?? 0;
  }
  return n;
}
// Sessions already carrying our HNSW settings (pool clients are reused, so this is once per connection).
const configured = new WeakSet<pg.ClientBase>();
const CONFIGURE = `SELECT set_config('hnsw.ef_search', '${HNSW_EF_SEARCH}', false),
  CASE WHEN (SELECT string_to_array(extversion, '.')::int[] >= '{0,8,0}' FROM pg_extension WHERE extname = 'vector')
       THEN set_config('hnsw.iterative_scan', 'relaxed_order', false) END`;

/** KNN over the project's vectors of the query's width (HNSW: approximate), nearest first. */
export async function searchVectors(db: PgHandle, search: VectorSearch): Promise<VectorHit[]> {
  checkK(search.k);
  if (search.documentIds?.length === 0) return [];
  const dims = search.vector.length;
  checkDimensions(dims);
  assertUsableVector(search.vector, dims, "query vector");
  const docFilter = search.documentIds ? " AND document_id = ANY($4::text[])" : "";
  const sql = `WITH nearest AS MATERIALIZED (
    SELECT chunk_id, ${indexedExpr(dims)} <=> ${queryParam(dims)} AS distance
    FROM ${vectorTableName(dims)} WHERE project_id = $2${docFilter}
    ORDER BY distance LIMIT $3
  ) SELECT chunk_id AS "chunkId", distance FROM nearest ORDER BY distance, chunk_id`;
  const params: unknown[] = [toVectorLiteral(search.vector), search.projectId, search.k];
  if (search.documentIds) params.push(search.documentIds);
  return withClient(db, async (c) => {
    if (!configured.has(c)) {
      await c.query(CONFIGURE);
      configured.add(c);
    }
    try {
      const { rows } = await c.query<VectorHit>(sql, params);
      return rows;
    } catch (err) {
      // Nothing indexed yet (undefined_table): no hits rather than an error.
      if ((err as { code?: string }).code === "42P01") return [];
      throw err;
    }
  });
}
