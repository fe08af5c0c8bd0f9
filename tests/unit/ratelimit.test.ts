import { describe, expect, it } from "vitest";
import type { KeyContext } from "@/lib/gateway/auth";
import { admitRequest, countTokensUsed } from "@/lib/gateway/ratelimit";
import { ApiError } from "@/lib/errors";

const key = (over: Partial<KeyContext>): KeyContext => ({
  id: `key_${Math.random()}`, orgId: "o", projectId: "p", models: null, rpmLimit: null, tpmLimit: null, budgetMicros: null, expiresAt: null, ...over,
});

describe("per-key rate limits", () => {
  it("admits rpm_limit requests per minute, then answers 429 with Retry-After and x-ratelimit headers", () => {
    const k = key({ rpmLimit: 3 });
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 10);
    expect(admitRequest(k, t0).headers).toMatchObject({ "x-ratelimit-limit-requests": "3", "x-ratelimit-remaining-requests": "2" });
    admitRequest(k, t0 + 1);
    admitRequest(k, t0 + 2);
    let err: ApiError | undefined;
    try {
      admitRequest(k, t0 + 3);
    } catch (e) {
      err = e as ApiError;
    }
    expect(err?.status).toBe(429);
    expect(err?.code).toBe("rate_limit_exceeded");
    expect(Number(err?.headers["retry-after"])).toBeGreaterThan(0);
    expect(err?.headers["x-ratelimit-remaining-requests"]).toBe("0");
    // Two minutes later the window is empty again.
    expect(() => admitRequest(k, t0 + 120_000)).not.toThrow();
  });

  it("refuses once the settled tokens of the last minute reach tpm_limit", () => {
    const k = key({ tpmLimit: 1000 });
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 5);
    admitRequest(k, t0);
    countTokensUsed(k, 600, t0);
    expect(admitRequest(k, t0 + 1).headers["x-ratelimit-remaining-tokens"]).toBe("400");
    countTokensUsed(k, 500, t0 + 2);
    expect(() => admitRequest(k, t0 + 3)).toThrow(ApiError);
  });

  it("leaves keys without limits alone", () => {
    const k = key({});
    for (let i = 0; i < 1000; i++) admitRequest(k);
    expect(admitRequest(k).headers).toEqual({});
  });
});
