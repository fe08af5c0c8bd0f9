import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { similarityFromDistance } from "../../vector-codec";
import {
  chunkSizeFor,
  deleteDocumentVectors,
  deleteProjectVectors,
  deleteVectors,
  ensureVectorTable,
  pruneOrphanVectors,
  searchVectors,
  upsertVectors,
  VECTOR_TABLE,
  vectorTableName,
  vectorTables,
} from "./sqlite";
import type { VectorRow } from "./types";

const dir = mkdtempSync(path.join(tmpdir(), "vecstruct-vec-"));
let n = 0;
let db: Database.Database;
const opened: Database.Database[] = [];

beforeEach(() => {
  db = new Database(path.join(dir, `t${++n}.db`));
  opened.push(db);
});

afterAll(() => {
  for (const d of opened) d.close();
  rmSync(dir, { recursive: true, force: true });
});

const vec = (...xs: number[]) => new Float32Array(xs);
const row = (chunkId: string, projectId: string, documentId: string, vector: Float32Array): VectorRow => ({ chunkId, projectId, documentId, vector });
const ids = (hits: { chunkId: string }[]) => hits.map((h) => h.chunkId);

function seed(): void {
  ensureVectorTable(db, 3);
  upsertVectors(db, [
    row("a1", "p1", "d1", vec(1, 0, 0)),
    row("a2", "p1", "d1", vec(0.9, 0.1, 0)),
    row("a3", "p1", "d2", vec(0.5, 0.5, 0)),
    row("a4", "p1", "d3", vec(0, 1, 0)),
    row("b1", "p2", "d9", vec(1, 0, 0)),
  ]);
}

describe("sqlite-vec chunk index", () => {
  it("creates one vec0 table per width, once each (512 keeps the original name)", () => {
    ensureVectorTable(db, 3);
    ensureVectorTable(db, 3);
    ensureVectorTable(db, 512);
    ensureVectorTable(db, 4);
    expect(vectorTables(db)).toEqual([3, 4, 512]);
    expect(vectorTableName(512)).toBe(VECTOR_TABLE);
    expect(vectorTableName(1024)).toBe(`${VECTOR_TABLE}_1024`);
  });

  it("never compares vectors of different widths: each width is searched in its own table", () => {
    seed();
    ensureVectorTable(db, 4);
    upsertVectors(db, [row("w1", "p1", "d5", vec(1, 0, 0, 0)), row("w2", "p1", "d5", vec(0, 1, 0, 0))]);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0, 0), k: 10 }))).toEqual(["w1", "w2"]);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a1", "a2", "a3", "a4"]);
    expect(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0, 0, 0), k: 10 })).toEqual([]);
    expect(() => upsertVectors(db, [row("x", "p", "d", vec(1, 0, 0, 0, 0))])).toThrow(/ensureVectorTable/);
    // Deletes reach every table.
    expect(deleteVectors(db, ["w1", "a1"])).toBe(2);
    expect(deleteProjectVectors(db, "p1")).toBe(4);
    expect(ids(searchVectors(db, { projectId: "p2", vector: vec(1, 0, 0), k: 10 }))).toEqual(["b1"]);
  });

  it("returns the project's nearest chunks, nearest first, with cosine distances", () => {
    seed();
    const hits = searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 3 });
    expect(ids(hits)).toEqual(["a1", "a2", "a3"]);
    expect(hits[0]!.distance).toBeCloseTo(0, 6);
    expect(similarityFromDistance(hits[2]!.distance)).toBeCloseTo(Math.SQRT1_2, 5);
    // Never another project's chunk, even an identical vector.
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 50 }))).not.toContain("b1");
    expect(ids(searchVectors(db, { projectId: "p2", vector: vec(0, 1, 0), k: 5 }))).toEqual(["b1"]);
    expect(searchVectors(db, { projectId: "nope", vector: vec(1, 0, 0), k: 5 })).toEqual([]);
  });

  it("filters by document inside the KNN (k results among the chosen documents)", () => {
    seed();
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 2, documentIds: ["d2", "d3"] }))).toEqual(["a3", "a4"]);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: ["d3"] }))).toEqual(["a4"]);
    expect(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: [] })).toEqual([]);
    expect(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 5, documentIds: ["d9"] })).toEqual([]);
  });

  it("upserts: a second write of a chunk replaces its vector, project and document", () => {
    seed();
    upsertVectors(db, [row("a1", "p2", "d7", vec(0, 0, 1))]);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a2", "a3", "a4"]);
    const p2 = searchVectors(db, { projectId: "p2", vector: vec(0, 0, 1), k: 10 });
    expect(ids(p2)).toEqual(["a1", "b1"]);
    expect(p2[0]!.distance).toBeCloseTo(0, 6);
  });

  it("deletes by chunk, by document, and prunes vectors of chunks that are gone", () => {
    seed();
    expect(deleteVectors(db, ["a1", "zz"])).toBe(1);
    expect(deleteDocumentVectors(db, "d1")).toBe(1);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a3", "a4"]);
    db.exec("CREATE TABLE chunks (id TEXT PRIMARY KEY); INSERT INTO chunks (id) VALUES ('a3'), ('b1')");
    expect(pruneOrphanVectors(db)).toBe(1);
    expect(ids(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 10 }))).toEqual(["a3"]);
  });

  it("rejects vectors it could not rank: wrong size, zero, NaN; and k out of range", () => {
    ensureVectorTable(db, 3);
    expect(() => upsertVectors(db, [row("x", "p", "d", vec(1, 0, 0)), row("y", "p", "d", vec(1, 0))])).toThrow(/2 dimensions/);
    expect(() => upsertVectors(db, [row("x", "p", "d", vec(0, 0, 0))])).toThrow(/all zeros/);
    expect(() => upsertVectors(db, [row("x", "p", "d", vec(1, Number.NaN, 0))])).toThrow(/non-finite/);
    expect(() => searchVectors(db, { projectId: "p", vector: vec(1, 0, 0), k: 0 })).toThrow(/k must be/);
    expect(() => searchVectors(db, { projectId: "p", vector: vec(1, 0, 0), k: 5000 })).toThrow(/k must be/);
  });

  it("works without the table (nothing indexed yet) and on a second connection to the same file", () => {
    expect(searchVectors(db, { projectId: "p1", vector: vec(1, 0, 0), k: 3 })).toEqual([]);
    expect(deleteVectors(db, ["a1"])).toBe(0);
    expect(() => upsertVectors(db, [row("a1", "p1", "d1", vec(1, 0, 0))])).toThrow(/ensureVectorTable/);
    seed();
    const other = new Database(db.name);
    opened.push(other);
    expect(ids(searchVectors(other, { projectId: "p1", vector: vec(0, 1, 0), k: 1 }))).toEqual(["a4"]);
    // A connection without the extension still works on the rest of the file.
    const plain = new Database(db.name);
    opened.push(plain);
    expect(plain.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = ?").get(vectorTableName(3))).toEqual({ n: 1 });
    expect(() => plain.prepare(`SELECT count(*) FROM ${vectorTableName(3)}`).get()).toThrow(/no such module: vec0/);
  });

  it("stays exact on a few thousand real-sized vectors", () => {
    const dims = 512;
    ensureVectorTable(db, dims);
    let seedValue = 42;
    const rand = () => ((seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const rows: VectorRow[] = [];
    for (let i = 0; i < 3000; i++) rows.push(row(`c${i}`, `p${i % 3}`, `d${i % 30}`, Float32Array.from({ length: dims }, rand)));
    upsertVectors(db, rows);
    const query = rows[7]!.vector;
    const hits = searchVectors(db, { projectId: "p1", vector: query, k: 5 });
    expect(hits[0]!.chunkId).toBe("c7");
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.distance).toBeGreaterThanOrEqual(hits[i - 1]!.distance);
    expect(chunkSizeFor(dims)).toBe(256);
  });
});
