import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "@/lib/api/pagination";
import { zodToApiError } from "@/lib/http/validation";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { randomBase62 } from "@/lib/crypto";
import { ApiError, toApiError } from "@/lib/errors";
import { generateApiKey, keyStatus } from "@/lib/tenancy/keys";
import { toMicros } from "@/lib/money";

describe("errors", () => {
  it("derives status and type from the code", () => {
    const e = new ApiError("model_not_allowed", "nope", { param: "model" });
    expect(e.status).toBe(403);
    expect(e.toBody()).toEqual({ error: { message: "nope", type: "permission_error", param: "model", code: "model_not_allowed" } });
  });

  it("hides unknown errors behind a generic 500", () => {
    const original = console.error;
    console.error = () => {};
    const e = toApiError(new Error("db password is hunter2"));
    console.error = original;
    expect(e.status).toBe(500);
    expect(e.message).not.toContain("hunter2");
  });

  it("maps zod issues to OpenAI error codes with the param path", () => {
    const schema = z.strictObject({ a: z.string(), b: z.array(z.number()).optional() });
    expect(zodToApiError(schema.safeParse({}).error!, {})).toMatchObject({ code: "missing_required_parameter", param: "a" });
    const bad = { a: "x", b: [1, "2"] };
    expect(zodToApiError(schema.safeParse(bad).error!, bad)).toMatchObject({ code: "invalid_value", param: "b[1]" });
    const extra = { a: "x", c: 1 };
    expect(zodToApiError(schema.safeParse(extra).error!, extra)).toMatchObject({ code: "unsupported_parameter", param: "c" });
  });
});

describe("secrets", () => {
  it("hashes passwords with scrypt and verifies them", async () => {
    const hash = await hashPassword("pässword with ümlauts");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/); // OWASP: N=2^17, r=8, p=1
    expect(await verifyPassword("pässword with ümlauts", hash)).toBe(true);
    expect(await verifyPassword("password with umlauts", hash)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("makes uniform base62 API keys with a short visible prefix", () => {
    const { key, hash, prefix } = generateApiKey();
    expect(key).toMatch(/^sk-vs-[0-9A-Za-z]{40}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBe(12);
    const sample = randomBase62(62 * 200);
    const counts = new Map<string, number>();
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(100);
  });

  it("reports key status", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(keyStatus({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(keyStatus({ revokedAt: null, expiresAt: new Date("2025-12-31T00:00:00Z") }, now)).toBe("expired");
    expect(keyStatus({ revokedAt: now, expiresAt: null }, now)).toBe("revoked");
  });
});

describe("money and paging", () => {
  it("converts configured amounts to exact micro-units", () => {
    expect(toMicros(5)).toBe(5_000_000n);
    expect(toMicros(0.03)).toBe(30_000n);
    expect(toMicros(0.1 + 0.2)).toBe(300_000n);
  });

  it("round-trips cursors and rejects garbage", () => {
    const row = { createdAt: new Date("2026-05-01T10:00:00.123Z"), id: "abc" };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
    expect(() => decodeCursor("%%%")).toThrow(ApiError);
  });
});
