// Rate limits per API key and per project: requests per minute, tokens per minute (settled
// tokens, streams included) and requests in flight. 429 with Retry-After and OpenAI's
// x-ratelimit-* headers. In memory on one instance; in Redis when REDIS_URL is set, falling back
// to memory (and saying so in the log) while Redis is unreachable.
import { env } from "../env";
import { ApiError } from "../errors";
import { memoryStore } from "./memory";
import { RedisStore } from "./redis";
import { secondsUntilBelow, used, type Check, type Observed } from "./window";
import { log } from "../log";

export type { Check } from "./window";

let redis: RedisStore | null | undefined;
let lastRedisComplaint = 0;

function redisStore(): RedisStore | null {
  if (redis === undefined) {
    const e = env();
    redis = e.REDIS_URL ? new RedisStore(e.REDIS_URL, e.VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS + 60_000) : null;
  }
  return redis;
}

function complain(err: unknown): void {
  const now = Date.now();
  if (now - lastRedisComplaint < 60_000) return;
  lastRedisComplaint = now;
  log.error("Redis unreachable for rate limits; limiting per instance until it is back", {}, err);
}

const hasLimits = (c: Check) => Boolean(c.rpm || c.tpm || c.concurrent);
const LABEL = { key: "this API key", project: "this project" } as const;

/** One request's admissions: the slots it holds and the headers it reports. */
export class RequestLimits {
  readonly headers: Record<string, string> = {};
  private readonly held: { scope: string; check: Check; shared: boolean }[] = [];
  private released = false;

  constructor(private readonly requestId: string) {}

  async admit(kind: keyof typeof LABEL, id: string, check: Check, now = Date.now()): Promise<void> {
    if (!hasLimits(check)) return;
    const scope = `${kind}:${id}`;
    const shared = redisStore();
    let observed: Observed;
    let usedShared = false;
    if (shared) {
      try {
        observed = await shared.admit(scope, check, this.requestId, now);
        usedShared = true;
      } catch (err) {
        complain(err);
        observed = memoryStore.admit(scope, check, now);
      }
    } else observed = memoryStore.admit(scope, check, now);
    this.report(check, observed, now);
    if (observed.denied) throw this.refusal(kind, check, observed, now);
    this.held.push({ scope, check, shared: usedShared });
  }

  /** Frees the in-flight slots and counts the settled tokens; once per request. */
  settle(totalTokens: number, now = Date.now()): void {
    if (this.released) return;
    this.released = true;
    const shared = redisStore();
    for (const h of this.held) {
      if (h.shared && shared) {
        if (h.check.concurrent) shared.release(h.scope, this.requestId).catch(complain);
        if (h.check.tpm && totalTokens > 0) shared.addTokens(h.scope, totalTokens, now).catch(complain);
      } else {
        if (h.check.concurrent) memoryStore.release(h.scope);
        if (h.check.tpm && totalTokens > 0) memoryStore.addTokens(h.scope, totalTokens, now);
      }
    }
  }

  /** The most restrictive scope's numbers win each header. */
  private report(check: Check, o: Observed, now: number): void {
    const set = (what: "requests" | "tokens", limit: number, remaining: number) => {
      const prev = this.headers[`x-ratelimit-remaining-${what}`];
      if (prev !== undefined && Number(prev) <= remaining) return;
      this.headers[`x-ratelimit-limit-${what}`] = String(limit);
      this.headers[`x-ratelimit-remaining-${what}`] = String(Math.max(0, Math.floor(remaining)));
    };
    if (check.tpm) set("tokens", check.tpm, check.tpm - used(o.tokens, now));
    if (check.rpm) set("requests", check.rpm, o.denied ? 0 : check.rpm - used(o.requests, now) - 1);
  }

  private refusal(kind: keyof typeof LABEL, check: Check, o: Observed, now: number): ApiError {
    let retry = 1;
    let what = "";
    if (o.denied === "tpm") {
      retry = secondsUntilBelow(o.tokens, check.tpm!, now);
      what = `${check.tpm} tokens per minute`;
      this.headers["x-ratelimit-reset-tokens"] = `${retry}s`;
    } else if (o.denied === "rpm") {
      retry = secondsUntilBelow(o.requests, check.rpm!, now);
      what = `${check.rpm} requests per minute`;
      this.headers["x-ratelimit-reset-requests"] = `${retry}s`;
    } else {
      what = `${check.concurrent} concurrent requests`;
    }
    return new ApiError("rate_limit_exceeded", `Rate limit reached: ${what} for ${LABEL[kind]}. Retry in ${retry} s.`, {
      headers: { ...this.headers, "retry-after": String(retry) },
    });
  }
}

export function resetRateLimits(): void {
  memoryStore.reset();
}

/** A plain requests-per-minute counter on the same store as the key limits (Redis when configured,
 *  so it holds across instances): the console's sign-in / sign-up throttling uses it. */
export async function admitPerMinute(scope: string, limit: number, now = Date.now()): Promise<{ retryAfter: number } | null> {
  const check: Check = { rpm: limit, tpm: null, concurrent: null };
  const shared = redisStore();
  let observed: Observed;
  if (shared) {
    try {
      observed = await shared.admit(scope, check, "-", now);
    } catch (err) {
      complain(err);
      observed = memoryStore.admit(scope, check, now);
    }
  } else observed = memoryStore.admit(scope, check, now);
  return observed.denied ? { retryAfter: Math.min(65, secondsUntilBelow(observed.requests, limit, now)) } : null;
}
