// The multi-instance invariants, through two instances sharing PostgreSQL and Redis: a key's rate
// limit, a revocation, a limited balance and the audit trail hold exactly as on one instance, with
// requests spread over both instances.
import { describe, expect, inject, it } from "vitest";
import { reservationMicros } from "@/lib/billing/chat";
import { auditCount, baseURL, billingOf, dbQuery, newKey, orgWithKey, until } from "../gateway/helpers";

const adminKey = inject("adminKey");
const upstreamOrigin = inject("upstreamOrigin");

/** A management call with the admin key, on one instance. */
async function manage(instance: number, path: string, body: Record<string, unknown>) {
  const res = await fetch(`${baseURL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json", "x-cluster-instance": String(instance) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** POST /v1/chat/completions on instance `instance` (0 or 1) through the proxy. */
async function chat(instance: number, key: string, body: Record<string, unknown>) {
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-cluster-instance": String(instance) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, instance: res.headers.get("x-vecstruct-instance"), body: text.startsWith("{") ? JSON.parse(text) : text };
}

async function topUp(orgId: string, usd: number) {
  const res = await fetch(`${baseURL}/api/billing/topup`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ org_id: orgId, usd }),
  });
  expect(res.ok).toBe(true);
}

const micros = (units: number) => BigInt(Math.round(units * 1e6));
const hello = (content = "hello") => ({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content }] });

describe("two instances, one PostgreSQL, one Redis", () => {
  it("the proxy spreads requests over both instances", async () => {
    const seen = new Set<string | null>();
    for (let i = 0; i < 4; i++) seen.add((await fetch(`${baseURL}/api/health`)).headers.get("x-vecstruct-instance"));
    expect([...seen].sort()).toEqual(["0", "1"]);
  });

  it("holds a key's rpm_limit exactly across instances: 10 alternating requests pass, the 11th is refused on both", async () => {
    const { key, keyId } = await newKey({ rpm_limit: 10 });
    for (let i = 0; i < 10; i++) {
      const r = await chat(i % 2, key, hello(`rpm ${i}`));
      expect([r.status, r.instance]).toEqual([200, String(i % 2)]);
    }
    // Each instance admitted 5: limits counted per instance would admit 10 more.
    expect((await chat(0, key, hello())).status).toBe(429);
    expect((await chat(1, key, hello())).status).toBe(429);
    await until(async () => (await auditCount(keyId)) === 12);
  });

  it("holds it under a parallel burst: exactly 10 of 30 requests spread over both instances pass", async () => {
    const { key, keyId } = await newKey({ rpm_limit: 10 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(i % 2, key, hello(`rpm ${i}`))));
    expect(results.map((r) => r.instance).filter((x) => x === "0")).toHaveLength(15);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(20);
    await until(async () => (await auditCount(keyId)) === 30);
  });

  it("stops a key revoked on instance A on instance B within the 2 s cache window", async () => {
    const { key, keyId } = await newKey();
    // B has the key cached (valid) before the revocation.
    expect((await chat(1, key, hello())).status).toBe(200);
    const revoked = await fetch(`${baseURL}/api/keys/${keyId}`, { method: "DELETE", headers: { authorization: `Bearer ${adminKey}`, "x-cluster-instance": "0" } });
    expect(revoked.status).toBeLessThan(300);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 5_000) {
      status = (await chat(1, key, hello())).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = Date.now() - started;
    expect(status).toBe(401);
    expect(elapsed).toBeLessThanOrEqual(2_500); // 2 s TTL, plus one request's time
    expect((await chat(0, key, hello())).status).toBe(401);
  });

  it("never overdraws a limited balance under concurrent spend from both instances; ledger = balance", async () => {
    const { orgId, key, keyId } = await orgWithKey("multi-race");
    const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "slow [[fault:slow:1500]]" }], max_tokens: 1000 };
    const model = { inputMicrosPerMtok: 2_500_000n, outputMicrosPerMtok: 10_000_000n, cachedInputMicrosPerMtok: 1_250_000n, maxOutputTokens: 16_384 };
    const perRequest = reservationMicros(body as never, model as never);
    const target = 20n * perRequest + perRequest - 1n;
    await topUp(orgId, Number(target - 5_000_000n) / 1e6);
    expect(micros((await billingOf(orgId)).usd)).toBe(target);

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => chat(i % 2, key, body)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(20);
    expect(results.filter((r) => r.status === 402)).toHaveLength(30);
    expect(results.filter((r) => r.instance === "1")).toHaveLength(25);

    await until(async () => (await auditCount(keyId)) === 50);
    await until(async () => (await billingOf(orgId)).reserved_usd === 0);
    const b = await billingOf(orgId);
    const charged = ok.reduce((s, r) => s + micros(r.body.vecstruct.balance_consumed_usd), 0n);
    expect(micros(b.usd)).toBe(target - charged);
    expect(b.usd).toBeGreaterThanOrEqual(0);
    const [ledger] = await dbQuery<{ total: number }>(`SELECT SUM("amountMicros") AS total FROM ledger_entries WHERE "orgId" = ? AND currency = 'usd'`, orgId);
    expect(BigInt(ledger!.total)).toBe(micros(b.usd));
  }, 60_000);

  it("writes exactly one audit row per request sent to either instance", async () => {
    const { orgId, key, keyId } = await orgWithKey("multi-burst");
    await topUp(orgId, 1_000);
    const bodies = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? { model: "openai/gpt-4o", messages: [{ role: "user", content: "x [[fault:500]]" }] }
        : i % 4 === 1
          ? { model: "nope/model", messages: [{ role: "user", content: "x" }] }
          : { model: i % 2 ? "google/gemini-2.0-flash" : "openai/gpt-4o-mini", messages: [{ role: "user", content: `burst ${i}` }], stream: i % 3 === 0 },
    );
    const results = await Promise.all(bodies.map((b, i) => chat(i % 2, key, b)));
    const odd = results.map((r, i) => [i, r.status, r.instance, typeof r.body === "string" ? r.body.slice(0, 200) : JSON.stringify(r.body).slice(0, 200)]).filter(([i, s]) => (s === 200) !== ((i as number) % 4 >= 2));
    expect(odd).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(100);
    await until(async () => (await auditCount(keyId)) === 200, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await auditCount(keyId)).toBe(200);
  }, 60_000);

  it("serves a model created on the other instance at once, even when this instance's catalog is stale", async () => {
    const { key, orgId } = await orgWithKey("catalog-across");
    // Instance 1 loads its catalog, which then goes stale (TTL 3 s) before the model exists.
    expect((await chat(1, key, hello("warm"))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500));
    const cred = await manage(0, "/api/providers", { provider: "own", protocol: "openai-compatible", base_url: `${upstreamOrigin}/v1`, api_key: "sk-own-across", org_id: orgId });
    expect(cred.status).toBe(201);
    const model = await manage(0, "/api/models", { id: "own/echo-across", input_price_per_mtok: 1, output_price_per_mtok: 2, org_id: orgId });
    expect(model.status).toBe(201);
    const r = await chat(1, key, { model: "own/echo-across", messages: [{ role: "user", content: "across" }] });
    expect([r.status, r.instance]).toEqual([200, "1"]);
    expect(r.body.model).toBe("own/echo-across");
  });
});
