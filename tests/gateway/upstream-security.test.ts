// DESIGN §3b through HTTP: whose credentials serve which model at which price, the address policy
// of credentials created through the API (create/update check and connect-time guard), encoded
// upstream paths, and the caps on what an upstream can make the gateway hold.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";
import { admin, auditRow, baseURL, chatRaw, dbWrite, orgWithKey, upstreamOrigin, upstreamRequests } from "./helpers";

/** Management call as the operator, any status back. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const msg = (text: string) => [{ role: "user", content: text }];

/** The newest request the suite's mock received whose JSON body mentions `marker`. */
async function upstreamCall(marker: string) {
  return [...(await upstreamRequests())].reverse().find((r) => JSON.stringify(r.body).includes(marker));
}

// Not allow-listed: another port on 127.0.0.1. Allow-listed as a bare host: 127.0.0.2 (global-setup).
let outside: MockUpstream;
let second: MockUpstream;
beforeAll(async () => {
  outside = await startMockUpstream();
  second = await startMockUpstream("127.0.0.2");
});
afterAll(async () => {
  await outside.close();
  await second.close();
});

describe("instance credentials serve instance models at instance prices only", () => {
  it("an organization cannot re-price or re-point a model on the operator's credential", async () => {
    const { orgId, key } = await orgWithKey("free-rider");
    const zero = await api("POST", "/api/models", { id: "openai/gpt-4o", input_price_per_mtok: 0, output_price_per_mtok: 0, scope: "organization", org_id: orgId });
    expect(zero.status).toBe(400);
    expect(zero.body.error).toMatchObject({ param: "id", code: "invalid_value" });
    const other = await api("POST", "/api/models", { id: "openai/my-free", upstream_model: "gpt-4-turbo", scope: "organization", org_id: orgId });
    expect(other.status).toBe(400);
    expect(other.body.error.param).toBe("id");

    // Their requests still run on the instance's model, at its price.
    const marker = `free-rider-${Date.now()}`;
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: msg(marker) });
    expect(res.status).toBe(200);
    expect((await upstreamCall(marker))?.headers.authorization).toBe("Bearer sk-upstream-openai");
    expect((await auditRow(res.headers.get("x-vecstruct-audit-id")!)).costMicros).toBeGreaterThan(0);
    const mine = await chatRaw(key, { model: "openai/my-free", messages: msg("x") });
    expect(mine.status).toBe(404);
  });

  it("an organization's own $0 row never reaches the operator's key, even once its credential is gone", async () => {
    const { orgId, key } = await orgWithKey("byok-then-disabled");
    const cred = await api("POST", "/api/providers", { provider: "openai", protocol: "openai", base_url: `${upstreamOrigin}/v1`, api_key: "sk-org-disabled-later", org_id: orgId });
    expect(cred.status).toBe(201);
    expect((await api("POST", "/api/models", { id: "openai/gpt-4o", input_price_per_mtok: 0, output_price_per_mtok: 0, scope: "organization", org_id: orgId })).status).toBe(201);
    expect((await api("PATCH", `/api/providers/${cred.body.id}?org_id=${orgId}`, { enabled: false })).status).toBe(200);
    const listed = await api("GET", `/api/models/openai/gpt-4o?org_id=${orgId}`);
    expect(listed.body).toMatchObject({ scope: "organization", available: false });

    const marker = `disabled-byok-${Date.now()}`;
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: msg(marker) });
    expect(res.status).toBe(200);
    // The instance's model and key, billed at the instance's price — not the organization's $0.
    expect((await upstreamCall(marker))?.headers.authorization).toBe("Bearer sk-upstream-openai");
    expect((await auditRow(res.headers.get("x-vecstruct-audit-id")!)).costMicros).toBeGreaterThan(0);
  });

  it("bring-your-own-key: the organization's credential serves openai/gpt-4o at its own price with its own key", async () => {
    const { orgId, key } = await orgWithKey("byok");
    const cred = await api("POST", "/api/providers", { provider: "openai", protocol: "openai", base_url: `${upstreamOrigin}/v1`, api_key: "sk-org-byok-123", org_id: orgId });
    expect(cred.status).toBe(201);
    const model = await api("POST", "/api/models", { id: "openai/gpt-4o", input_price_per_mtok: 1000, output_price_per_mtok: 1000, scope: "organization", org_id: orgId });
    expect(model.status).toBe(201);
    expect(model.body).toMatchObject({ scope: "organization", available: true });

    const marker = `byok-${Date.now()}`;
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: msg(marker) });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("openai/gpt-4o");
    expect((await upstreamCall(marker))?.headers.authorization).toBe("Bearer sk-org-byok-123");
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row.costMicros).toBe((row.promptTokens + row.completionTokens) * 1000); // $1000/Mtok = 1000 micros a token

    // The provider is theirs: instance models of it run on their key too (never on the operator's).
    const mini = `byok-mini-${Date.now()}`;
    expect((await chatRaw(key, { model: "openai/gpt-4o-mini", messages: msg(mini) })).status).toBe(200);
    expect((await upstreamCall(mini))?.headers.authorization).toBe("Bearer sk-org-byok-123");

    // Nobody else is affected.
    const other = await orgWithKey("not-byok");
    const theirs = `not-byok-${Date.now()}`;
    expect((await chatRaw(other.key, { model: "openai/gpt-4o", messages: msg(theirs) })).status).toBe(200);
    expect((await upstreamCall(theirs))?.headers.authorization).toBe("Bearer sk-upstream-openai");
  });

  it("a Gemini upstream_model cannot climb out of its path segment", async () => {
    const { key } = await orgWithKey("gemini-path");
    const id = `google/traversal-${Date.now()}`;
    await admin("/api/models", { id, upstream_model: "../../../v1beta/files?x=", kind: "chat" });
    const before = (await upstreamRequests()).length;
    const res = await chatRaw(key, { model: id, messages: msg("climb") });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("model");
    expect((await upstreamRequests()).slice(before).some((r) => r.path.includes("files"))).toBe(false);
  });
});

describe("credentials created through the API never reach refused addresses", () => {
  const port = () => new URL(outside.origin).port;

  it("refuses loopback, private, link-local and metadata base URLs (400 naming base_url)", async () => {
    const { orgId } = await orgWithKey("ssrf-create");
    const urls = [
      `http://127.0.0.1:${port()}/admin/run`,
      `http://localhost:${port()}/v1`,
      `http://[::1]:${port()}/v1`,
      `http://0.0.0.0:${port()}/v1`,
      `http://[::ffff:127.0.0.1]:${port()}/v1`,
      "http://10.0.0.1/v1",
      "http://169.254.169.254/latest/meta-data",
      `${upstreamOrigin}/v1/admin/run?cmd=x&ignore=`,
      `${upstreamOrigin}/v1#frag`,
    ];
    for (const base_url of urls) {
      const res = await api("POST", "/api/providers", { provider: "scan", protocol: "openai-compatible", base_url, api_key: "sk-x", org_id: orgId });
      expect(res.status, base_url).toBe(400);
      expect(res.body.error.param, base_url).toBe("base_url");
    }
    expect(outside.requests).toHaveLength(0);
  });

  it("changing base_url needs the api_key again, and the new URL is checked", async () => {
    const { orgId } = await orgWithKey("ssrf-patch");
    const cred = await api("POST", "/api/providers", { provider: "patchy", protocol: "openai-compatible", base_url: `${upstreamOrigin}/v1`, api_key: "sk-owner-entered", org_id: orgId });
    expect(cred.status).toBe(201);
    const noKey = await api("PATCH", `/api/providers/${cred.body.id}?org_id=${orgId}`, { base_url: `${second.origin}/v1` });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.param).toBe("api_key");
    const blocked = await api("PATCH", `/api/providers/${cred.body.id}?org_id=${orgId}`, { base_url: `http://127.0.0.1:${port()}/v1`, api_key: "sk-new" });
    expect(blocked.status).toBe(400);
    expect(blocked.body.error.param).toBe("base_url");
    const moved = await api("PATCH", `/api/providers/${cred.body.id}?org_id=${orgId}`, { base_url: `${second.origin}/v1`, api_key: "sk-new-for-second" });
    expect(moved.status).toBe(200);
    expect(moved.body.base_url).toBe(`${second.origin}/v1`);
  });

  it("an allow-listed private upstream works (bare host 127.0.0.2)", async () => {
    const { orgId, key } = await orgWithKey("allow-listed");
    const cred = await api("POST", "/api/providers", { provider: "lan", protocol: "openai-compatible", base_url: `${second.origin}/v1`, api_key: "sk-lan-key", org_id: orgId });
    expect(cred.status).toBe(201);
    expect((await api("POST", "/api/models", { id: "lan/llama-3", scope: "organization", org_id: orgId })).status).toBe(201);
    const res = await chatRaw(key, { model: "lan/llama-3", messages: msg("over the lan") });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe("Echo: over the lan");
    expect(second.requests.at(-1)?.headers.authorization).toBe("Bearer sk-lan-key");
  });

  it("a stored URL that now points at a refused address is never connected to (call and test)", async () => {
    const { orgId, key } = await orgWithKey("ssrf-connect");
    const cred = await api("POST", "/api/providers", { provider: "rebind", protocol: "openai-compatible", base_url: `${upstreamOrigin}/v1`, api_key: "sk-rebind", org_id: orgId });
    expect(cred.status).toBe(201);
    expect((await api("POST", "/api/models", { id: "rebind/llama-3", scope: "organization", org_id: orgId })).status).toBe(201);
    expect((await chatRaw(key, { model: "rebind/llama-3", messages: msg("before") })).status).toBe(200);

    // As a DNS change or a row from before this rule would leave it: a name resolving to loopback
    // and a loopback literal, neither allow-listed for that port.
    for (const url of [`http://localhost:${port()}/v1`, `http://127.0.0.1:${port()}/v1`]) {
      await dbWrite(`UPDATE provider_credentials SET "baseUrl" = ? WHERE id = ?`, url, cred.body.id);
      expect((await api("PATCH", `/api/providers/${cred.body.id}?org_id=${orgId}`, { weight: 1 })).status).toBe(200); // reloads the catalog
      const res = await chatRaw(key, { model: "rebind/llama-3", messages: msg("after [[fault:400]]") });
      expect(res.status, url).toBe(502);
      expect(res.body.error.code).toBe("upstream_error");
      const test = await api("POST", `/api/providers/${cred.body.id}/test?org_id=${orgId}`, {});
      expect(test.status).toBe(200);
      expect(test.body).toMatchObject({ ok: false, status: null });
    }
    expect(outside.requests).toHaveLength(0);
  });
});

describe("upstream answers are capped", () => {
  it("a non-streaming answer that never ends is an upstream_error, not memory", async () => {
    const { key } = await orgWithKey("flood-json");
    const res = await chatRaw(key, { model: "local/llama-3", messages: msg("[[fault:flood]]") });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("upstream_error");
    expect(res.body.error.message).toContain("4194304 bytes");
  });

  it("an SSE line that never ends is an upstream_error", async () => {
    const { key } = await orgWithKey("flood-sse");
    const res = await chatRaw(key, { model: "local/llama-3", stream: true, messages: msg("[[fault:flood]]") });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("upstream_error");
    expect(res.body.error.message).toContain("1048576 bytes");
  });
});
