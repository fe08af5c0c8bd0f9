// Chunk vector index on SQLite with sqlite-vec: one `vec0` virtual table per vector width, on a
// better-sqlite3 handle.
//
//   CREATE VIRTUAL TABLE chunk_vectors[_N] USING vec0(
//     chunk_id    text primary key,        -- chunks.id
//     project_id  text partition key,      -- KNN only scans the project's own vector chunks
//     document_id text,                    -- metadata column: filterable inside the KNN (=, IN)
//     embedding   float[N] distance_metric=cosine,
//     chunk_size=C                         -- vectors per storage block, see chunkSizeFor()
//   );
//
// One table per width N because a vec0 column has one fixed width, and projects may embed with
// different models (the offline 512-d default, a 1024-d bge-m3, …). 512 keeps the name the index had
// before there were several (`chunk_vectors`), so existing databases need no rebuild; others are
// `chunk_vectors_N`. Two models of the same width share a table: that is safe because a project's
// vectors all come from its one current model (a model change re-embeds them all) and every search is confined to
// one project's partition.
//
// The extension must be loaded on every connection that touches the tables ("no such module: vec0"
// otherwise); every function here loads it on the handle it is given. Other connections (Prisma's,
// the migration runner's) work on the rest of the database as usual, but cannot read or drop these
// tables, and so cannot cascade into them: deleting chunks through Prisma leaves their vectors behind
// until deleteVectors()/pruneOrphanVectors() runs. Searches should join hits back to `chunks`.
import type Database from "better-sqlite3";
import { load as loadSqliteVec } from "sqlite-vec";
import { assertUsableVector, vectorToBuffer } from "../../vector-codec";
import { checkK, type VectorHit, type VectorRow, type VectorSearch } from "./types";

/** The 512-wide table: the name the index had when it was the only one. */
export const VECTOR_TABLE = "chunk_vectors";

export function vectorTableName(dimensions: number): string {
  checkDimensions(dimensions);
  return dimensions === 512 ? VECTOR_TABLE : `${VECTOR_TABLE}_${dimensions}`;
}

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
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${vectorTableName(dimensions)} USING vec0(` +
    `chunk_id text primary key, project_id text partition key, document_id text, ` +
    `embedding float[${dimensions}] distance_metric=cosine, chunk_size=${chunkSizeFor(dimensions)})`
  );
}

export const MAX_DIMENSIONS = 8192;

function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) throw new Error(`vector dimensions must be a whole number in 1..${MAX_DIMENSIONS}, got ${dimensions}`);
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

const TABLE_NAME = /^chunk_vectors(?:_(\d+))?$/;

/** The widths that have a table, ascending. */
export function vectorTables(db: Database.Database): number[] {
  const rows = prepared(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'chunk\\_vectors%' ESCAPE '\\'").all() as { name: string; sql: string }[];
  const dims: number[] = [];
  for (const r of rows) {
    if (!TABLE_NAME.test(r.name)) continue; // vec0's shadow tables (chunk_vectors_chunks, …)
    const m = /embedding\s+float\[(\d+)\]/i.exec(r.sql);
    if (!m?.[1]) throw new Error(`${r.name} exists but is not a vec0 table with an embedding float[N] column: ${r.sql}`);
    const n = Number(m[1]);
    if (vectorTableName(n) !== r.name) throw new Error(`${r.name} holds ${n}-dimension vectors; expected ${vectorTableName(n)} for that width`);
    dims.push(n);
  }
  return dims.sort((a, b) => a - b);
}

/** Whether the table for this width exists. */
export function hasVectorTable(db: Database.Database, dimensions: number): boolean {
  loadVectorExtension(db);
  return prepared(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(vectorTableName(dimensions)) !== undefined;
}

/** Creates the table for this width if it is missing (idempotent). */
export function ensureVectorTable(db: Database.Database, dimensions: number): void {
  checkDimensions(dimensions);
  loadVectorExtension(db);
  if (!hasVectorTable(db, dimensions)) db.exec(vectorTableDdl(dimensions));
}

/**
 * Inserts or replaces rows (vec0 has no UPSERT and cannot update a partition key: delete + insert),
 * in one transaction. Every row must have the same width; that width's table must exist.
 */
export function upsertVectors(db: Database.Database, rows: readonly VectorRow[]): void {
  if (rows.length === 0) return;
  loadVectorExtension(db);
  const dims = rows[0]!.vector.length;
  checkDimensions(dims);
  if (!hasVectorTable(db, dims)) throw new Error(`${vectorTableName(dims)} does not exist: call ensureVectorTable() first`);
  for (const r of rows) assertUsableVector(r.vector, dims, `vector of chunk ${r.chunkId}`);
  const table = vectorTableName(dims);
  const del = prepared(db, `DELETE FROM ${table} WHERE chunk_id = ?`);
  const ins = prepared(db, `INSERT INTO ${table} (chunk_id, project_id, document_id, embedding) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of rows) {
      del.run(r.chunkId);
      ins.run(r.chunkId, r.projectId, r.documentId, vectorToBuffer(r.vector));
    }
  })();
}

function eachTable(db: Database.Database, fn: (table: string) => number): number {
  loadVectorExtension(db);
  return vectorTables(db).reduce((n, dims) => n + fn(vectorTableName(dims)), 0);
}

/** Deletes the vectors of these chunks, whatever their width (primary-key lookups); returns how many existed. */
export function deleteVectors(db: Database.Database, chunkIds: readonly string[]): number {
  if (chunkIds.length === 0) return 0;
  return db.transaction(() =>
    eachTable(db, (table) => {
      const del = prepared(db, `DELETE FROM ${table} WHERE chunk_id = ?`);
      return chunkIds.reduce((n, id) => n + del.run(id).changes, 0);
    }),
  )();
}

/** Deletes every vector of a document (a full scan of the metadata column per table; prefer deleteVectors with its chunk ids). */
export function deleteDocumentVectors(db: Database.Database, documentId: string): number {
  return eachTable(db, (table) => prepared(db, `DELETE FROM ${table} WHERE document_id = ?`).run(documentId).changes);
}

/** Deletes every vector of a project (its partition, in every table). */
export function deleteProjectVectors(db: Database.Database, projectId: string): number {
  return eachTable(db, (table) => prepared(db, `DELETE FROM ${table} WHERE project_id = ?`).run(projectId).changes);
}

/**
 * Deletes vectors whose chunk no longer exists in `chunks` (e.g. after Prisma cascaded an
 * organization delete, which cannot reach these tables). Returns how many went.
 */
export function pruneOrphanVectors(db: Database.Database): number {
  let n = 0;
  eachTable(db, (table) => {
    const orphans = db.prepare(`SELECT chunk_id FROM ${table} WHERE chunk_id NOT IN (SELECT id FROM chunks)`).pluck().all() as string[];
    const del = prepared(db, `DELETE FROM ${table} WHERE chunk_id = ?`);
    n += db.transaction(() => orphans.reduce((k, id) => k + del.run(id).changes, 0))();
    return 0;
  });
  return n;
}

const search = (table: string) => `SELECT chunk_id AS chunkId, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND project_id = ?`;
// vec0 applies metadata filters inside the KNN (k results among the matching rows), so no over-fetch.
const searchDocs = (table: string) => `${search(table)} AND document_id IN (SELECT value FROM json_each(?))`;

/** Exact (brute-force) KNN over the project's vectors of the query's width, nearest first. */
export function searchVectors(db: Database.Database, q: VectorSearch): VectorHit[] {
  checkK(q.k);
  if (q.documentIds?.length === 0) return [];
  const dims = q.vector.length;
  if (!hasVectorTable(db, dims)) return [];
  assertUsableVector(q.vector, dims, "query vector");
  const table = vectorTableName(dims);
  const query = vectorToBuffer(q.vector);
  const hits = q.documentIds
    ? prepared(db, searchDocs(table)).all(query, q.k, q.projectId, JSON.stringify(q.documentIds))
    : prepared(db, search(table)).all(query, q.k, q.projectId);
  return hits as VectorHit[];
}
