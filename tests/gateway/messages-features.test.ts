// /v1/messages with the vecstruct features and project rules: RAG into Anthropic's system (native),
// metadata-only projects, and a thinking round trip on a translated (Gemini) model.
import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, auditRow, baseURL, lastUpstreamRequest, newKey, until } from "./helpers";

const CLAUDE = "anthropic/claude-3-5-sonnet";

async function post(body: unknown, apiKey: string) {
  const res = await fetch(`${baseURL}/v1/messages`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, auditId: res.headers.get("x-vecstruct-audit-id")!, text, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
}

describe("vecstruct.rag on the native path", () => {
  let key: string;
  let docId: string;
  beforeAll(async () => {
    const project = await admin("/api/projects", { name: "msg-rag" });
    key = (await admin("/api/keys", { name: "k", project_id: project.id })).key;
    docId = (await admin(`/api/projects/${project.id}/documents`, { title: "Returns", content: "# Returns\n\nCustomers may return any product within 30 days for a full refund." })).id;
    await until(async () => (await admin(`/api/documents/${docId}`)).status === "ready", 30_000);
  }, 60_000);

  it("appends the passages to system after the client's cached block; sources and credits as on chat", async () => {
    const system = [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }];
    const r = await post({ model: CLAUDE, max_tokens: 64, system, messages: [{ role: "user", content: "How many days to return a product? msg-rag" }], vecstruct: { rag: true, rag_top_k: 2 } }, key);
    expect(r.status).toBe(200);
    expect(r.json.vecstruct.rag_sources[0]).toMatchObject({ document_id: docId, title: "Returns" });
    expect(r.json.vecstruct.credits_consumed).toBe(0.03);
    const sent = await lastUpstreamRequest("msg-rag");
    expect(sent.body.system[0]).toEqual(system[0]);
    expect(sent.body.system[1].text).toContain("<context>");
    expect(sent.body.system[1].text).toContain("30 days");
    expect(sent.body.messages).toEqual([{ role: "user", content: "How many days to return a product? msg-rag" }]);
    const row = await auditRow(r.json.vecstruct.audit_id);
    expect(JSON.parse(row.ragSources)[0].document_id).toBe(docId);
  });
});

describe("keep_metadata_only on /v1/messages", () => {
  let key: string;
  beforeAll(async () => {
    const project = await admin("/api/projects", { name: "msg-meta", keep_metadata_only: true });
    key = (await admin("/api/keys", { name: "m", project_id: project.id })).key;
  });

  it("keeps no prompt or answer: answered, streamed, or refused by validation", async () => {
    const ok = await post({ model: CLAUDE, max_tokens: 32, messages: [{ role: "user", content: "SECRET-MSG-ONE" }] }, key);
    const streamed = await post({ model: "openai/gpt-4o", max_tokens: 32, stream: true, messages: [{ role: "user", content: "SECRET-MSG-TWO" }] }, key);
    const refused = await post({ model: CLAUDE, messages: [{ role: "user", content: "SECRET-MSG-THREE" }] }, key);
    expect([ok.status, streamed.status, refused.status]).toEqual([200, 200, 400]);
    expect(streamed.text).toContain("SECRET-MSG-TWO"); // the client got its answer
    for (const [id, marker] of [[ok.auditId, "SECRET-MSG-ONE"], [streamed.auditId, "SECRET-MSG-TWO"], [refused.auditId, "SECRET-MSG-THREE"]] as const) {
      const row = await auditRow(id);
      expect(row.endpoint).toBe("/v1/messages");
      expect(row.request).toBeNull();
      expect(row.responseText).toBeNull();
      expect(JSON.stringify(row)).not.toContain(marker);
    }
  });
});

describe("thinking on a translated model", () => {
  it("Gemini's thoughts come back as a signed thinking block that round-trips on the next turn", async () => {
    const { key } = await newKey();
    const client = new Anthropic({ apiKey: key, baseURL, maxRetries: 0 });
    const model = "google/gemini-2.5-flash";
    const first = await client.messages.stream({ model, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 2048 }, messages: [{ role: "user", content: "think gemini" }] }).finalMessage();
    const thinking = first.content.find((b) => b.type === "thinking");
    expect(thinking).toMatchObject({ type: "thinking", thinking: "Thinking it through." });
    expect((thinking as { signature: string }).signature.length).toBeGreaterThan(0);
    const second = await client.messages.create({
      model,
      max_tokens: 4096,
      thinking: { type: "enabled", budget_tokens: 2048 },
      messages: [{ role: "user", content: "think gemini" }, { role: "assistant", content: first.content }, { role: "user", content: "again gemini-second-turn" }],
    });
    expect(second.content.some((b) => b.type === "text")).toBe(true);
    const sent = await lastUpstreamRequest("gemini-second-turn");
    expect(sent.path).toContain("gemini-2.5-flash");
  });
});
