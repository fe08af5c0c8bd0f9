// vecstruct.rag with a project's own embedding model (local/bge-m3: the mock answers 1024-d vectors)
// and rerank model (local/jina-reranker), through the production build and the official openai client.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, auditRow, client, dbQuery, rawStream, upstreamRequests } from "./helpers";

async function waitReady(id: string) {
  for (let i = 0; i < 300; i++) {
    const doc = await admin(`/api/documents/${id}`);
    if (doc.status === "ready") return doc;
    if (doc.status === "failed") throw new Error(`ingestion failed: ${doc.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("document not ready in time");
}

let key: string;
let projectId: string;
const ids: Record<string, string> = {};
let foreignDoc: string;

beforeAll(async () => {
  const project = await admin("/api/projects", { name: "rag-models", embedding_model: "local/bge-m3", rerank_model: "local/jina-reranker" });
  expect(project).toMatchObject({ embedding_model: "local/bge-m3", rerank_model: "local/jina-reranker" });
  projectId = project.id;
  key = (await admin("/api/keys", { name: "rag-models", project_id: project.id })).key;
  // "alpha" is rare, "beta" common: hybrid search ranks the all-alpha sheet first, the reranker
  // (share of query words present) the long note that has both.
  const docs = {
    alphaSheet: ["Alpha sheet", "alpha alpha alpha"],
    longNote: ["Long note", "This long note mentions alpha once and beta once, among many other words about weather, trains, bread, rivers and music."],
    beta1: ["Beta one", "beta appears here with rivers"],
    beta2: ["Beta two", "beta appears there with bread"],
    returns: ["Returns policy", "# Returns\n\nCustomers may return any product within 30 days for a full refund."],
  };
  for (const [name, [title, content]] of Object.entries(docs)) ids[name] = (await admin(`/api/projects/${project.id}/documents`, { title, content })).id;
  const other = await admin("/api/projects", { name: "rag-models-other" });
  foreignDoc = (await admin(`/api/projects/${other.id}/documents`, { title: "Secret", content: "alpha beta alpha beta: the other project's secret refund window is 90 days." })).id;
  for (const id of [...Object.values(ids), foreignDoc]) await waitReady(id);
}, 120_000);

describe("a project's embedding and rerank models in chat", () => {
  it("embeds at the model's width, retrieves with it, and orders sources as the reranker says", async () => {
    const doc = await admin(`/api/documents/${ids.longNote}`);
    expect(doc.embedding_model).toBe("local/bge-m3");
    const widths = await dbQuery<{ w: number }>(`SELECT DISTINCT length("embedding") / 4 AS w FROM chunks WHERE "projectId" = ?`, projectId);
    expect(widths).toEqual([{ w: 1024 }]);

    const seen = (await upstreamRequests()).length;
    const res = (await client(key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "alpha beta" }], vecstruct: { rag: true, rag_top_k: 3 } } as never)) as any;
    const ext = res.vecstruct;
    expect(ext.warnings).toEqual([]);
    expect(ext.rag_sources[0]).toMatchObject({ document_id: ids.longNote, title: "Long note" });
    expect(ext.rag_sources.some((s: { document_id: string }) => s.document_id === foreignDoc)).toBe(false);
    expect(ext.rag_sources[0].similarity).toBeGreaterThan(0);

    const sent = (await upstreamRequests()).slice(seen);
    expect(sent.find((r) => r.path === "/v1/embeddings")!.body).toMatchObject({ model: "bge-m3", input: ["alpha beta"] });
    expect(sent.find((r) => r.path === "/v1/rerank")!.body).toMatchObject({ model: "jina-reranker", query: "alpha beta" });
    const chat = sent.find((r) => r.path === "/v1/chat/completions")!.body;
    expect(chat.messages[0].content).toMatch(/\[1\] Long note/);

    // The internal calls are audited as such, linked to the request's row.
    await auditRow(ext.audit_id);
    const internal = await (async () => {
      for (let i = 0; i < 50; i++) {
        const rows = await dbQuery(`SELECT * FROM audit_logs WHERE origin = 'internal' AND CAST(metadata AS TEXT) LIKE ?`, `%${ext.audit_id}%`);
        if (rows.length >= 2) return rows;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("internal audit rows not written");
    })();
    expect(internal.map((r) => [r.endpoint, r.model, r.status]).sort()).toEqual([
      ["rag:query-embedding", "local/bge-m3", "success"],
      ["rag:rerank", "local/jina-reranker", "success"],
    ]);
  });

  it("streams the same reranked sources in the vecstruct event", async () => {
    const res = await rawStream(key, { model: "openai/gpt-4o", stream: true, messages: [{ role: "user", content: "alpha beta" }], vecstruct: { rag: true, rag_top_k: 3 } });
    const payload = JSON.parse(res.events.find((e) => e.event === "vecstruct")!.data);
    expect(payload.rag_sources[0].document_id).toBe(ids.longNote);
  });

  it("keeps the fused order when the reranker fails, and says so without failing the request", async () => {
    const { data, response } = await client(key)
      .chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "alpha beta [[rerank-fault]]" }], vecstruct: { rag: true, rag_top_k: 3 } } as never)
      .withResponse();
    const ext = (data as any).vecstruct;
    expect(response.status).toBe(200);
    expect(ext.rag_sources[0].document_id).toBe(ids.alphaSheet);
    expect(ext.warnings.join(" ")).toMatch(/reranking with local\/jina-reranker failed/);
    expect(decodeURIComponent(response.headers.get("x-vecstruct-warnings")!)).toMatch(/reranking/);
  });

  it("retrieves by keywords when the query cannot be embedded", async () => {
    const res = (await client(key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "refund days [[embed-fault]]" }], vecstruct: { rag: true, rag_top_k: 2 } } as never)) as any;
    expect(res.vecstruct.warnings.join(" ")).toMatch(/could not be embedded with local\/bge-m3/);
    // Ranked by keywords (then the reranker): similarity is that ranking's, not a cosine that could not be computed.
    expect(res.vecstruct.rag_sources[0]).toMatchObject({ document_id: ids.returns });
    expect(res.vecstruct.rag_sources[0].similarity).toBeGreaterThan(0);
  });
});
