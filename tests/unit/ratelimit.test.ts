import { afterEach, describe, expect, it } from "vitest";
import { RequestLimits, resetRateLimits } from "@/lib/ratelimit";
import { ApiError } from "@/lib/errors";

afterEach(() => resetRateLimits());

const t0 = Date.UTC(2026, 0, 1, 0, 0, 10);
let n = 0;
const req = () => new RequestLimits(`req_${++n}`);

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error("expected a 429");
}

describe("rate limits (in memory)", () => {
  it("admits rpm requests per minute, then answers 429 with Retry-After and x-ratelimit headers", async () => {
    const first = req();
    await first.admit("key", "k1", { rpm: 3, tpm: null, concurrent: null }, t0);
    expect(first.headers).toMatchObject({ "x-ratelimit-limit-requests": "3", "x-ratelimit-remaining-requests": "2" });
    await req().admit("key", "k1", { rpm: 3, tpm: null, concurrent: null }, t0 + 1);
    await req().admit("key", "k1", { rpm: 3, tpm: null, concurrent: null }, t0 + 2);
    const err = await refusal(req().admit("key", "k1", { rpm: 3, tpm: null, concurrent: null }, t0 + 3));
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limit_exceeded");
    expect(err.message).toContain("this API key");
    expect(Number(err.headers["retry-after"])).toBeGreaterThan(0);
    expect(err.headers["x-ratelimit-remaining-requests"]).toBe("0");
    // Two minutes later the window is empty again.
    await expect(req().admit("key", "k1", { rpm: 3, tpm: null, concurrent: null }, t0 + 120_000)).resolves.toBeUndefined();
  });

  it("refuses once the settled tokens of the last minute reach tpm", async () => {
    const check = { rpm: null, tpm: 1000, concurrent: null };
    const a = req();
    await a.admit("key", "k2", check, t0);
    a.settle(600, t0);
    const b = req();
    await b.admit("key", "k2", check, t0 + 1);
    expect(b.headers["x-ratelimit-remaining-tokens"]).toBe("400");
    b.settle(500, t0 + 2);
    const err = await refusal(req().admit("key", "k2", check, t0 + 3));
    expect(err.headers["x-ratelimit-reset-tokens"]).toMatch(/^\d+s$/);
  });

  it("holds a concurrency slot until the request settles, exactly once", async () => {
    const check = { rpm: null, tpm: null, concurrent: 2 };
    const a = req();
    const b = req();
    await a.admit("project", "p1", check, t0);
    await b.admit("project", "p1", check, t0);
    const err = await refusal(req().admit("project", "p1", check, t0));
    expect(err.message).toContain("2 concurrent requests for this project");
    a.settle(0);
    a.settle(0); // idempotent: must not free b's slot too
    await req().admit("project", "p1", check, t0);
    await expect(req().admit("project", "p1", check, t0)).rejects.toThrow(ApiError);
  });

  it("reports the most restrictive scope in the headers", async () => {
    const r = req();
    await r.admit("key", "k3", { rpm: 100, tpm: null, concurrent: null }, t0);
    await r.admit("project", "p3", { rpm: 5, tpm: null, concurrent: null }, t0);
    expect(r.headers).toMatchObject({ "x-ratelimit-limit-requests": "5", "x-ratelimit-remaining-requests": "4" });
  });

  it("leaves scopes without limits alone", async () => {
    const r = req();
    for (let i = 0; i < 1000; i++) await r.admit("key", "k4", { rpm: null, tpm: null, concurrent: null });
    expect(r.headers).toEqual({});
  });
});
