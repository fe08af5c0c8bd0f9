// Where chunks live for retrieval, per dialect: the chunk rows, their vectors (sqlite-vec / pgvector)
// and a lexical index (FTS5 / PostgreSQL full text). A document's chunks become searchable in one
// transaction, so a failed ingestion never leaves half a document behind.
import { randomBase62 } from "../crypto";
import { rawPg, rawSqlite, withPgTransaction } from "../db-raw";
import { env } from "../env";
import { LOCAL_EMBEDDING_MODEL } from "./embeddings/local";
import { vectorToBuffer } from "./vector/codec";
import * as pgv from "./vector/postgres";
import * as sqv from "./vector/sqlite";

export const DIMENSIONS = LOCAL_EMBEDDING_MODEL.dimensions;

export interface StoredChunk {
  ordinal: number;
  heading: string | null;
  content: string;
  tokenCount: number;
  vector: Float32Array;
}

const FTS_DDL_SQLITE = `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts USING fts5(content, chunk_id UNINDEXED, project_id UNINDEXED, document_id UNINDEXED, tokenize = 'porter unicode61')`;
const FTS_DDL_PG = `CREATE INDEX IF NOT EXISTS chunks_content_fts_idx ON "chunks" USING gin (to_tsvector('english', "content"))`;

let ready: Promise<void> | undefined;

/** Creates the vector and lexical indexes once per process (idempotent; they are not Prisma-managed). */
export function ensureRagIndexes(): Promise<void> {
  ready ??= (async () => {
    if (env().dialect === "sqlite") {
      const db = rawSqlite();
      sqv.loadVectorExtension(db);
      sqv.ensureVectorTable(db, DIMENSIONS);
      db.exec(FTS_DDL_SQLITE);
    } else {
      await pgv.ensureVectorTable(rawPg(), DIMENSIONS);
      await rawPg().query(FTS_DDL_PG);
    }
  })().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Replaces the document's chunks, vectors and lexical rows, and marks it ready, atomically. */
export async function commitDocumentChunks(doc: { id: string; orgId: string; projectId: string }, chunks: StoredChunk[]): Promise<void> {
  await ensureRagIndexes();
  const now = new Date();
  const rows = chunks.map((c) => ({ id: `chk_${randomBase62(24)}`, ...c }));
  if (env().dialect === "sqlite") {
    const db = rawSqlite();
    db.transaction(() => {
      deleteSqlite(db, doc.id);
      const insert = db.prepare(`INSERT INTO "chunks" ("id","orgId","projectId","documentId","ordinal","heading","content","tokenCount","embedding","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?)`);
      const fts = db.prepare(`INSERT INTO chunk_fts (content, chunk_id, project_id, document_id) VALUES (?,?,?,?)`);
      for (const r of rows) {
        insert.run(r.id, doc.orgId, doc.projectId, doc.id, r.ordinal, r.heading, r.content, r.tokenCount, vectorToBuffer(r.vector), sqliteDate(now));
        fts.run(r.content, r.id, doc.projectId, doc.id);
      }
      sqv.upsertVectors(db, rows.map((r) => ({ chunkId: r.id, projectId: doc.projectId, documentId: doc.id, vector: r.vector })));
      db.prepare(`UPDATE "documents" SET "status" = 'ready', "error" = NULL, "chunkCount" = ?, "updatedAt" = ? WHERE "id" = ?`).run(rows.length, sqliteDate(now), doc.id);
    })();
    return;
  }
  await withPgTransaction(async (client) => {
    await deletePg(client, doc.id);
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
    await pgv.upsertVectors(client, rows.map((r) => ({ chunkId: r.id, projectId: doc.projectId, documentId: doc.id, vector: r.vector })));
    await client.query(`UPDATE "documents" SET "status" = 'ready', "error" = NULL, "chunkCount" = $1, "updatedAt" = $2 WHERE "id" = $3`, [rows.length, now.toISOString(), doc.id]);
  });
}

function deleteSqlite(db: ReturnType<typeof rawSqlite>, documentId: string) {
  sqv.deleteDocumentVectors(db, documentId);
  db.prepare(`DELETE FROM chunk_fts WHERE document_id = ?`).run(documentId);
  db.prepare(`DELETE FROM "chunks" WHERE "documentId" = ?`).run(documentId);
}

async function deletePg(client: pgv.PgHandle, documentId: string) {
  await pgv.deleteDocumentVectors(client, documentId);
  await client.query(`DELETE FROM "chunks" WHERE "documentId" = $1`, [documentId]);
}

/** Removes everything searchable of a document (its row is deleted by the caller). */
export async function deleteDocumentIndex(documentId: string): Promise<void> {
  await ensureRagIndexes();
  if (env().dialect === "sqlite") {
    const db = rawSqlite();
    db.transaction(() => deleteSqlite(db, documentId))();
  } else {
    await deletePg(rawPg(), documentId);
  }
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

/** FTS5 / tsquery syntax is not for users: keep words, OR them. */
function terms(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])].slice(0, 32);
}

export async function lexicalSearch(projectId: string, query: string, k: number, documentIds?: string[]): Promise<RankedHit[]> {
  await ensureRagIndexes();
  const words = terms(query);
  if (words.length === 0 || documentIds?.length === 0) return [];
  if (env().dialect === "sqlite") {
    const match = words.map((w) => `"${w}"`).join(" OR ");
    const docFilter = documentIds ? ` AND document_id IN (SELECT value FROM json_each(?))` : "";
    const params: unknown[] = [match, projectId, ...(documentIds ? [JSON.stringify(documentIds)] : []), k];
    const rows = rawSqlite()
      .prepare(`SELECT chunk_id FROM chunk_fts WHERE chunk_fts MATCH ? AND project_id = ?${docFilter} ORDER BY bm25(chunk_fts) LIMIT ?`)
      .all(...params) as { chunk_id: string }[];
    return rows.map((r, i) => ({ chunkId: r.chunk_id, rank: i + 1 }));
  }
  const tsquery = words.map((w) => w.replace(/[^\p{L}\p{N}]/gu, "")).filter(Boolean).join(" | ");
  const docFilter = documentIds ? ` AND "documentId" = ANY($4)` : "";
  const params: unknown[] = [tsquery, projectId, k, ...(documentIds ? [documentIds] : [])];
  const { rows } = await rawPg().query(
    `SELECT "id" FROM "chunks" WHERE to_tsvector('english', "content") @@ to_tsquery('english', $1) AND "projectId" = $2${docFilter}
     ORDER BY ts_rank(to_tsvector('english', "content"), to_tsquery('english', $1)) DESC LIMIT $3`,
    params,
  );
  return (rows as { id: string }[]).map((r, i) => ({ chunkId: r.id, rank: i + 1 }));
}
