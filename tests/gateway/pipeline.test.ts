// The /v1 pipeline (lib/gateway/pipeline.ts) and the one upstream invocation (lib/upstream/invoke.ts),
// through HTTP: a project's limits hold on every endpoint, not on chat alone; an upstream 429 that
// outlives the retries tells the client when to come back; ingestion makes one invocation per
// embedding batch (the router's retries only, one audit row), not 3 × 3 attempts over 3 rows.
import { describe, expect, it } from "vitest";
import { admin, adminPatch, auditRow, baseURL, chatRaw, dbQuery, newKey, until } from "./helpers";

async function post(path: string, apiKey: string, body: unknown) {
  const res = await fetch(`${baseURL}${path}`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}
const embed = (key: string, input: string) => post("/v1/embeddings", key, { model: "local/bge-m3", input });
const rerank = (key: string, query: string) => post("/v1/rerank", key, { model: "local/jina-reranker", query, documents: ["alpha", "beta"] });

describe("a project's limits apply to every /v1 endpoint", () => {
  it("refuses the second embeddings request of a project limited to 1 request per minute, with Retry-After, and audits it", async () => {
    const { key, projectId } = await newKey();
    await adminPatch(`/api/projects/${projectId}`, { rpm_limit: 1 });
    const first = await embed(key, "first");
    const second = await embed(key, "second");
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(second.body.error).toMatchObject({ code: "rate_limit_exceeded", type: "rate_limit_error" });
    expect(second.body.error.message).toContain("this project");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(second.headers.get("x-ratelimit-limit-requests")).toBe("1");
    const row = await auditRow(second.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ endpoint: "/v1/embeddings", status: "error", httpStatus: 429, errorCode: "rate_limit_exceeded", projectId });
  });

  it("refuses the second rerank request of a project limited to 1 request per minute", async () => {
    const { key, projectId } = await newKey();
    await adminPatch(`/api/projects/${projectId}`, { rpm_limit: 1 });
    const first = await rerank(key, "alpha");
    const second = await rerank(key, "beta");
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(second.body.error.message).toContain("this project");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("counts embeddings tokens against the project's tokens-per-minute limit", async () => {
    const { key, projectId } = await newKey();
    await adminPatch(`/api/projects/${projectId}`, { tpm_limit: 5 });
    const first = await embed(key, "a text of clearly more than five tokens, so that the minute's budget is spent");
    expect(first.status).toBe(200);
    const second = await embed(key, "x");
    expect(second.status).toBe(429);
    expect(second.body.error.message).toContain("5 tokens per minute for this project");
  });

  it("a project limit is per project: another project of the same organization is still served", async () => {
    const limited = await newKey();
    await adminPatch(`/api/projects/${limited.projectId}`, { rpm_limit: 1 });
    expect((await embed(limited.key, "one")).status).toBe(200);
    expect((await rerank(limited.key, "two")).status).toBe(429);
    const other = await newKey();
    expect((await embed(other.key, "one")).status).toBe(200);
    expect((await rerank(other.key, "two")).status).toBe(200);
  });
});

describe("an upstream 429 that outlives the retries", () => {
  it("reaches the client as a 429 with Retry-After and x-ratelimit-reset-requests (DESIGN §1)", async () => {
    const { key } = await newKey();
    const res = await chatRaw(key, { model: "local/busy-model", messages: [{ role: "user", content: "are you busy?" }] });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: "rate_limit_exceeded", type: "rate_limit_error" });
    // The mock upstream answers Retry-After: 1.
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("x-ratelimit-reset-requests")).toBe("1s");
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "error", httpStatus: 429, errorCode: "rate_limit_exceeded" });
  });

  it("a served request carries no upstream Retry-After", async () => {
    const { key } = await newKey();
    const res = await chatRaw(key, { model: "local/llama-3", messages: [{ role: "user", content: "hello" }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("retry-after")).toBeNull();
  });
});

describe("ingestion embeddings: one invocation per batch", () => {
  it("a batch the upstream keeps failing is one audit row with the router's attempts, and the document fails", async () => {
    const project = await admin("/api/projects", { name: "ingest-invoke", embedding_model: "local/bge-m3" });
    const doc = await admin(`/api/projects/${project.id}/documents`, { title: "Flaky", content: "This text makes the embedding upstream fail. [[embed-fault]]" });
    let status = "";
    await until(async () => {
      status = (await admin(`/api/documents/${doc.id}`)).status;
      return status === "failed" || status === "ready";
    }, 20_000);
    expect(status).toBe("failed");
    expect((await admin(`/api/documents/${doc.id}`)).error).toContain("local/bge-m3");
    // Rows are written in order: once a later row is there, every row of the ingestion is too.
    const { key } = await newKey();
    const later = await chatRaw(key, { model: "local/llama-3", messages: [{ role: "user", content: "after the ingestion" }] });
    await auditRow(later.headers.get("x-vecstruct-audit-id")!);
    const rows = await dbQuery(`SELECT * FROM audit_logs WHERE origin = 'internal' AND endpoint = 'ingest:embeddings' AND "projectId" = ?`, project.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "error", httpStatus: 502, errorCode: "upstream_error", apiKeyId: null });
    // VECSTRUCT_RETRIES (default 2): three attempts in all, none outside the router.
    expect(JSON.parse(rows[0]!.attempts).map((a: { status: number }) => a.status)).toEqual([500, 500, 500]);
  });

  it("a batch that succeeds is one billed audit row, and the document is ready", async () => {
    const project = await admin("/api/projects", { name: "ingest-invoke-ok", embedding_model: "local/bge-m3" });
    const doc = await admin(`/api/projects/${project.id}/documents`, { title: "Fine", content: "A short note about rivers and bread." });
    await until(async () => (await admin(`/api/documents/${doc.id}`)).status === "ready", 20_000);
    const { key } = await newKey();
    const later = await chatRaw(key, { model: "local/llama-3", messages: [{ role: "user", content: "after the good ingestion" }] });
    await auditRow(later.headers.get("x-vecstruct-audit-id")!);
    const rows = await dbQuery(`SELECT * FROM audit_logs WHERE origin = 'internal' AND endpoint = 'ingest:embeddings' AND "projectId" = ?`, project.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "success", model: "local/bge-m3", provider: "local" });
    expect(JSON.parse(rows[0]!.attempts)).toHaveLength(1);
  });
});
