// Two stores on one Redis stand for two gateway instances: the limits are shared.
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "@/lib/ratelimit/redis";
import { randomBytes } from "node:crypto";

const url = "redis://127.0.0.1:6379";
const a = new RedisStore(url, 60_000);
const b = new RedisStore(url, 60_000);
afterAll(async () => {
  await a.close();
  await b.close();
});

const scope = () => `test:${randomBytes(6).toString("hex")}`;
const now = Date.UTC(2026, 0, 1, 0, 0, 10);

describe("Redis rate-limit store", () => {
  it("shares requests per minute across instances", async () => {
    const s = scope();
    const check = { rpm: 3, tpm: null, concurrent: null };
    const results = [await a.admit(s, check, "r1", now), await b.admit(s, check, "r2", now), await a.admit(s, check, "r3", now), await b.admit(s, check, "r4", now)];
    expect(results.map((r) => r.denied)).toEqual([null, null, null, "rpm"]);
    expect(results[3]!.requests.cur).toBe(3);
  });

  it("counts settled tokens from any instance", async () => {
    const s = scope();
    const check = { rpm: null, tpm: 100, concurrent: null };
    expect((await a.admit(s, check, "r1", now)).denied).toBeNull();
    await a.addTokens(s, 70, now);
    await b.addTokens(s, 40, now);
    const r = await b.admit(s, check, "r2", now);
    expect(r.denied).toBe("tpm");
    expect(r.tokens.cur).toBe(110);
  });

  it("holds concurrency slots per request id and frees them on release; stale slots expire", async () => {
    const s = scope();
    const check = { rpm: null, tpm: null, concurrent: 2 };
    expect((await a.admit(s, check, "r1", now)).denied).toBeNull();
    expect((await b.admit(s, check, "r2", now)).denied).toBeNull();
    expect((await a.admit(s, check, "r3", now)).denied).toBe("concurrent");
    await b.release(s, "r2");
    expect((await a.admit(s, check, "r3", now)).denied).toBeNull();
    // A slot older than the longest possible request (an instance died holding it) no longer counts.
    expect((await a.admit(s, check, "r4", now + 61_000)).denied).toBeNull();
  });

  it("fails when Redis is unreachable, so the caller can fall back", async () => {
    const dead = new RedisStore("redis://127.0.0.1:1", 60_000);
    await expect(dead.admit(scope(), { rpm: 1, tpm: null, concurrent: null }, "r", now)).rejects.toThrow();
    await dead.close();
  });
});
