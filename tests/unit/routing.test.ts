import { afterEach, describe, expect, it } from "vitest";
import type { ProviderRuntime } from "@/lib/catalog/providers";
import { ApiError } from "@/lib/errors";
import { coolingUntil, pickCredential, reportFailure, reportSuccess, resetCredentialHealth } from "@/lib/upstream/routing/credentials";
import { backoffMs, classify, parseRetryAfter } from "@/lib/upstream/routing/retry";

const cred = (ref: string, weight = 1): ProviderRuntime => ({ slug: "openai", protocol: "openai", baseUrl: "http://x", apiKey: "k", orgId: null, credentialId: null, ref, weight });
const upstream = (code: ConstructorParameters<typeof ApiError>[0], status: number | null) => {
  const e = new ApiError(code, "x");
  e.upstreamStatus = status;
  return e;
};

afterEach(() => resetCredentialHealth());

describe("credential choice", () => {
  it("balances by weight", () => {
    const creds = [cred("a", 3), cred("b", 1)];
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) counts[pickCredential(creds, new Set(), 0, () => (i + 0.5) / 4000)!.ref as "a" | "b"]++;
    expect(counts).toEqual({ a: 3000, b: 1000 });
  });

  it("skips a cooling credential, and one already tried in this request", () => {
    const creds = [cred("a"), cred("b")];
    reportFailure("a", "rate_limited", 30_000, null, 1000);
    expect(coolingUntil("a", 1000)).toBe(31_000);
    for (let i = 0; i < 20; i++) expect(pickCredential(creds, new Set(), 1000)!.ref).toBe("b");
    expect(pickCredential(creds, new Set(["b"]), 1000)!.ref).toBe("a"); // only a left: cooling is better than nothing
    expect(pickCredential(creds, new Set(["a", "b"]), 1000)).toBeUndefined();
    expect(pickCredential(creds, new Set(), 31_001)!.ref).toMatch(/a|b/);
  });

  it("cools a credential after two server failures in a row, not one; success resets", () => {
    reportFailure("a", "server", 10_000, null, 0);
    expect(coolingUntil("a", 0)).toBe(0);
    reportSuccess("a");
    reportFailure("a", "server", 10_000, null, 0);
    expect(coolingUntil("a", 0)).toBe(0);
    reportFailure("a", "server", 10_000, null, 0);
    expect(coolingUntil("a", 0)).toBe(10_000);
  });

  it("honours an upstream Retry-After for the cooldown, bounded", () => {
    reportFailure("a", "rate_limited", 1_000, 3_000, 0);
    expect(coolingUntil("a", 0)).toBe(3_000);
    reportFailure("b", "rate_limited", 1_000, 3_600_000, 0);
    expect(coolingUntil("b", 0)).toBe(4_000);
  });
});

describe("failure verdicts", () => {
  it("retries transient upstream failures and moves on from refused keys and unservable models", () => {
    expect(classify(upstream("upstream_error", 503))).toEqual({ action: "retry", cooldown: "server" });
    expect(classify(upstream("upstream_error", null))).toEqual({ action: "retry", cooldown: "server" }); // connection lost
    expect(classify(upstream("rate_limit_exceeded", 429))).toEqual({ action: "retry", cooldown: "rate_limited" });
    expect(classify(upstream("upstream_timeout", null))).toEqual({ action: "retry", cooldown: "server" });
    expect(classify(upstream("upstream_auth_error", 401))).toEqual({ action: "next_credential", cooldown: "auth" });
    expect(classify(upstream("upstream_error", 404))).toEqual({ action: "fallback" });
    expect(classify(upstream("invalid_value", 400))).toEqual({ action: "fallback" });
  });

  it("stops on our own refusals and unknown errors", () => {
    expect(classify(new ApiError("rate_limit_exceeded", "own limit"))).toEqual({ action: "stop" });
    expect(classify(new ApiError("insufficient_quota", "x"))).toEqual({ action: "stop" });
    expect(classify(new Error("bug"))).toEqual({ action: "stop" });
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffMs(0, 200, 5000, () => 1)).toBe(200);
    expect(backoffMs(3, 200, 5000, () => 1)).toBe(1600);
    expect(backoffMs(10, 200, 5000, () => 1)).toBe(5000);
    expect(backoffMs(3, 200, 5000, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
