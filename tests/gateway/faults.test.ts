// Fault injection: every way an upstream misbehaves, with what the client sees, what the audit
// row says and what the ledger charged — for plain and streaming requests. Persistent faults
// exhaust the retries (the mock fails every attempt); see routing.test.ts for recoveries.
import { beforeAll, describe, expect, it } from "vitest";
import { auditRow, billingOf, chatRaw, dbQuery, orgWithKey, rawStream, until } from "./helpers";

let key: string;
let orgId: string;
beforeAll(async () => {
  ({ key, orgId } = await orgWithKey("faults"));
});

const msg = (text: string) => [{ role: "user", content: text }];
const usdCharged = async (auditId: string) =>
  (await dbQuery<{ amountMicros: number }>(`SELECT "amountMicros" FROM ledger_entries WHERE "auditLogId" = ? AND currency = 'usd'`, auditId)).reduce((s, r) => s - Number(r.amountMicros), 0);

interface Outcome {
  status: number;
  code: string | null; // error code: the HTTP error's, or the in-stream error event's
  audit: { status: "success" | "error"; httpStatus: number; billed: boolean };
}

// fault → outcome for a non-streaming request, and for a streaming one.
const CASES: [string, Outcome, Outcome][] = [
  ["[[fault:500]]", { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }, { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }],
  ["[[fault:429]]", { status: 429, code: "rate_limit_exceeded", audit: { status: "error", httpStatus: 429, billed: false } }, { status: 429, code: "rate_limit_exceeded", audit: { status: "error", httpStatus: 429, billed: false } }],
  ["[[fault:slow:2500]]", { status: 504, code: "upstream_timeout", audit: { status: "error", httpStatus: 504, billed: false } }, { status: 504, code: "upstream_timeout", audit: { status: "error", httpStatus: 504, billed: false } }],
  ["[[fault:stall-first:2500]]", { status: 200, code: null, audit: { status: "success", httpStatus: 200, billed: true } }, { status: 504, code: "upstream_timeout", audit: { status: "error", httpStatus: 504, billed: false } }],
  ["[[fault:hang]]", { status: 504, code: "upstream_timeout", audit: { status: "error", httpStatus: 504, billed: false } }, { status: 504, code: "upstream_timeout", audit: { status: "error", httpStatus: 504, billed: false } }],
  ["[[fault:drop]]", { status: 200, code: null, audit: { status: "success", httpStatus: 200, billed: true } }, { status: 200, code: "upstream_error", audit: { status: "error", httpStatus: 200, billed: true } }],
  ["[[fault:idle:2500]]", { status: 200, code: null, audit: { status: "success", httpStatus: 200, billed: true } }, { status: 200, code: "upstream_timeout", audit: { status: "error", httpStatus: 200, billed: true } }],
  ["[[fault:bad-sse]]", { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }, { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }],
  ["[[fault:html]]", { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }, { status: 502, code: "upstream_error", audit: { status: "error", httpStatus: 502, billed: false } }],
];

async function check(auditId: string, expected: Outcome, label: string) {
  const row = await auditRow(auditId);
  expect({ status: row.status, httpStatus: row.httpStatus }, label).toEqual({ status: expected.audit.status, httpStatus: expected.audit.httpStatus });
  if (expected.code && expected.audit.status === "error") expect(row.errorCode, label).toBe(expected.code);
  await until(async () => (await dbQuery(`SELECT 1 FROM audit_logs WHERE id = ?`, auditId)).length === 1);
  const charged = await usdCharged(auditId);
  expect(charged, `${label}: ledger = audit cost`).toBe(Number(row.costMicros));
  if (expected.audit.billed) expect(charged, `${label}: what was generated is billed`).toBeGreaterThan(0);
  else expect(charged, `${label}: nothing generated, nothing billed`).toBe(0);
  expect(JSON.stringify(row)).not.toContain("sk-upstream");
}

describe("fault injection", () => {
  it.each(CASES)("%s", async (fault, plain, streamed) => {
    const text = `one two three four five six ${fault}`;
    const [a, b] = await Promise.all([chatRaw(key, { model: "openai/gpt-4o", messages: msg(text) }), rawStream(key, { model: "openai/gpt-4o", messages: msg(text), stream: true })]);

    expect(a.status, "plain").toBe(plain.status);
    if (plain.code) expect(a.body.error.code, "plain").toBe(plain.code);
    else expect(a.body.choices[0].message.content).toContain("one two three");
    await check(a.headers.get("x-vecstruct-audit-id")!, plain, `${fault} plain`);

    expect(b.status, "stream").toBe(streamed.status);
    if (streamed.status !== 200) {
      expect(JSON.parse(b.text).error.code).toBe(streamed.code);
    } else {
      const last = b.events.at(-1)!;
      expect(b.events.length).toBeGreaterThan(1); // content reached the client before any error
      if (streamed.code) {
        expect(JSON.parse(last.data).error.code).toBe(streamed.code);
        expect(b.events.some((e) => e.data === "[DONE]")).toBe(false);
      } else expect(last.data).toBe("[DONE]");
    }
    await check(b.headers.get("x-vecstruct-audit-id")!, streamed, `${fault} stream`);
  });

  it("leaves the organization's balance equal to its ledger, with nothing reserved", async () => {
    await until(async () => (await billingOf(orgId)).reserved_usd === 0);
    const b = await billingOf(orgId);
    const ledger = b.ledger.reduce((s: number, e: { currency: string; amount: number }) => (e.currency === "usd" ? s + Math.round(e.amount * 1e6) : s), 0);
    expect(ledger).toBe(Math.round(b.usd * 1e6));
  });
});
