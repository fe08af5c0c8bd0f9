import { describe, expect, it } from "vitest";
import { builtinSpans, ibanValid, luhn } from "./detectors";
import { compileRules, guardrailsInput, scan, type Finding } from "./rules";

const found = (d: Parameters<typeof builtinSpans>[0], t: string) => builtinSpans(d, t).map((s) => t.slice(s.start, s.end));

describe("built-in detectors", () => {
  it("email", () => {
    expect(found("email", "write to bob.smith+tag@mail.example.co.uk or alice@example.com.")).toEqual(["bob.smith+tag@mail.example.co.uk", "alice@example.com"]);
    expect(found("email", "not@an address, @handle, a@b")).toEqual([]);
  });
  it("card: Luhn-valid numbers only, with spaces or dashes", () => {
    expect(luhn("4111111111111111")).toBe(true);
    expect(luhn("4111111111111112")).toBe(false);
    expect(found("card", "card 4111 1111 1111 1111, other 4111-1111-1111-1112, order 1234567890123")).toEqual(["4111 1111 1111 1111"]);
  });
  it("phone: written as a phone number, not an order number or a card", () => {
    expect(found("phone", "call +33 6 12 34 56 78 or (02) 1234-5678")).toEqual(["+33 6 12 34 56 78", "(02) 1234-5678"]);
    expect(found("phone", "order 123456789, year 2026, card 4111 1111 1111 1111")).toEqual([]);
  });
  it("iban: checksum-valid only", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(found("iban", "pay GB82 WEST 1234 5698 7654 32 now; not GB82 WEST 1234 5698 7654 33")).toEqual(["GB82 WEST 1234 5698 7654 32"]);
  });
  it("ip: v4 and v6, not versions or times", () => {
    expect(found("ip", "from 192.168.1.20 and 2001:db8::8a2e:370:7334")).toEqual(["192.168.1.20", "2001:db8::8a2e:370:7334"]);
    expect(found("ip", "version 1.2.3, at 12:30:45, 999.1.1.1")).toEqual([]);
  });
  it("secret: OpenAI, project, Anthropic and GitHub key shapes", () => {
    const t = "keys sk-abcdefghijklmnopqrstuvwx1234 sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX_yz ghp_" + "a".repeat(36) + " and sk-short";
    expect(found("secret", t)).toHaveLength(3);
  });
  it("stays linear on long hostile input", () => {
    const hostile = "a".repeat(100_000) + "@" + "1".repeat(50_000) + "12 ".repeat(20_000) + "GB12" + "A".repeat(50_000);
    const t0 = performance.now();
    for (const d of ["email", "card", "phone", "iban", "ip", "secret"] as const) builtinSpans(d, hostile);
    // Not a timing assert: a quadratic pattern would not finish this test within its timeout.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(0);
  });
});

describe("rules", () => {
  it("redacts, blocks and logs, counting per detector without keeping the text", () => {
    const rules = compileRules(
      guardrailsInput.parse({
        rules: [
          { detector: "email", input: "redact" },
          { detector: "deny", terms: ["Project Falcon"], input: "log" },
          { detector: "regex", pattern: "ORD-\\d{6}", input: "redact" },
        ],
      }).rules,
    );
    const findings: Finding[] = [];
    const r = scan(rules, "input", "mail a@b.io and c@d.io about project falcon, order ORD-123456", findings);
    expect(r).toEqual({ text: "mail [EMAIL] and [EMAIL] about project falcon, order [REDACTED]", blockedAt: null });
    expect(findings).toEqual([
      { detector: "email", action: "redact", where: "input", count: 2 },
      { detector: "deny", action: "log", where: "input", count: 1 },
      { detector: "regex", action: "redact", where: "input", count: 1 },
    ]);
  });
  it("rejects patterns RE2 cannot run in linear time, and rules missing their fields, naming the field", () => {
    for (const [rule, path] of [
      [{ detector: "regex", pattern: "(a)\\1", input: "block" }, "pattern"],
      [{ detector: "regex", input: "block" }, "pattern"],
      [{ detector: "deny", output: "block" }, "terms"],
      [{ detector: "email" }, "input"],
      [{ detector: "email", input: "drop" }, "input"],
      [{ detector: "fax", input: "block" }, "detector"],
    ] as const) {
      const r = guardrailsInput.safeParse({ rules: [rule] });
      expect(r.success, JSON.stringify(rule)).toBe(false);
      expect(r.error!.issues[0]!.path.join("."), JSON.stringify(rule)).toBe(`rules.0.${path}`);
    }
  });
});
