// Runs against a throwaway database on the PostgreSQL at DATABASE_URL_TEST_PG (default
// postgresql://postgres@127.0.0.1:5432/postgres); skipped, saying why, when it is unreachable.
import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { similarityFromDistance } from "../../vector-codec";
import {
  deleteDocumentVectors,
  deleteProjectVectors,
  deleteVectors,
  ensureVectorTable,
  pruneOrphanVectors,
  searchVectors,
  toVectorLiteral,
  upsertVectors,
  vectorTables,
} from "./postgres";
import type { VectorRow } from "./types";

const base = process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `vs_vec_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

async function createDatabase(): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    const ext = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (ext.rowCount === 0) return `pgvector is not installed on ${base}`;
    await admin.query(`CREATE DATABASE ${name}`);
    return undefined;
  } catch (err) {
    return `PostgreSQL unreachable at ${base} (${(err as Error).message})`;
  } finally {
    await admin.end().catch(() => {});
  }
}

const skipReason = await createDatabase();
if (skipReason) console.warn(`[postgres.test] skipped: ${skipReason}`);
const url = new URL(base);
url.pathname = `/${name}`;
const pool = skipReason ? undefined : new pg.Pool({ connectionString: url.toString(), max: 4 });

afterAll(async () => {
  if (!pool) return;
  await pool.end();
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

const vec = (...xs: number[]) => new Float32Array(xs);
const row = (chunkId: string, projectId: string, documentId: string, vector: Float32Array): VectorRow => ({ chunkId, projectId, documentId, vector });
const ids = (hits: { chunkId: string }[]) => hits.map((h) => h.chunkId);

let seedValue = 7;
const rand = () => ((seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
const randomVector = (dims: number) => Float32Array.from({ length: dims }, rand);

describe.skipIf(skipReason !== undefined)("pgvector chunk index", () => {
  const db = pool!;

  beforeEach(async () => {
    const { rows } = await db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname ~ '^chunk_vectors'");
    for (const r of rows) await db.query(`DROP TABLE IF EXISTS ${r.relname}`);
    await db.query("DROP TABLE IF EXISTS chunks");
  });

  async function seed(): Promise<void> {
    await ensureVectorTable(db, 3);
    await upsertVectors(db, [
      row("a1", "p1", "d1", vec(1, 0, 0)),
      row("a2", "p1", "d1", vec(0.9, 0.1, 0)),
      row("a3", "p1", "d2", vec(0.5, 0.5, 0)),
      row("a4", "p1", "d3", vec(0, 1, 0)),
      row("b1", "p2", "d9", vec(1, 0, 0)),
    ]);
  }

  it("creates one table per width with its indexes, once (also concurrently); 512 keeps the original name", async () => {
    await Promise.all([ensureVectorTable(db, 3), ensureVectorTable(db, 3), ensureVectorTable(db, 512), ensureVectorTable(db, 3)]);
    expect(await vectorTables(db)).toEqual([3, 512]);
    const { rows } = await db.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'chunk_vectors_3' ORDER BY indexname");
    expect(rows.map((r) => r.indexname)).toEqual(["chunk_vectors_3_document_idx", "chunk_vectors_3_embedding_idx", "chunk_vectors_3_pkey", "chunk_vectors_3_project_document_idx"]);
    expect(rows.find((r) => r.indexname === "chunk_vectors_3_embedding_idx")!.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    const legacy = await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'chunk_vectors' ORDER BY indexname");
    expect(legacy.rows.map((r) => r.indexname)).toContain("chunk_vectors_embedding_idx");
  });

  it("never compares vectors of different widths: each width is searched in its own table", async () => {
    await seed();
    await ensureVectorTable(db, 4);
    await upsertVectors(db, [row("w1", "p1", "d5", vec(1, 0, 0, 0)), row("w2", "p1", "d5", vec(0, 1, 0, 0))]);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0, 0), k: 10 }))).toEqual(["w1", "w2"]);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a1", "a2", "a3", "a4"]);
    expect(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0, 0, 0), k: 10 })).toEqual([]);
    await expect(upsertVectors(db, [row("x", "p", "d", vec(1, 0, 0, 0, 0))])).rejects.toThrow(/ensureVectorTable/);
    expect(await deleteVectors(db, ["w1", "a1"])).toBe(2);
    expect(await deleteProjectVectors(db, "p1")).toBe(4);
    expect(ids(await searchVectors(db, { projectId: "p2", vector: vec(1, 0, 0), k: 10 }))).toEqual(["b1"]);
  });

  it("returns the project's nearest chunks, nearest first, with cosine distances", async () => {
    await seed();
    const hits = await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 3 });
    expect(ids(hits)).toEqual(["a1", "a2", "a3"]);
    expect(hits[0]!.distance).toBeCloseTo(0, 6);
    expect(similarityFromDistance(hits[2]!.distance)).toBeCloseTo(Math.SQRT1_2, 5);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 50 }))).not.toContain("b1");
    expect(ids(await searchVectors(db, { projectId: "p2", vector: vec(0, 1, 0), k: 5 }))).toEqual(["b1"]);
    expect(await searchVectors(db, { projectId: "nope", vector: vec(1, 0, 0), k: 5 })).toEqual([]);
  });

  it("filters by document before the limit", async () => {
    await seed();
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 2, documentIds: ["d2", "d3"] }))).toEqual(["a3", "a4"]);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: ["d3"] }))).toEqual(["a4"]);
    expect(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: [] })).toEqual([]);
    expect(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: ["d9"] })).toEqual([]);
  });

  it("upserts: a second write replaces vector, project and document; duplicates in one call: last wins", async () => {
    await seed();
    await upsertVectors(db, [row("a1", "p2", "d7", vec(0, 1, 0)), row("a1", "p2", "d7", vec(0, 0, 1))]);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a2", "a3", "a4"]);
    const p2 = await searchVectors(db, { projectId: "p2", vector: vec(0, 0, 1), k: 10 });
    expect(ids(p2)).toEqual(["a1", "b1"]);
    expect(p2[0]!.distance).toBeCloseTo(0, 6);
  });

  it("deletes by chunk and by document", async () => {
    await seed();
    expect(await deleteVectors(db, ["a1", "zz"])).toBe(1);
    expect(await deleteDocumentVectors(db, "d1")).toBe(1);
    expect(ids(await searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a3", "a4"]);
  });

  it("references chunks(id) ON DELETE CASCADE when the chunks table exists", async () => {
    await db.query("CREATE TABLE chunks (id text PRIMARY KEY)");
    await db.query("INSERT INTO chunks (id) VALUES ('c1'), ('c2')");
    await ensureVectorTable(db, 3);
    await upsertVectors(db, [row("c1", "p", "d", vec(1, 0, 0)), row("c2", "p", "d", vec(0, 1, 0))]);
    await expect(upsertVectors(db, [row("ghost", "p", "d", vec(1, 0, 0))])).rejects.toThrow(/foreign key/);
    await db.query("DELETE FROM chunks WHERE id = 'c1'");
    expect(ids(await searchVectors(db, { projectId: "p", vector: vec(1, 0, 0), k: 10 }))).toEqual(["c2"]);
    expect(await pruneOrphanVectors(db)).toBe(0);
  });

  it("rejects vectors it could not rank, and works before the table exists", async () => {
    expect(await searchVectors(db, { projectId: "p", vector: vec(1, 0, 0), k: 3 })).toEqual([]);
    expect(await deleteVectors(db, ["x"])).toBe(0);
    await expect(upsertVectors(db, [row("x", "p", "d", vec(1, 0, 0))])).rejects.toThrow(/ensureVectorTable/);
    await ensureVectorTable(db, 3);
    await expect(upsertVectors(db, [row("x", "p", "d", vec(0, 0, 0))])).rejects.toThrow(/all zeros/);
    await expect(upsertVectors(db, [row("x", "p", "d", vec(1, 0, 0)), row("y", "p", "d", vec(1, 0))])).rejects.toThrow(/2 dimensions/);
    await expect(searchVectors(db, { projectId: "p", vector: vec(1, 0, 0), k: 0 })).rejects.toThrow(/k must be/);
  });

  it("round-trips float32 values through the text format exactly", async () => {
    const v = Float32Array.from([0.1, -1e-7, 3.4028234663852886e38, 1 / 3, 123456.789]);
    const { rows } = await db.query("SELECT $1::vector::text AS t", [toVectorLiteral(v)]);
    const back = Float32Array.from((rows[0].t as string).slice(1, -1).split(",").map(Number));
    expect([...back]).toEqual([...v]);
  });

  it("indexes > 2000 dimensions through halfvec", async () => {
    const dims = 3072;
    await ensureVectorTable(db, dims);
    const { rows } = await db.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'chunk_vectors_3072_embedding_idx'");
    expect(rows[0].indexdef).toMatch(/halfvec\(3072\)\) halfvec_cosine_ops/);
    const vs = Array.from({ length: 5 }, () => randomVector(dims));
    await upsertVectors(db, vs.map((v, i) => row(`h${i}`, "p", "d", v)));
    const hits = await searchVectors(db, { projectId: "p", vector: vs[3]!, k: 2 });
    expect(hits[0]!.chunkId).toBe("h3");
    expect(hits[0]!.distance).toBeLessThan(1e-3);
  });

  it("filtered HNSW scans still return k rows for a small project (iterative scan)", async () => {
    const dims = 32;
    await ensureVectorTable(db, dims);
    const rows: VectorRow[] = [];
    for (let i = 0; i < 2000; i++) rows.push(row(`r${i}`, i % 50 === 0 ? "small" : "big", `d${i % 7}`, randomVector(dims)));
    await upsertVectors(db, rows);
    await db.query("ANALYZE chunk_vectors_32");
    // Force the HNSW path (the planner would rightly pick the btree for a project this small).
    await db.query("DROP INDEX chunk_vectors_32_project_document_idx");
    const client = await db.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const query = randomVector(dims);
      const plan = await client.query(
        `EXPLAIN SELECT chunk_id FROM chunk_vectors_32 WHERE project_id = 'small' ORDER BY embedding <=> '${toVectorLiteral(query)}' LIMIT 10`,
      );
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/chunk_vectors_32_embedding_idx/);
      const hits = await searchVectors(client, { projectId: "small", vector: query, k: 10 });
      expect(hits).toHaveLength(10);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.distance).toBeGreaterThanOrEqual(hits[i - 1]!.distance);
      // The caveat this guards against: without iterative scans most of the k rows are lost.
      await client.query("SET hnsw.iterative_scan = off");
      const plain = await searchVectors(client, { projectId: "small", vector: query, k: 10 });
      expect(plain.length).toBeLessThan(10);
    } finally {
      client.release(true); // its session settings were changed: do not return it to the pool
    }
  });
});
