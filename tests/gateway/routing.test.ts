// Routing end to end: retries, fallbacks, provider preferences, several credentials with
// cooldown, project defaults and limits, the total timeout. The audit row records every attempt.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, adminPatch, auditRow, chatRaw, newKey, rawStream, upstreamOrigin } from "./helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
});

const nonce = () => randomBytes(4).toString("hex");
const msg = (text: string) => [{ role: "user", content: text }];
const attemptsOf = async (res: { headers: Headers }) => JSON.parse((await auditRow(res.headers.get("x-vecstruct-audit-id")!)).attempts) as { provider: string; model: string; credential: string; status: number | null; error_code: string | null }[];

describe("retries", () => {
  it("retries a transient 500 and answers once the upstream recovers", async () => {
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: msg(`hello ${nonce()} [[fault:fail-first:2]]`) });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toContain("Echo: hello");
    const attempts = await attemptsOf(res);
    expect(attempts.map((a) => [a.status, a.error_code])).toEqual([[500, "upstream_error"], [500, "upstream_error"], [200, null]]);
    expect(attempts[0]).toMatchObject({ provider: "openai", model: "openai/gpt-4o", credential: "env:openai#1" });
  });

  it("retries a stream that fails before its first byte, invisibly to the client", async () => {
    const res = await rawStream(key, { model: "openai/gpt-4o", messages: msg(`hello ${nonce()} [[fault:fail-first:1]]`), stream: true });
    expect(res.status).toBe(200);
    expect(res.events.at(-1)!.data).toBe("[DONE]");
    expect((await attemptsOf(res)).map((a) => a.status)).toEqual([500, 200]);
  });

  it("never retries once content reached the client", async () => {
    const res = await rawStream(key, { model: "openai/gpt-4o", messages: msg("one two three four five six [[fault:drop]]"), stream: true });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.events.at(-1)!.data).error.code).toBe("upstream_error");
    expect(await attemptsOf(res)).toHaveLength(1);
  });

  it("answers 429 after retries when the upstream keeps rate limiting, honouring its Retry-After", async () => {
    const started = Date.now();
    const res = await chatRaw(key, { model: "local/busy-model", messages: msg("hi") });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("rate_limit_exceeded");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // two waits of Retry-After: 1
    expect((await attemptsOf(res)).map((a) => a.status)).toEqual([429, 429, 429]);
  });
});

describe("fallbacks and provider preferences", () => {
  it("falls back to the next model, bills at its prices and names it in the response", async () => {
    const res = await chatRaw(key, { model: "local/down-model", models: ["openai/gpt-4o"], messages: msg("fallback please") });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("openai/gpt-4o");
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "success", model: "openai/gpt-4o", provider: "openai" });
    expect(Number(row.costMicros)).toBeGreaterThan(0);
    const attempts = JSON.parse(row.attempts);
    expect(attempts.map((a: any) => `${a.model}:${a.status}`)).toEqual(["local/down-model:503", "local/down-model:503", "local/down-model:503", "openai/gpt-4o:200"]);
  });

  it("falls back on a stream too, across protocols", async () => {
    const res = await rawStream(key, { model: "local/down-model", models: ["anthropic/claude-3-5-sonnet"], messages: msg("stream fallback"), stream: true });
    expect(res.status).toBe(200);
    const first = JSON.parse(res.events[0]!.data);
    expect(first.model).toBe("anthropic/claude-3-5-sonnet");
    expect(res.events.at(-1)!.data).toBe("[DONE]");
  });

  it("does not fall back on the client's own mistakes reported by us", async () => {
    const res = await chatRaw(key, { model: "openai/gpt-4o", models: ["openai/no-such-model"], messages: msg("x") });
    expect(res.status).toBe(404);
    expect(res.body.error.param).toBe("models[0]");
  });

  it("orders candidates by provider.order and filters by only / ignore", async () => {
    const base = { model: "openai/gpt-4o", models: ["anthropic/claude-3-5-sonnet", "local/llama-3"], messages: msg("prefs") };
    const ordered = await chatRaw(key, { ...base, provider: { order: ["local", "anthropic"] } });
    expect(ordered.body.model).toBe("local/llama-3");
    const only = await chatRaw(key, { ...base, provider: { only: ["anthropic"] } });
    expect(only.body.model).toBe("anthropic/claude-3-5-sonnet");
    const none = await chatRaw(key, { ...base, provider: { ignore: ["openai", "anthropic", "local"] } });
    expect(none.status).toBe(400);
    expect(none.body.error.param).toBe("provider");
  });

  it("stays on the first candidate when allow_fallbacks is false", async () => {
    const res = await chatRaw(key, { model: "local/down-model", models: ["openai/gpt-4o"], provider: { allow_fallbacks: false }, messages: msg("x") });
    expect(res.status).toBe(502);
    const attempts = await attemptsOf(res);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.model === "local/down-model")).toBe(true);
  });

  it("uses the project's fallback models when the request names none", async () => {
    const { key: k, projectId: p } = await newKey();
    await adminPatch(`/api/projects/${p}`, { fallback_models: ["google/gemini-2.0-flash"] });
    const res = await chatRaw(k, { model: "local/down-model", messages: msg("project default") });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe("google/gemini-2.0-flash");
  });
});

describe("several credentials per provider", () => {
  it("moves off a refused credential and cools it down", async () => {
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await chatRaw(key, { model: "pool/llama-3", messages: msg(`pool ${i}`) }));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const attempts = (await Promise.all(results.map(attemptsOf))).flat();
    const refused = attempts.filter((a) => a.credential === "env:pool#2");
    // Weighted 50/50, but after its first 401 the refused key is cooling for the rest of the run.
    expect(refused.length).toBeLessThanOrEqual(1);
    for (const a of refused) expect(a).toMatchObject({ status: 401, error_code: "upstream_auth_error" });
    const served = attempts.filter((a) => a.status === 200);
    expect(served).toHaveLength(12);
    expect(served.every((a) => a.credential === "env:pool#1")).toBe(true);
  });
});

describe("credentials from the management API", () => {
  it("routes by weight (0 takes no traffic), never returns secrets, and follows a PATCH", async () => {
    const base = { provider: "dbpool", protocol: "openai-compatible", base_url: `${upstreamOrigin}/v1` };
    const good = await admin("/api/providers", { ...base, api_key: "sk-db-good", weight: 1 });
    const zero = await admin("/api/providers", { ...base, api_key: "sk-db-refused", weight: 0 });
    const listed = await admin("/api/providers");
    expect(JSON.stringify([good, zero, listed])).not.toContain("sk-db");
    expect(listed.data.find((c: any) => c.id === "env:openai#1")).toMatchObject({ source: "environment", has_api_key: true });
    await admin("/api/models", { id: "dbpool/llama-3", kind: "chat" });
    for (let i = 0; i < 5; i++) {
      const res = await chatRaw(key, { model: "dbpool/llama-3", messages: msg("db credential") });
      expect(res.status).toBe(200);
      expect((await attemptsOf(res)).map((a) => a.credential)).toEqual([good.id]);
    }
    await adminPatch(`/api/providers/${good.id}`, { enabled: false });
    await adminPatch(`/api/providers/${zero.id}`, { weight: 1 });
    const refused = await chatRaw(key, { model: "dbpool/llama-3", messages: msg("db credential") });
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe("upstream_auth_error");
    expect((await admin(`/api/providers/${zero.id}`)).cooling_until).not.toBeNull();
  });
});

describe("limits", () => {
  it("applies a project's requests-per-minute limit across its keys", async () => {
    const { key: k1, projectId: p } = await newKey();
    await adminPatch(`/api/projects/${p}`, { rpm_limit: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await chatRaw(k1, { model: "openai/gpt-4o", messages: msg("x") }));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(statuses[2]!.body.error.message).toContain("this project");
    expect(statuses[2]!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(statuses[1]!.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const row = await auditRow(statuses[2]!.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ httpStatus: 429, errorCode: "rate_limit_exceeded" });
  });

  it("limits a key's concurrent requests and frees the slot when a request ends", async () => {
    const { key: k } = await newKey({ max_concurrent: 1 });
    const slow = chatRaw(k, { model: "openai/gpt-4o", messages: msg("[[fault:slow:800]]") });
    await new Promise((r) => setTimeout(r, 200));
    const second = await chatRaw(k, { model: "openai/gpt-4o", messages: msg("x") });
    expect(second.status).toBe(429);
    expect(second.body.error.message).toContain("1 concurrent requests");
    expect((await slow).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect((await chatRaw(k, { model: "openai/gpt-4o", messages: msg("x") })).status).toBe(200);
  });

  it("rejects too many messages naming the parameter", async () => {
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: Array.from({ length: 2049 }, () => ({ role: "user", content: "a" })) });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("messages");
  });
});

describe("total timeout", () => {
  it("ends a stream that outlives it with one timeout event, audited and billed", async () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const res = await rawStream(key, { model: "openai/gpt-4o", messages: msg(`${words} [[fault:trickle:400]]`), stream: true });
    expect(res.status).toBe(200);
    const last = JSON.parse(res.events.at(-1)!.data);
    expect(last.error.code).toBe("upstream_timeout");
    expect(last.error.message).toContain("total timeout");
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "error", httpStatus: 200, errorCode: "upstream_timeout", usageEstimated: 1 });
    expect(Number(row.costMicros)).toBeGreaterThan(0);
  });
});
