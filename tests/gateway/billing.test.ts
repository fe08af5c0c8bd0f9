import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { reservationMicros } from "@/lib/billing/chat";
import { admin, auditCount, auditRow, baseURL, billingOf, dbQuery, newKey, orgWithKey, until } from "./helpers";

const adminHeaders = { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" };

async function chat(key: string, body: Record<string, unknown>) {
  const res = await fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const micros = (units: number) => BigInt(Math.round(units * 1e6));

describe("billing through /v1", () => {
  it("reports exactly what the ledger charged", async () => {
    const { key } = await newKey();
    const res = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "price me" }] });
    expect(res.status).toBe(200);
    const { audit_id, balance_consumed_usd, credits_consumed } = res.body.vecstruct;
    const expected = Math.round(res.body.usage.prompt_tokens * 2.5 + res.body.usage.completion_tokens * 10) / 1e6;
    expect(balance_consumed_usd).toBeCloseTo(expected, 9);
    expect(credits_consumed).toBe(0);
    await auditRow(audit_id);
    const [entry] = await dbQuery<{ amountMicros: number }>(`SELECT "amountMicros" FROM ledger_entries WHERE "auditLogId" = ?`, audit_id);
    expect(BigInt(entry!.amountMicros)).toBe(-micros(balance_consumed_usd));
  });

  it("lets exactly 20 of 50 parallel requests through a balance that affords 20; the rest get 402", async () => {
    const { orgId, key, keyId } = await orgWithKey("race");
    const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "slow [[fault:slow:1500]]" }], max_tokens: 1000 };
    const model = { inputMicrosPerMtok: 2_500_000n, outputMicrosPerMtok: 10_000_000n, cachedInputMicrosPerMtok: 1_250_000n, maxOutputTokens: 16_384 };
    const perRequest = reservationMicros(body as never, model as never);
    const target = 20n * perRequest + perRequest - 1n;
    await fetch(`${baseURL}/api/billing/topup`, { method: "POST", headers: adminHeaders, body: JSON.stringify({ org_id: orgId, usd: Number(target - 5_000_000n) / 1e6 }) });
    expect(micros((await billingOf(orgId)).usd)).toBe(target);

    const results = await Promise.all(Array.from({ length: 50 }, () => chat(key, body)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 402)).toHaveLength(30);
    for (const r of results.filter((x) => x.status === 402)) expect(r.body.error).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota" });

    await until(async () => (await auditCount(keyId)) === 50);
    await until(async () => (await billingOf(orgId)).reserved_usd === 0);
    const b = await billingOf(orgId);
    const charged = results.filter((r) => r.status === 200).reduce((s, r) => s + micros(r.body.vecstruct.balance_consumed_usd), 0n);
    expect(micros(b.usd)).toBe(target - charged);
    expect(b.usd).toBeGreaterThanOrEqual(0);
    const ledger = b.ledger.reduce((s: bigint, e: { currency: string; amount: number }) => (e.currency === "usd" ? s + micros(e.amount) : s), 0n);
    expect(ledger).toBe(micros(b.usd));
  });

  it("bills an aborted stream for what was generated (tokenizer count, marked estimated)", async () => {
    const { key } = await newKey();
    const controller = new AbortController();
    const res = await fetch(`${baseURL}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "anthropic/claude-3-5-sonnet", messages: [{ role: "user", content: "alpha beta gamma delta [[fault:idle:1500]]" }], stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row.status).toBe("error");
    expect(row.costMicros).toBeGreaterThan(0);
    const [entry] = await dbQuery<{ amountMicros: number }>(`SELECT "amountMicros" FROM ledger_entries WHERE "auditLogId" = ?`, row.id);
    expect(entry!.amountMicros).toBe(-row.costMicros);
  });

  it("bills a stream that failed mid-way and reports it in the audit row", async () => {
    const { key } = await newKey();
    const res = await fetch(`${baseURL}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "one two three four five [[fault:drop]]" }], stream: true }),
    });
    await res.text();
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ status: "error", errorCode: "upstream_error", usageEstimated: 1 });
    expect(row.completionTokens).toBeGreaterThan(0);
    expect(row.costMicros).toBeGreaterThan(0);
  });

  it("stores no prompt or answer for a project that keeps metadata only", async () => {
    const project = await admin("/api/projects", { name: "private", keep_metadata_only: true });
    const key = await admin("/api/keys", { name: "k", project_id: project.id });
    const res = await chat(key.key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "secret prompt" }] });
    expect(res.status).toBe(200);
    const row = await auditRow(res.body.vecstruct.audit_id);
    expect(row.request).toBeNull();
    expect(row.responseText).toBeNull();
    expect(row.promptTokens).toBeGreaterThan(0);
    expect(row.costMicros).toBeGreaterThan(0);
  });

  it("writes exactly one audit row per request in a burst", async () => {
    // Its own organization, funded for the burst's worst case: the default organization's balance is
    // shared with every test file running in parallel, so what is left of it is not this test's to count on.
    const { key, keyId, orgId } = await orgWithKey("burst");
    await admin("/api/billing/topup", { org_id: orgId, usd: 1000 });
    const bodies = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? { model: "openai/gpt-4o", messages: [{ role: "user", content: "x [[fault:500]]" }] }
        : i % 4 === 1
          ? { model: "nope/model", messages: [{ role: "user", content: "x" }] }
          : { model: i % 2 ? "google/gemini-2.0-flash" : "openai/gpt-4o-mini", messages: [{ role: "user", content: `burst ${i}` }], stream: i % 3 === 0 },
    );
    const results = await Promise.all(bodies.map((b) => fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(b) }).then(async (r) => (await r.text(), r.status))));
    expect(results.filter((s) => s === 200).length).toBe(100);
    await until(async () => (await auditCount(keyId)) === 200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await auditCount(keyId)).toBe(200);
  });
});
