// Issue 14 (low): a project with keep_metadata_only stores no prompts or answers in its audit log,
// yet /v1/rerank rows (query and documents), memory-extraction rows, the internal RAG rerank query
// and the rows of requests refused by validation (the body) kept text. Each path is taken here and
// every audit row of the project is searched for the marker text.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { admin, auditRow, baseURL, dbQuery, until } from "./helpers";

const auth = { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" };
let projectId: string;
let key: string;

async function v1(path: string, body: unknown, apiKey = key) {
  const res = await fetch(`${baseURL}${path}`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, auditId: res.headers.get("x-vecstruct-audit-id")!, body: await res.json() };
}

/** The row as the database holds it and as the API shows it: neither may contain `marker`. */
async function expectNoText(auditId: string, marker: string) {
  const row = await auditRow(auditId);
  expect(JSON.stringify(row)).not.toContain(marker);
  expect(row.request).toBeNull();
  expect(row.responseText).toBeNull();
  const detail = await fetch(`${baseURL}/api/audit-logs/${auditId}`, { headers: auth }).then((r) => r.json());
  expect(detail.id).toBe(auditId);
  expect(JSON.stringify(detail)).not.toContain(marker);
}

beforeAll(async () => {
  const project = await admin("/api/projects", { name: "metadata-only", keep_metadata_only: true, memory_model: "local/memory-bot", rerank_model: "local/jina-reranker" });
  projectId = project.id;
  key = (await admin("/api/keys", { name: "m", project_id: projectId })).key;
  const doc = await admin(`/api/projects/${projectId}/documents`, { title: "Shipping", content: "# Shipping\n\nOrders ship within two business days from the Lyon warehouse." });
  await until(async () => (await admin(`/api/documents/${doc.id}`)).status === "ready", 30_000);
});

describe("keep_metadata_only on every audit row of the project", () => {
  it("/v1/rerank keeps neither the query nor the documents", async () => {
    const res = await v1("/v1/rerank", { model: "local/jina-reranker", query: "SECRET-RERANK-QUERY", documents: ["SECRET-RERANK-DOC one", "two"] });
    expect(res.status).toBe(200);
    await expectNoText(res.auditId, "SECRET-RERANK");
  });

  it("a request refused by validation keeps no body, for the key's project and for a project the body names", async () => {
    const bad = await v1("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "SECRET-INVALID-BODY" }], temperature: "hot" });
    expect(bad.status).toBe(400);
    await expectNoText(bad.auditId, "SECRET-INVALID-BODY");
    const badRerank = await v1("/v1/rerank", { model: "local/jina-reranker", query: "SECRET-INVALID-RERANK", documents: [] });
    expect(badRerank.status).toBe(400);
    await expectNoText(badRerank.auditId, "SECRET-INVALID-RERANK");

    // A key of a project that keeps text, naming the metadata-only project in its body.
    const open = await admin("/api/projects", { name: "keeps-text" });
    const openKey = (await admin("/api/keys", { name: "o", project_id: open.id, projects: ["*"] }).catch(() => admin("/api/keys", { name: "o", project_id: open.id }))).key;
    const named = await v1("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "SECRET-NAMED-PROJECT" }], max_tokens: -1, vecstruct: { project_id: projectId } }, openKey);
    expect(named.status).toBe(400);
    await expectNoText(named.auditId, "SECRET-NAMED-PROJECT");
    // The legitimate path: the project that keeps text still stores a refused request's body.
    const kept = await v1("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "KEPT-BODY" }], max_tokens: -1 }, openKey);
    expect(kept.status).toBe(400);
    expect(JSON.stringify((await auditRow(kept.auditId)).request)).toContain("KEPT-BODY");
  });

  it("memory extraction and the RAG rerank stage keep no text either", async () => {
    const res = await v1("/v1/chat/completions", {
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "SECRET-MEMORY I live in Lyon. When do orders ship?" }],
      vecstruct: { rag: true, use_memory: true, metadata: { user_id: "meta-user" } },
    });
    expect(res.status).toBe(200);
    await expectNoText(res.auditId, "SECRET-MEMORY");
    const internal = await (async () => {
      for (let i = 0; i < 100; i++) {
        const rows = await dbQuery(`SELECT * FROM audit_logs WHERE origin = 'internal' AND "projectId" = ? AND endpoint IN ('memory:extract', 'rag:rerank')`, projectId);
        if (new Set(rows.map((r) => r.endpoint)).size === 2) return rows;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("internal audit rows not written");
    })();
    for (const row of internal) await expectNoText(row.id, "SECRET-MEMORY");
  });
});
