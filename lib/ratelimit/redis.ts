// The multi-instance store (REDIS_URL): the same decision as memory.ts, made atomically by one Lua
// script per admission. In-flight requests are a sorted set of request ids scored by start time,
// so an instance that dies mid-request cannot hold a slot longer than the total timeout.
import Redis from "ioredis";
import { elapsedFraction, MINUTE, type Check, type Observed } from "./window";

const ADMIT = `
local frac = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2]); local tpm = tonumber(ARGV[3]); local conc = tonumber(ARGV[4])
local rc = tonumber(redis.call('GET', KEYS[1]) or '0'); local rp = tonumber(redis.call('GET', KEYS[2]) or '0')
local tc = tonumber(redis.call('GET', KEYS[3]) or '0'); local tp = tonumber(redis.call('GET', KEYS[4]) or '0')
local n = 0
if conc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[6])
  n = redis.call('ZCARD', KEYS[5])
end
local denied = 0
if tpm > 0 and tc + tp * (1 - frac) >= tpm then denied = 2
elseif rpm > 0 and rc + rp * (1 - frac) + 1 > rpm then denied = 1
elseif conc > 0 and n >= conc then denied = 3 end
if denied == 0 then
  redis.call('INCR', KEYS[1]); redis.call('PEXPIRE', KEYS[1], 150000)
  if conc > 0 then redis.call('ZADD', KEYS[5], ARGV[7], ARGV[5]); redis.call('PEXPIRE', KEYS[5], ARGV[8]) end
end
return {denied, rc, rp, tc, tp, n}`;

const DENIED = [null, "rpm", "tpm", "concurrent"] as const;

type AdmitFn = (...args: (string | number)[]) => Promise<number[]>;

export class RedisStore {
  private readonly redis: Redis;
  private readonly admitScript: AdmitFn;
  private readonly firstConnect: Promise<void>;

  constructor(url: string, private readonly maxRequestMs: number) {
    // Fail fast: a limit check must never queue behind a dead connection.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 500, lazyConnect: false });
    this.redis.on("error", () => {}); // reported by the caller's fail-open path, not per reconnect
    this.redis.defineCommand("vsAdmit", { numberOfKeys: 5, lua: ADMIT });
    this.admitScript = (this.redis as unknown as { vsAdmit: AdmitFn }).vsAdmit.bind(this.redis);
    this.firstConnect = new Promise<void>((resolve, reject) => {
      this.redis.once("ready", resolve);
      setTimeout(() => reject(new Error("Redis did not connect within 2 s")), 2_000).unref();
    });
    this.firstConnect.catch(() => {});
  }

  /** Only the first connection is waited for; after that a disconnected Redis fails at once. */
  private async connected(): Promise<void> {
    if (this.redis.status === "ready") return;
    await this.firstConnect;
    if ((this.redis.status as string) !== "ready") throw new Error(`Redis is ${this.redis.status}`);
  }

  private keys(scope: string, now: number): string[] {
    const minute = Math.floor(now / MINUTE);
    return [`vs:rl:${scope}:r:${minute}`, `vs:rl:${scope}:r:${minute - 1}`, `vs:rl:${scope}:t:${minute}`, `vs:rl:${scope}:t:${minute - 1}`, `vs:cc:${scope}`];
  }

  async admit(scope: string, check: Check, requestId: string, now: number): Promise<Observed> {
    await this.connected();
    const [d, rc, rp, tc, tp, n] = await this.admitScript(
      ...this.keys(scope, now),
      elapsedFraction(now),
      check.rpm ?? 0,
      check.tpm ?? 0,
      check.concurrent ?? 0,
      requestId,
      now - this.maxRequestMs,
      now,
      this.maxRequestMs,
    );
    return { denied: DENIED[d ?? 0] ?? null, requests: { cur: rc ?? 0, prev: rp ?? 0 }, tokens: { cur: tc ?? 0, prev: tp ?? 0 }, inFlight: n ?? 0 };
  }

  async release(scope: string, requestId: string): Promise<void> {
    await this.connected();
    await this.redis.zrem(`vs:cc:${scope}`, requestId);
  }

  async addTokens(scope: string, n: number, now: number): Promise<void> {
    await this.connected();
    const key = this.keys(scope, now)[2]!;
    await this.redis.multi().incrby(key, n).pexpire(key, 150_000).exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
