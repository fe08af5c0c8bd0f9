// Guardrails on /v1/chat/completions (docs/policies.md), through HTTP and the official SDK.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { admin, auditRow, baseURL, chatRaw, client, orgWithKey, rawStream, upstreamRequests } from "./helpers";

const put = async (projectId: string, orgId: string, body: unknown) => {
  const res = await fetch(`${baseURL}/api/projects/${projectId}/guardrails?org_id=${orgId}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const sentUpstream = async (marker: string) => (await upstreamRequests()).filter((r) => JSON.stringify(r.body).includes(marker));

describe("guardrail rules (PUT /api/projects/{id}/guardrails)", () => {
  it("start empty, are stored in order, and are refused with a 400 naming the field", async () => {
    const t = await orgWithKey("guard-rules");
    expect((await admin(`/api/projects/${t.projectId}/guardrails?org_id=${t.orgId}`)).rules).toEqual([]);
    const rules = [
      { detector: "email", input: "redact", output: "redact" },
      { detector: "regex", pattern: "ORD-\\d{6}", input: "log" },
      { detector: "deny", terms: ["Project Falcon"], output: "block" },
    ];
    const ok = await put(t.projectId, t.orgId, { rules });
    expect(ok.status).toBe(200);
    expect(ok.body.rules).toEqual(rules);
    expect((await admin(`/api/projects/${t.projectId}/guardrails?org_id=${t.orgId}`)).rules).toEqual(rules);
    for (const [bad, param] of [
      [{ detector: "regex", pattern: "(a)\\1", input: "block" }, "rules[0].pattern"],
      [{ detector: "deny", output: "block" }, "rules[0].terms"],
      [{ detector: "email", input: "shred" }, "rules[0].input"],
      [{ detector: "fax", input: "block" }, "rules[0].detector"],
    ] as const) {
      const res = await put(t.projectId, t.orgId, { rules: [bad] });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
    // Another organization's project is a 404.
    const other = await orgWithKey("guard-other");
    expect((await put(t.projectId, other.orgId, { rules: [] })).status).toBe(404);
  });
});

describe("guardrails on chat completions", () => {
  it("redacts input before the upstream (and the audit row) sees it, with a warning and counts on the audit row", async () => {
    const t = await orgWithKey("guard-input");
    await put(t.projectId, t.orgId, { rules: [{ detector: "email", input: "redact" }, { detector: "card", input: "redact" }] });
    const m = randomUUID();
    const res = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [{ role: "user", content: `${m} mail bob@example.com, card 4111 1111 1111 1111` }] });
    expect(res.status).toBe(200);
    const upstream = JSON.stringify((await sentUpstream(m))[0]!.body);
    expect(upstream).not.toContain("bob@example.com");
    expect(upstream).toContain("[EMAIL]");
    expect(upstream).toContain("[CARD]");
    expect(res.body.vecstruct.warnings).toEqual(expect.arrayContaining(["guardrails: email redact on input (1)", "guardrails: card redact on input (1)"]));
    const row = await auditRow(res.body.vecstruct.audit_id);
    expect(JSON.parse(row.guardrails)).toEqual([
      { detector: "email", action: "redact", where: "input", count: 1 },
      { detector: "card", action: "redact", where: "input", count: 1 },
    ]);
    expect(JSON.stringify(row)).not.toContain("bob@example.com");
  });

  it("blocks input with 400 content_policy_violation: audited, nothing forwarded, the matched text nowhere", async () => {
    const t = await orgWithKey("guard-block");
    await put(t.projectId, t.orgId, { rules: [{ detector: "secret", input: "block" }] });
    const m = randomUUID();
    const secret = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    const res = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [{ role: "user", content: `${m} my key is ${secret}` }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code: "content_policy_violation" });
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(await sentUpstream(m)).toHaveLength(0);
    const id = res.headers.get("x-vecstruct-audit-id")!;
    const row = await auditRow(id);
    expect(row).toMatchObject({ status: "error", errorCode: "content_policy_violation" });
    expect(JSON.parse(row.guardrails)).toEqual([{ detector: "secret", action: "block", where: "input", count: 1 }]);
  });

  it("redacts output, JSON and stream (a match split across the stream's chunks included)", async () => {
    const t = await orgWithKey("guard-output");
    await put(t.projectId, t.orgId, { rules: [{ detector: "email", output: "redact" }] });
    // The mock echoes the user's text, streamed a few words per event.
    const content = "please write to alice.longname@example.org when ready";
    const json = await client(t.key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content }] });
    expect(json.choices[0]!.message.content).toContain("[EMAIL]");
    expect(json.choices[0]!.message.content).not.toContain("alice.longname@example.org");
    const stream = await rawStream(t.key, { model: "openai/gpt-4o", stream: true, messages: [{ role: "user", content }], vecstruct: {} });
    const text = stream.events.filter((e) => !e.event && e.data !== "[DONE]").map((e) => JSON.parse(e.data).choices?.[0]?.delta?.content ?? "").join("");
    expect(text).toContain("[EMAIL]");
    expect(stream.text).not.toContain("example.org");
    const ext = JSON.parse(stream.events.find((e) => e.event === "vecstruct")!.data);
    expect(ext.warnings).toContain("guardrails: email redact on output (1)");
  });

  it("blocks output: finish_reason content_filter, nothing from the match on, in JSON and in a stream", async () => {
    const t = await orgWithKey("guard-output-block");
    await put(t.projectId, t.orgId, { rules: [{ detector: "deny", terms: ["Project Falcon"], output: "block" }] });
    const content = "the codename is Project Falcon and it launches soon";
    const json = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [{ role: "user", content }] });
    expect(json.status).toBe(200);
    expect(json.body.choices[0].finish_reason).toBe("content_filter");
    expect(json.body.choices[0].message.content).not.toMatch(/falcon/i);
    const stream = await rawStream(t.key, { model: "openai/gpt-4o", stream: true, messages: [{ role: "user", content }] });
    expect(stream.status).toBe(200);
    expect(stream.text).not.toMatch(/falcon|launches/i);
    const chunks = stream.events.filter((e) => !e.event && e.data !== "[DONE]").map((e) => JSON.parse(e.data));
    expect(chunks.some((c) => c.choices?.[0]?.finish_reason === "content_filter")).toBe(true);
    expect(stream.events.at(-1)!.data).toBe("[DONE]");
  });
});
