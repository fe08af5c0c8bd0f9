// A project's own embedding model and rerank stage, end to end on both databases: documents are
// embedded through the adapter library by a real HTTP mock upstream (hashed bag-of-words vectors as
// wide as the model name says: 384 and 256, never the offline model's 512), stored in a vector table
// of that width, retrieved with queries embedded by the same model, reranked by the mock reranker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as docItem from "@/app/api/documents/[id]/route";
import * as projectItem from "@/app/api/projects/[id]/route";
import * as docs from "@/app/api/projects/[id]/documents/route";
import * as search from "@/app/api/projects/[id]/search/route";
import * as projects from "@/app/api/projects/route";
import { flushAudit } from "@/lib/audit/writer";
import { db } from "@/lib/db";
import { rawPg, rawSqlite } from "@/lib/db-raw";
import { env, resetEnvForTests } from "@/lib/env";
import { closeLocalEmbeddings } from "@/lib/rag/embeddings/local";
import { ingestionIdle, resumeIngestion } from "@/lib/rag/ingest";
import { commitDocumentChunks, pruneOrphanIndexRows, setProjectEmbeddingModel } from "@/lib/rag/store";
import * as pgv from "@/lib/rag/vector/postgres";
import * as sqv from "@/lib/rag/vector/sqlite";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";
import { call, signedInUser } from "../helpers/http";

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
  process.env.VECSTRUCT_PROVIDER_MOCKEMB_BASE_URL = `${mock.origin}/v1`;
  process.env.VECSTRUCT_PROVIDER_MOCKEMB_MODELS = "hash-384d:embedding,hash-256d:embedding,hash-9000d:embedding,rank:rerank,chatty:chat";
  resetEnvForTests();
});

afterAll(async () => {
  await ingestionIdle();
  await closeLocalEmbeddings();
  await mock?.close();
});

type User = Awaited<ReturnType<typeof signedInUser>>;

async function newProject(u: User, body: Record<string, unknown>) {
  const res = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "rag-models", ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; embedding_model: string | null; rerank_model: string | null };
}

async function addDoc(u: User, projectId: string, title: string, content: string): Promise<string> {
  const res = await call(docs.POST, { method: "POST", headers: u.headers, params: { id: projectId }, body: { title, content } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const getDoc = async (u: User, id: string) => (await call(docItem.GET, { headers: u.headers, params: { id } })).body;
const find = (u: User, projectId: string, body: Record<string, unknown>) => call(search.POST, { method: "POST", headers: u.headers, params: { id: projectId }, body });
const embeddingCalls = () => mock.requests.filter((r) => r.path === "/v1/embeddings");

/** Widths of the vector tables that hold rows of this project. */
async function projectVectorWidths(projectId: string): Promise<number[]> {
  const out: number[] = [];
  if (env().dialect === "sqlite") {
    const h = rawSqlite();
    sqv.loadVectorExtension(h);
    for (const d of sqv.vectorTables(h)) {
      const n = (h.prepare(`SELECT count(*) AS n FROM ${sqv.vectorTableName(d)} WHERE project_id = ?`).get(projectId) as { n: number }).n;
      if (n > 0) out.push(d);
    }
  } else {
    for (const d of await pgv.vectorTables(rawPg())) {
      const { rows } = await rawPg().query<{ n: string }>(`SELECT count(*) AS n FROM ${pgv.vectorTableName(d)} WHERE project_id = $1`, [projectId]);
      if (Number(rows[0]!.n) > 0) out.push(d);
    }
  }
  return out;
}

async function chunkWidths(projectId: string): Promise<number[]> {
  const rows = await db().chunk.findMany({ where: { projectId }, select: { embedding: true } });
  return [...new Set(rows.map((r) => (r.embedding?.byteLength ?? 0) / 4))];
}

const RETURNS = "# Returns\n\nCustomers may return any product within 30 days for a full refund.\n\n# Shipping\n\nOrders ship within two business days from the Lyon warehouse.";

describe("a project's embedding model", () => {
  it("embeds documents and queries through the upstream, stores them at the model's width, and keeps tenants apart", async () => {
    const a = await signedInUser("emb-a");
    const b = await signedInUser("emb-b");
    const pa = await newProject(a, { embedding_model: "mockemb/hash-384d" });
    expect(pa.embedding_model).toBe("mockemb/hash-384d");
    const pb = await newProject(b, { embedding_model: "mockemb/hash-384d" });
    const aLocal = await newProject(a, {}); // the offline default, same organization
    expect(aLocal.embedding_model).toBeNull();

    const before = embeddingCalls().length;
    const docA = await addDoc(a, pa.id, "Returns policy", RETURNS);
    const docB = await addDoc(b, pb.id, "Returns policy of B", "# Returns\n\nB's customers may return products within 90 days for a refund.");
    const docLocal = await addDoc(a, aLocal.id, "Local returns", "# Returns\n\nReturns are accepted within 14 days.");
    await ingestionIdle();

    const ready = await getDoc(a, docA);
    expect(ready).toMatchObject({ status: "ready", embedding_model: "mockemb/hash-384d", error: null });
    expect((await getDoc(a, docLocal)).embedding_model).toBe("vecstruct/local-embeddings-en");
    // Ingestion went through the adapter library to the upstream, with the upstream's model id.
    const calls = embeddingCalls().slice(before);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((c) => c.body.model === "hash-384d" && c.body.encoding_format === "float")).toBe(true);
    expect(calls.some((c) => c.body.input.length === ready.chunk_count)).toBe(true);
    // Stored at the model's width, in the table of that width only.
    expect(await chunkWidths(pa.id)).toEqual([384]);
    expect(await projectVectorWidths(pa.id)).toEqual([384]);
    expect(await projectVectorWidths(aLocal.id)).toEqual([512]);

    const hit = await find(a, pa.id, { query: "how many days to return a product for a refund", top_k: 3 });
    expect(hit.status).toBe(200);
    expect(hit.body.warnings).toEqual([]);
    expect(hit.body.data[0]).toMatchObject({ document_id: docA, title: "Returns policy" });
    expect(hit.body.data[0].content).toContain("30 days");
    expect(hit.body.data[0].vector_rank).not.toBeNull();
    expect(hit.body.data[0].similarity).toBeGreaterThan(0.2);
    expect(hit.body.data[0].similarity).toBeLessThanOrEqual(1);
    expect(embeddingCalls().at(-1)!.body.input).toEqual(["how many days to return a product for a refund"]);

    // Neither the other tenant (same model, same width) nor the other project of the same organization is ever retrieved.
    const everything = async (u: User, projectId: string) => (await find(u, projectId, { query: "returns refund days customers product", top_k: 50 })).body.data.map((h: { document_id: string }) => h.document_id);
    expect(new Set(await everything(a, pa.id))).toEqual(new Set([docA]));
    expect(new Set(await everything(b, pb.id))).toEqual(new Set([docB]));
    expect(new Set(await everything(a, aLocal.id))).toEqual(new Set([docLocal]));
    const foreign = await find(b, pb.id, { query: "returns", source_ids: [docA] });
    expect(foreign.status).toBe(400);
    expect((await call(projectItem.PATCH, { method: "PATCH", headers: b.headers, params: { id: pa.id }, body: { embedding_model: null } })).status).toBe(404);

    // Internal audit rows, billed to the project's organization.
    await flushAudit();
    const rows = await db().auditLog.findMany({ where: { projectId: pa.id, origin: "internal" }, orderBy: { createdAt: "asc" } });
    expect(rows.find((r) => r.endpoint === "ingest:embeddings")).toMatchObject({ orgId: a.org.id, model: "mockemb/hash-384d", provider: "mockemb", status: "success", apiKeyId: null });
    expect(rows.some((r) => r.endpoint === "rag:query-embedding" && r.status === "success" && r.promptTokens > 0)).toBe(true);
  });

  it("accepts only an available model of the right kind, and normalises the offline default to null", async () => {
    const u = await signedInUser("emb-check");
    for (const [body, param] of [
      [{ embedding_model: "mockemb/chatty" }, "embedding_model"],
      [{ embedding_model: "mockemb/rank" }, "embedding_model"],
      [{ embedding_model: "nobody/nothing" }, "embedding_model"],
      [{ embedding_model: "not a model id" }, "embedding_model"],
      [{ rerank_model: "mockemb/hash-384d" }, "rerank_model"],
    ] as const) {
      const res = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "x", ...body } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
    const p = await newProject(u, { embedding_model: "vecstruct/local-embeddings-en", rerank_model: "mockemb/rank" });
    expect(p).toMatchObject({ embedding_model: null, rerank_model: "mockemb/rank" });
    const cleared = await call(projectItem.PATCH, { method: "PATCH", headers: u.headers, params: { id: p.id }, body: { rerank_model: null } });
    expect(cleared.body).toMatchObject({ embedding_model: null, rerank_model: null });
  });

  it("re-embeds every document when the model changes, and never mixes the old vectors in", async () => {
    const u = await signedInUser("emb-switch");
    const p = await newProject(u, { embedding_model: "mockemb/hash-384d" });
    const ids = [await addDoc(u, p.id, "Returns policy", RETURNS), await addDoc(u, p.id, "Warranty", "# Warranty\n\nEvery unit is covered for two years.")];
    await ingestionIdle();
    expect(await chunkWidths(p.id)).toEqual([384]);

    // The same model again: nothing happens.
    await call(projectItem.PATCH, { method: "PATCH", headers: u.headers, params: { id: p.id }, body: { embedding_model: "mockemb/hash-384d", name: "renamed" } });
    expect((await getDoc(u, ids[0]!)).status).toBe("ready");

    // The switch itself, with the queue held back so its state can be seen: one transaction drops
    // everything searchable of the old model and queues every document (the status is the progress).
    const queued = await setProjectEmbeddingModel(p.id, "mockemb/hash-256d");
    expect([...queued].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await getDoc(u, id)).toMatchObject({ status: "queued", embedding_model: null, chunk_count: 0 });
    expect(await projectVectorWidths(p.id)).toEqual([]);
    expect(await db().chunk.count({ where: { projectId: p.id } })).toBe(0);
    expect((await find(u, p.id, { query: "warranty years", top_k: 5 })).body.data).toEqual([]);
    // An ingestion that embedded with the old model before the switch cannot commit its vectors.
    const stale = [{ ordinal: 0, heading: null, content: "old", tokenCount: 1, vector: Float32Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)) }];
    const doc = { id: ids[0]!, orgId: u.org.id, projectId: p.id };
    expect(await commitDocumentChunks(doc, stale, "mockemb/hash-384d")).toBe("stale"); // queued, not processing
    await db().document.update({ where: { id: ids[0]! }, data: { status: "processing" } });
    expect(await commitDocumentChunks(doc, stale, "mockemb/hash-384d")).toBe("stale"); // not the project's model
    expect(await db().chunk.count({ where: { projectId: p.id } })).toBe(0);
    expect(await resumeIngestion()).toBe(2);
    await ingestionIdle();
    for (const id of ids) expect(await getDoc(u, id)).toMatchObject({ status: "ready", embedding_model: "mockemb/hash-256d" });
    expect(await chunkWidths(p.id)).toEqual([256]);
    expect(await projectVectorWidths(p.id)).toEqual([256]);
    const hit = await find(u, p.id, { query: "warranty years unit covered", top_k: 1 });
    expect(hit.body.data[0]).toMatchObject({ document_id: ids[1], vector_rank: 1 });
    expect(embeddingCalls().at(-1)!.body.model).toBe("hash-256d");

    // Through the API, back to the offline default.
    const switched = await call(projectItem.PATCH, { method: "PATCH", headers: u.headers, params: { id: p.id }, body: { embedding_model: null } });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ embedding_model: null, name: "renamed" });
    await ingestionIdle();
    expect(await getDoc(u, ids[0]!)).toMatchObject({ status: "ready", embedding_model: "vecstruct/local-embeddings-en" });
    expect(await projectVectorWidths(p.id)).toEqual([512]);

    // Chunks deleted behind the index's back (Prisma cascades cannot reach vec0/FTS5 on SQLite):
    // the periodic sweep removes what is left; on PostgreSQL foreign keys already did.
    await db().chunk.deleteMany({ where: { projectId: p.id } });
    const swept = await pruneOrphanIndexRows();
    if (env().dialect === "sqlite") expect(swept).toBeGreaterThan(0);
    else expect(swept).toBe(0);
    expect(await projectVectorWidths(p.id)).toEqual([]);
    expect(await pruneOrphanIndexRows()).toBe(0);
  });

  it("fails a document whose embedding upstream keeps failing, with the reason, and degrades a failing query to keywords", async () => {
    const u = await signedInUser("emb-fail");
    const p = await newProject(u, { embedding_model: "mockemb/hash-384d" });
    const good = await addDoc(u, p.id, "Returns policy", RETURNS);
    const bad = await addDoc(u, p.id, "Broken", "This text makes the mock fail [[fault:500]].");
    await ingestionIdle();
    const failed = await getDoc(u, bad);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/embedding model mockemb\/hash-384d failed/);
    expect(await db().chunk.count({ where: { documentId: bad } })).toBe(0);

    const res = await find(u, p.id, { query: "refund days [[embed-fault]]", top_k: 3 });
    expect(res.status).toBe(200);
    expect(res.body.warnings.join(" ")).toMatch(/could not be embedded with mockemb\/hash-384d/);
    expect(res.body.data[0]).toMatchObject({ document_id: good, vector_rank: null, cosine: null, lexical_rank: 1, similarity: 1 });
    expect(res.body.data[0].lexical_rank).not.toBeNull();

    // Wider vectors than the database's index takes: a clear reason, not a crash.
    const wide = await newProject(u, { embedding_model: "mockemb/hash-9000d" });
    const tooWide = await addDoc(u, wide.id, "Wide", "Some text.");
    await ingestionIdle();
    expect(await getDoc(u, tooWide)).toMatchObject({ status: "failed", error: expect.stringMatching(/returns 9000-dimension vectors; this database's vector index takes at most (8192|4000)/) });
  });
});

describe("the rerank stage", () => {
  // "alpha" is rare and "beta" common: hybrid search prefers the short all-alpha passage, while the
  // mock reranker (share of query words present) prefers the long one that has both words.
  const corpus = [
    ["Alpha sheet", "alpha alpha alpha"],
    ["Long note", "This long note mentions alpha once and beta once, among many other words about weather, trains, bread, rivers and music."],
    ["Beta one", "beta appears here with rivers"],
    ["Beta two", "beta appears there with bread"],
    ["Beta three", "beta is common in this corpus of trains"],
  ] as const;

  it("orders candidates as the reranker says, and falls back to the fused order when it fails", async () => {
    const u = await signedInUser("rerank");
    const p = await newProject(u, { embedding_model: "mockemb/hash-384d", rerank_model: "mockemb/rank" });
    const ids: string[] = [];
    for (const [title, content] of corpus) ids.push(await addDoc(u, p.id, title, content));
    await ingestionIdle();
    const [alphaSheet, longNote] = ids;

    const fused = await find(u, p.id, { query: "alpha beta", top_k: 5, rerank: false });
    expect(fused.body.data[0].document_id).toBe(alphaSheet);
    expect(fused.body.data.every((h: { rerank_rank: number | null }) => h.rerank_rank === null)).toBe(true);

    const before = mock.requests.length;
    const reranked = await find(u, p.id, { query: "alpha beta", top_k: 5 });
    expect(reranked.body.warnings).toEqual([]);
    const sent = mock.requests.slice(before).find((r) => r.path === "/v1/rerank")!;
    expect(sent.body).toMatchObject({ model: "rank", query: "alpha beta" });
    expect(sent.body.documents).toHaveLength(fused.body.data.length);
    const top = reranked.body.data[0];
    expect(top).toMatchObject({ document_id: longNote, rerank_rank: 1, rerank_score: 1 });
    const scores = reranked.body.data.map((h: { rerank_score: number }) => h.rerank_score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));

    const failing = await find(u, p.id, { query: "alpha beta [[rerank-fault]]", top_k: 5 });
    expect(failing.status).toBe(200);
    expect(failing.body.warnings.join(" ")).toMatch(/reranking with mockemb\/rank failed/);
    const unreranked = await find(u, p.id, { query: "alpha beta [[rerank-fault]]", top_k: 5, rerank: false });
    expect(failing.body.data.map((h: { chunk_id: string }) => h.chunk_id)).toEqual(unreranked.body.data.map((h: { chunk_id: string }) => h.chunk_id));

    await flushAudit();
    const rows = await db().auditLog.findMany({ where: { projectId: p.id, endpoint: "rag:rerank" } });
    expect(rows.map((r) => r.status).sort()).toEqual(["error", "success"]);
  });
});
