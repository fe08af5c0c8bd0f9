import { beforeAll, describe, expect, it } from "vitest";
import { admin, auditRow, baseURL, client, newKey, rawStream } from "./helpers";

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

async function post(body: unknown, headers: Record<string, string> = {}, raw?: string) {
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const msg = (content: string) => [{ role: "user", content }];

describe("authentication", () => {
  it.each([
    ["no key", {}],
    ["unknown key", { authorization: "Bearer sk-vs-doesnotexist0000000000000000000000000000" }],
    ["garbage", { authorization: "Bearer hello" }],
  ])("answers 401 invalid_api_key for %s", async (_label, headers) => {
    const res = await fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers, body: "{}" });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });
  });

  it("does not take the admin key on /v1", async () => {
    const res = await fetch(`${baseURL}/v1/models`, { headers: { authorization: "Bearer vs-admin-gateway-suite-0123456789" } });
    expect(res.status).toBe(401);
  });

  it("stops a revoked key within 5 s", async () => {
    const k = await newKey();
    expect((await client(k.key).models.list()).data.length).toBeGreaterThan(0);
    await fetch(`${baseURL}/api/keys/${k.keyId}`, { method: "DELETE", headers: { authorization: "Bearer vs-admin-gateway-suite-0123456789" } });
    const deadline = Date.now() + 5_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = await client(k.key).models.list().then(() => 200, (e) => e.status);
      if (status === 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(401);
  });
});

describe("validation (400 naming the parameter)", () => {
  it.each([
    [{ messages: msg("hi") }, "missing_required_parameter", "model"],
    [{ model: "openai/gpt-4o" }, "missing_required_parameter", "messages"],
    [{ model: "openai/gpt-4o", messages: [] }, "invalid_value", "messages"],
    [{ model: "openai/gpt-4o", messages: msg("hi"), temperature: 3 }, "invalid_value", "temperature"],
    [{ model: "openai/gpt-4o", messages: msg("hi"), n: 0 }, "invalid_value", "n"],
    [{ model: "openai/gpt-4o", messages: [{ role: "wizard", content: "x" }] }, "invalid_value", "messages[0].role"],
    [{ model: "openai/gpt-4o", messages: msg("hi"), stop: ["a", "b", "c", "d", "e"] }, "invalid_value", "stop"],
    [{ model: "openai/gpt-4o", messages: msg("hi"), vecstruct: { rag_top_k: 99 } }, "invalid_value", "vecstruct.rag_top_k"],
    [{ model: "openai/gpt-4o", messages: msg("hi"), vecstruct: { bogus: true } }, "unsupported_parameter", "vecstruct.bogus"],
  ])("%j → %s on %s", async (body, code, param) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code, param });
    expect(res.headers.get("x-vecstruct-audit-id")).toMatch(/^aud_/);
  });

  it("rejects malformed JSON and oversized bodies, and audits them", async () => {
    const bad = await post(null, {}, "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");
    const big = await post({ model: "openai/gpt-4o", messages: msg("x".repeat(1.5 * 1024 * 1024)) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("request_too_large");
    const row = await auditRow(big.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "error", httpStatus: 413, errorCode: "request_too_large" });
  });

  it("answers 404 for an unknown model and 403 outside the key's allowlist", async () => {
    const missing = await post({ model: "openai/gpt-9", messages: msg("hi") });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "model_not_found", param: "model" });
    const limited = await newKey({ models: ["openai/gpt-4o-mini"] });
    const err = await client(limited.key)
      .chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.error).toMatchObject({ type: "permission_error", code: "model_not_allowed" });
    expect((await client(limited.key).models.list()).data.map((m) => m.id)).toEqual(["openai/gpt-4o-mini"]);
  });

  it("answers 403 for a project of another organization", async () => {
    const other = await admin("/api/orgs", { name: "other" });
    const foreign = await fetch(`${baseURL}/api/projects`, {
      method: "POST",
      headers: { authorization: "Bearer vs-admin-gateway-suite-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ name: "theirs", org_id: other.id }),
    }).then((r) => r.json());
    const res = await post({ model: "openai/gpt-4o", messages: msg("hi"), vecstruct: { project_id: foreign.id } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ type: "permission_error", param: "vecstruct.project_id" });
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After and x-ratelimit-* once a key's rpm_limit is used, and audits it", async () => {
    const limited = await newKey({ rpm_limit: 2 });
    const send = () =>
      fetch(`${baseURL}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${limited.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/gpt-4o", messages: msg("hi") }),
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(third.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect((await third.json()).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    const row = await auditRow(third.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "error", httpStatus: 429, errorCode: "rate_limit_exceeded" });
  });
});

describe("upstream failures", () => {
  it.each([
    ["[[fault:500]]", 502, "upstream_error"],
    ["[[fault:503]]", 502, "upstream_error"],
    ["[[fault:429]]", 429, "rate_limit_exceeded"],
    ["[[fault:401]]", 502, "upstream_auth_error"],
    ["[[fault:400]]", 400, "invalid_value"],
    ["[[fault:slow:3000]]", 504, "upstream_timeout"],
    ["[[fault:hang]]", 504, "upstream_timeout"],
  ])("%s → %i %s (non-stream and stream before the first byte)", async (fault, status, code) => {
    const cases = ["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash"].flatMap((model) => [false, true].map((stream) => ({ model, stream })));
    // In parallel: the timeout cases each wait for the gateway's 2 s timer.
    await Promise.all(
      cases.map(async ({ model, stream }) => {
        const res = await post({ model, messages: msg(`hi ${fault}`), stream });
        expect(res.status, `${model} stream=${stream}`).toBe(status);
        expect(res.body.error.code).toBe(code);
        expect(JSON.stringify(res.body)).not.toContain("sk-upstream");
        const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
        expect(row).toMatchObject({ status: "error", httpStatus: status, errorCode: code });
      }),
    );
  });

  it("keeps the headers until the first chunk: a stall before it is a 504", async () => {
    const res = await rawStream(key, { model: "openai/gpt-4o", messages: msg("[[fault:stall-first:3000]]"), stream: true });
    expect(res.status).toBe(504);
  });

  it.each([
    ["[[fault:drop]]", "upstream_error"],
    ["[[fault:idle:3000]]", "upstream_timeout"],
  ])("ends a started stream with one error event for %s", async (fault, code) => {
    await Promise.all(
      ["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash"].map(async (model) => {
        const res = await rawStream(key, { model, messages: msg(`one two three four five six ${fault}`), stream: true });
        expect(res.status).toBe(200);
        expect(res.events.length).toBeGreaterThan(1); // content reached the client first
        const last = res.events[res.events.length - 1]!;
        expect(JSON.parse(last.data).error.code, model).toBe(code);
        expect(res.events.some((e) => e.data === "[DONE]")).toBe(false);
        const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
        expect(row).toMatchObject({ status: "error", httpStatus: 200, errorCode: code, stream: 1 });
      }),
    );
  });

  it("aborts the upstream when the client disconnects, and audits the request", async () => {
    const controller = new AbortController();
    const res = await fetch(`${baseURL}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o", messages: msg("a b c d e f [[fault:idle:1500]]"), stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row.status).toBe("error");
    expect(row.stream).toBe(1);
  });
});

describe("the vecstruct extension on streams", () => {
  it("sends event: vecstruct only to requests that carry a vecstruct object", async () => {
    const plain = await rawStream(key, { model: "openai/gpt-4o", messages: msg("hi"), stream: true });
    expect(plain.events.some((e) => e.event === "vecstruct")).toBe(false);
    expect(plain.events[plain.events.length - 1]!.data).toBe("[DONE]");

    const ext = await rawStream(key, { model: "openai/gpt-4o", messages: msg("hi"), stream: true, vecstruct: { metadata: { user_id: "u1" } } });
    const idx = ext.events.findIndex((e) => e.event === "vecstruct");
    expect(idx).toBe(ext.events.length - 2);
    const payload = JSON.parse(ext.events[idx]!.data);
    expect(payload).toMatchObject({ audit_id: ext.headers.get("x-vecstruct-audit-id"), rag_sources: [], memory_used: false, warnings: [] });
    const row = await auditRow(payload.audit_id);
    expect(JSON.parse(row.metadata)).toEqual({ user_id: "u1" });
  });
});

describe("/v1/models", () => {
  it("lists the catalog of configured providers in OpenAI list format", async () => {
    const list = await client(key).models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash", "local/llama-3"]));
    expect(ids).toContain("cohere/rerank-v3.5");
    expect(ids).not.toContain("google/text-embedding-004"); // never seeded
    const gpt = list.data.find((m) => m.id === "openai/gpt-4o") as any;
    expect(gpt).toMatchObject({ object: "model", owned_by: "openai", kind: "chat", context_window: 128000, pricing: { input: 2.5, output: 10 } });
    const one = await client(key).models.retrieve("anthropic/claude-3-5-sonnet");
    expect(one.owned_by).toBe("anthropic");
    const err = await client(key).models.retrieve("openai/nope").catch((e) => e);
    expect(err.status).toBe(404);
  });
});
