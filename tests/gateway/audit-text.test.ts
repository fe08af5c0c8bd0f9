// Issue 14 (5): a prompt with a lone surrogate (\ud800) made its audit row unwritable on PostgreSQL
// (jsonb refuses it); the writer retried it at the head of the queue with a backoff up to 30 s, so
// every tenant's settlements lagged and reservations stayed held. Now text is made well-formed before
// writing (U+FFFD) and no row can hold back the others. Runs on SQLite (gateway) and PostgreSQL (gateway-pg).
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { auditRow, baseURL, billingOf, orgWithKey, until } from "./helpers";

const adminHeaders = { authorization: `Bearer ${inject("adminKey")}` };
const micros = (units: number) => BigInt(Math.round(units * 1e6));

async function chat(key: string, body: Record<string, unknown>) {
  const res = await fetch(`${baseURL}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function expectBalanceEqualsLedger(orgId: string) {
  await until(async () => (await billingOf(orgId)).reserved_usd === 0);
  const b = await billingOf(orgId);
  const ledger = b.ledger.reduce((s: bigint, e: { currency: string; amount: number }) => (e.currency === "usd" ? s + micros(e.amount) : s), 0n);
  expect(ledger).toBe(micros(b.usd));
}

describe("text a database cannot store never stalls the audit queue", () => {
  it("stores a lone surrogate in the prompt and in metadata as U+FFFD, and other tenants settle promptly", async () => {
    const bad = await orgWithKey("surrogate-sender");
    const other = await orgWithKey("surrogate-bystander");
    // JSON.stringify writes the lone surrogates as the escapes \ud800 / \udc00, as a client's JSON would.
    const res = await chat(bad.key, {
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "lone \ud800 surrogate" }],
      vecstruct: { metadata: { note: "x\ud800", ["k\udc00"]: "v" } },
    });
    expect(res.status).toBe(200);
    const auditId = res.body.vecstruct.audit_id as string;

    // Right behind it, another organization's requests: their rows and charges land promptly.
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => chat(other.key, { model: "openai/gpt-4o", messages: [{ role: "user", content: `bystander ${i}` }] })));
    for (const r of others) expect(r.status).toBe(200);
    for (const r of others) await auditRow(r.body.vecstruct.audit_id);
    await expectBalanceEqualsLedger(other.orgId);

    await auditRow(auditId);
    const detail = await fetch(`${baseURL}/api/audit-logs/${auditId}?org_id=${bad.orgId}`, { headers: adminHeaders }).then((r) => r.json());
    expect(detail.request.messages[0].content).toBe("lone \uFFFD surrogate");
    expect(detail.metadata).toEqual({ note: "x\uFFFD", "k\uFFFD": "v" });
    expect(detail.status).toBe("success");
    await expectBalanceEqualsLedger(bad.orgId);
  });

  it("stores a NUL in the prompt the same way", async () => {
    const org = await orgWithKey("nul-sender");
    const res = await chat(org.key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "nul \u0000 here" }], vecstruct: { metadata: { tag: "a\u0000b" } } });
    expect(res.status).toBe(200);
    await auditRow(res.body.vecstruct.audit_id);
    const detail = await fetch(`${baseURL}/api/audit-logs/${res.body.vecstruct.audit_id}?org_id=${org.orgId}`, { headers: adminHeaders }).then((r) => r.json());
    expect(detail.request.messages[0].content).toBe("nul \uFFFD here");
    expect(detail.metadata).toEqual({ tag: "a\uFFFDb" });
    await expectBalanceEqualsLedger(org.orgId);
  });
});
