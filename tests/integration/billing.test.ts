import { describe, expect, it } from "vitest";
import * as billing from "@/app/api/billing/route";
import * as topup from "@/app/api/billing/topup/route";
import { flushAudit, recordAudit, type AuditRecord } from "@/lib/audit/writer";
import { reserve, type Reservation } from "@/lib/billing/reserve";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { adminHeaders, call, signedInUser } from "../helpers/http";

let n = 0;
function settled(orgId: string, apiKeyId: string | null, reservation: Reservation | null, cost: bigint, status: "success" | "error" = "success"): AuditRecord {
  n += 1;
  return {
    id: `aud_bill_${n}_${Math.random().toString(36).slice(2)}`, orgId, projectId: null, apiKeyId, origin: "api", endpoint: "/v1/chat/completions",
    model: "openai/gpt-4o", provider: "openai", status, httpStatus: status === "success" ? 200 : 502, errorCode: null, errorMessage: null,
    stream: false, promptTokens: 10, completionTokens: 10, reasoningTokens: 0, cachedTokens: 0, usageEstimated: false, latencyMs: 1, ttftMs: 1,
    costMicros: cost, creditsMicros: 0n, metadata: null, attempts: null, request: null, responseText: null, createdAt: new Date(), reservation,
  };
}

async function ledgerSum(orgId: string, currency: string) {
  const rows = await db().ledgerEntry.findMany({ where: { orgId, currency } });
  return rows.reduce((s, r) => s + r.amountMicros, 0n);
}

describe("reservations and settlement", () => {
  it("lets exactly as many concurrent requests through as the balance affords, never below zero", async () => {
    const { org } = await signedInUser("race");
    // 5 USD grant; each request holds 0.25 USD → exactly 20 fit.
    const key = { id: "key_none", orgId: org.id, budgetMicros: null };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => reserve(key, 250_000n, 0n)));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Reservation>).value);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const e of refused) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe("insufficient_quota");
    }
    let o = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(o.reservedUsdMicros).toBe(5_000_000n);

    // Each charges less than it held; half of them failed upstream and charge nothing.
    ok.forEach((r, i) => recordAudit(settled(org.id, null, r, i % 2 ? 0n : 123_457n, i % 2 ? "error" : "success")));
    await flushAudit();
    o = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(o.reservedUsdMicros).toBe(0n);
    expect(o.usdMicros).toBe(5_000_000n - 10n * 123_457n);
    expect(await ledgerSum(org.id, "usd")).toBe(o.usdMicros);
    const usage = await db().ledgerEntry.findMany({ where: { orgId: org.id, kind: "usage" } });
    expect(usage).toHaveLength(10);
    expect(usage.every((e) => e.auditLogId !== null && e.amountMicros === -123_457n)).toBe(true);
  });

  it("enforces a key's budget with budget_exceeded and tracks its spend", async () => {
    const { org } = await signedInUser("budget");
    const project = await db().project.create({ data: { orgId: org.id, name: "p" } });
    const k = await db().apiKey.create({ data: { orgId: org.id, projectId: project.id, name: "k", keyHash: `h${Math.random()}`, prefix: "sk-vs-x", budgetMicros: 1_000_000n } });
    const key = { id: k.id, orgId: org.id, budgetMicros: 1_000_000n };
    const first = await reserve(key, 600_000n, 0n);
    const err = await reserve(key, 600_000n, 0n).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("budget_exceeded");
    expect(err.status).toBe(402);
    // A refused key reservation leaves the organization untouched (atomic).
    expect((await db().organization.findUniqueOrThrow({ where: { id: org.id } })).reservedUsdMicros).toBe(600_000n);
    recordAudit(settled(org.id, k.id, first, 400_000n));
    await flushAudit();
    const after = await db().apiKey.findUniqueOrThrow({ where: { id: k.id } });
    expect(after.spentMicros).toBe(400_000n);
    expect(after.reservedMicros).toBe(0n);
    await expect(reserve(key, 600_000n, 0n)).resolves.toMatchObject({ usd: 600_000n });
    await expect(reserve(key, 1n, 0n)).rejects.toMatchObject({ code: "budget_exceeded" });
  });
});

describe("billing API", () => {
  it("shows balances and the ledger, and lets the operator top up and adjust", async () => {
    const u = await signedInUser("bill");
    const mine = await call(billing.GET, { headers: u.headers });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ object: "billing", org_id: u.org.id, usd: 5, credits: 100, reserved_usd: 0 });
    expect(mine.body.ledger.map((e: any) => [e.currency, e.kind, e.amount]).sort()).toEqual([["credits", "grant", 100], ["usd", "grant", 5]]);

    const denied = await call(topup.POST, { method: "POST", headers: u.headers, body: { usd: 10 } });
    expect(denied.status).toBe(403);

    const up = await call(topup.POST, { method: "POST", headers: adminHeaders, body: { org_id: u.org.id, usd: 10.000001, credits: 5, note: "invoice 42" } });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ usd: 15.000001, credits: 105 });
    const tooMuch = await call(topup.POST, { method: "POST", headers: adminHeaders, body: { org_id: u.org.id, usd: -100 } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: "invalid_value", param: "usd" });
    const adjust = await call(topup.POST, { method: "POST", headers: adminHeaders, body: { org_id: u.org.id, usd: -0.000001 } });
    expect(adjust.body.usd).toBe(15);
    expect(adjust.body.ledger[0]).toMatchObject({ kind: "adjustment", amount: -0.000001, currency: "usd" });
    const org = await db().organization.findUniqueOrThrow({ where: { id: u.org.id } });
    expect(await ledgerSum(u.org.id, "usd")).toBe(org.usdMicros);
    expect(await ledgerSum(u.org.id, "credits")).toBe(org.creditsMicros);

    for (const body of [{}, { usd: 0 }, { usd: "10" }, { usd: 1, extra: true }]) {
      const bad = await call(topup.POST, { method: "POST", headers: adminHeaders, body: { org_id: u.org.id, ...body } });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("keeps each organization's billing to itself", async () => {
    const a = await signedInUser("billA");
    const b = await signedInUser("billB");
    const res = await call(billing.GET, { headers: b.headers, path: `/api/billing?org_id=${a.org.id}` });
    expect(res.status).toBe(404);
    expect((await call(billing.GET, { headers: b.headers })).body.org_id).toBe(b.org.id);
  });
});
