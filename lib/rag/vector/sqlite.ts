// Chunk vector index on SQLite with sqlite-vec (a `vec0` virtual table), on a better-sqlite3 handle.
//
//   CREATE VIRTUAL TABLE chunk_vectors USING vec0(
//     chunk_id    text primary key,        -- chunks.id
//     project_id  text partition key,      -- KNN only scans the project's own vector chunks
//     document_id text,                    -- metadata column: filterable inside the KNN (=, IN)
//     embedding   float[N] distance_metric=cosine,
//     chunk_size=C                         -- vectors per storage block, see chunkSizeFor()
//   );
//
// The extension must be loaded on every connection that touches the table ("no such module: vec0"
// otherwise); every function here loads it on the handle it is given. Other connections (Prisma's,
// the migration runner's) work on the rest of the database as usual, but cannot read or drop this
// table, and so cannot cascade into it: deleting chunks through Prisma leaves their vectors behind
// until deleteVectors()/pruneOrphanVectors() runs. Searches should join hits back to `chunks`.
import type Database from "better-sqlite3";
import { load as loadSqliteVec } from "sqlite-vec";
import { assertUsableVector, vectorToBuffer } from "./codec";
import { checkK, type VectorHit, type VectorRow, type VectorSearch } from "./types";

export const VECTOR_TABLE = "chunk_vectors";

/**
 * vec0 preallocates storage a block of `chunk_size` vectors at a time, per partition. The default
 * (1024) costs 2 MB per project at 512 dimensions even for one vector (100 one-chunk projects: 213 MB
 * measured). Blocks of ~512 KB keep that at 0.5 MB per project and measured no slower (±10%).
 */
export function chunkSizeFor(dimensions: number): number {
  const target = Math.floor(131_072 / dimensions / 8) * 8;
  return Math.min(1024, Math.max(64, target));
}

/** The exact DDL ensureVectorTable() runs (also what a migration would contain). */
export function vectorTableDdl(dimensions: number): string {
  checkDimensions(dimensions);
  return (
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${VECTOR_TABLE} USING vec0(` +
    `chunk_id text primary key, project_id text partition key, document_id text, ` +
    `embedding float[${dimensions}] distance_metric=cosine, chunk_size=${chunkSizeFor(dimensions)})`
  );
}

function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 8192) throw new Error(`vector dimensions must be a whole number in 1..8192, got ${dimensions}`);
}

const loaded = new WeakSet<Database.Database>();
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Loads sqlite-vec into this connection (once per handle). */
export function loadVectorExtension(db: Database.Database): void {
  if (loaded.has(db)) return;
  loadSqliteVec(db);
  loaded.add(db);
}

function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** The `float[N]` of an existing table, or undefined when there is none. */
export function vectorTableDimensions(db: Database.Database): number | undefined {
  const row = prepared(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(VECTOR_TABLE) as { sql: string } | undefined;
  if (!row) return undefined;
  const m = /embedding\s+float\[(\d+)\]/i.exec(row.sql);
  if (!m?.[1]) throw new Error(`${VECTOR_TABLE} exists but is not a vec0 table with an embedding float[N] column: ${row.sql}`);
  return Number(m[1]);
}

/**
 * Creates the table if it is missing (idempotent). Throws if it exists with other dimensions:
 * switching the embedding model means dropping the table and re-embedding every chunk.
 */
export function ensureVectorTable(db: Database.Database, dimensions: number): void {
  checkDimensions(dimensions);
  loadVectorExtension(db);
  const existing = vectorTableDimensions(db);
  if (existing === undefined) {
    db.exec(vectorTableDdl(dimensions));
    return;
  }
  if (existing !== dimensions) {
    throw new Error(`${VECTOR_TABLE} holds ${existing}-dimension vectors but the embedding model produces ${dimensions}; drop the table and re-embed the chunks`);
  }
}

/** Inserts or replaces rows (vec0 has no UPSERT and cannot update a partition key: delete + insert), in one transaction. */
export function upsertVectors(db: Database.Database, rows: readonly VectorRow[]): void {
  if (rows.length === 0) return;
  loadVectorExtension(db);
  const dims = vectorTableDimensions(db);
  if (dims === undefined) throw new Error(`${VECTOR_TABLE} does not exist: call ensureVectorTable() first`);
  for (const r of rows) assertUsableVector(r.vector, dims, `vector of chunk ${r.chunkId}`);
  const del = prepared(db, `DELETE FROM ${VECTOR_TABLE} WHERE chunk_id = ?`);
  const ins = prepared(db, `INSERT INTO ${VECTOR_TABLE} (chunk_id, project_id, document_id, embedding) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of rows) {
      del.run(r.chunkId);
      ins.run(r.chunkId, r.projectId, r.documentId, vectorToBuffer(r.vector));
    }
  })();
}

/** Deletes the vectors of these chunks; returns how many existed. */
export function deleteVectors(db: Database.Database, chunkIds: readonly string[]): number {
  if (chunkIds.length === 0 || vectorTableDimensionsLoaded(db) === undefined) return 0;
  const del = prepared(db, `DELETE FROM ${VECTOR_TABLE} WHERE chunk_id = ?`);
  return db.transaction(() => chunkIds.reduce((n, id) => n + del.run(id).changes, 0))();
}

/** Deletes every vector of a document (a full scan of the metadata column; fine for occasional deletes). */
export function deleteDocumentVectors(db: Database.Database, documentId: string): number {
  if (vectorTableDimensionsLoaded(db) === undefined) return 0;
  return prepared(db, `DELETE FROM ${VECTOR_TABLE} WHERE document_id = ?`).run(documentId).changes;
}

/**
 * Deletes vectors whose chunk no longer exists in `chunks` (e.g. after Prisma cascaded a project or
 * organization delete, which cannot reach this table). Returns how many went.
 */
export function pruneOrphanVectors(db: Database.Database): number {
  if (vectorTableDimensionsLoaded(db) === undefined) return 0;
  const orphans = db
    .prepare(`SELECT chunk_id FROM ${VECTOR_TABLE} WHERE chunk_id NOT IN (SELECT id FROM chunks)`)
    .pluck()
    .all() as string[];
  return deleteVectors(db, orphans);
}

function vectorTableDimensionsLoaded(db: Database.Database): number | undefined {
  loadVectorExtension(db);
  return vectorTableDimensions(db);
}

const SEARCH = `SELECT chunk_id AS chunkId, distance FROM ${VECTOR_TABLE} WHERE embedding MATCH ? AND k = ? AND project_id = ?`;
// vec0 applies metadata filters inside the KNN (k results among the matching rows), so no over-fetch.
const SEARCH_DOCS = `${SEARCH} AND document_id IN (SELECT value FROM json_each(?))`;

/** Exact (brute-force) KNN over the project's vectors, nearest first. */
export function searchVectors(db: Database.Database, search: VectorSearch): VectorHit[] {
  checkK(search.k);
  if (search.documentIds?.length === 0) return [];
  const dims = vectorTableDimensionsLoaded(db);
  if (dims === undefined) return [];
  assertUsableVector(search.vector, dims, "query vector");
  const query = vectorToBuffer(search.vector);
  const hits = search.documentIds
    ? prepared(db, SEARCH_DOCS).all(query, search.k, search.projectId, JSON.stringify(search.documentIds))
    : prepared(db, SEARCH).all(query, search.k, search.projectId);
  return hits as VectorHit[];
}
