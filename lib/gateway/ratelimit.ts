// Per-key requests-per-minute and tokens-per-minute limits, in memory (one instance). A sliding
// minute is approximated from the current and previous minute buckets (the usual two-bucket
// estimate), which is O(1) per request. Tokens are counted when a request settles.
import { ApiError } from "../errors";
import type { KeyContext } from "./auth";

interface Window {
  minute: number;
  current: number;
  previous: number;
}

const MINUTE = 60_000;
const requests = new Map<string, Window>();
const tokens = new Map<string, Window>();

function roll(map: Map<string, Window>, id: string, now: number): Window {
  const minute = Math.floor(now / MINUTE);
  let w = map.get(id);
  if (!w) {
    w = { minute, current: 0, previous: 0 };
    if (map.size > 100_000) map.clear();
    map.set(id, w);
  } else if (w.minute !== minute) {
    w.previous = w.minute === minute - 1 ? w.current : 0;
    w.current = 0;
    w.minute = minute;
  }
  return w;
}

/** Estimated use over the last 60 s. */
function used(w: Window, now: number): number {
  const elapsed = (now % MINUTE) / MINUTE;
  return w.current + w.previous * (1 - elapsed);
}

function secondsUntilBelow(w: Window, limit: number, now: number): number {
  // The previous minute's share decays linearly; after this minute everything is current → previous.
  const elapsed = (now % MINUTE) / MINUTE;
  if (w.current >= limit) return Math.ceil((MINUTE - (now % MINUTE)) / 1000) + 1;
  const needed = w.previous > 0 ? (w.current + w.previous - limit + 1) / w.previous : 0;
  return Math.max(1, Math.ceil((Math.max(needed, elapsed) - elapsed) * 60));
}

export interface LimitState {
  headers: Record<string, string>;
}

/** Admits one request or throws 429 with Retry-After and x-ratelimit-* headers (OpenAI's names). */
export function admitRequest(key: KeyContext, now = Date.now()): LimitState {
  const headers: Record<string, string> = {};
  if (key.tpmLimit) {
    const w = roll(tokens, key.id, now);
    const u = used(w, now);
    headers["x-ratelimit-limit-tokens"] = String(key.tpmLimit);
    headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, Math.floor(key.tpmLimit - u)));
    if (u >= key.tpmLimit) {
      const retry = secondsUntilBelow(w, key.tpmLimit, now);
      throw new ApiError("rate_limit_exceeded", `Rate limit reached: ${key.tpmLimit} tokens per minute for this API key. Retry in ${retry} s.`, {
        headers: { ...headers, "retry-after": String(retry), "x-ratelimit-reset-tokens": `${retry}s` },
      });
    }
  }
  if (key.rpmLimit) {
    const w = roll(requests, key.id, now);
    const u = used(w, now);
    headers["x-ratelimit-limit-requests"] = String(key.rpmLimit);
    if (u + 1 > key.rpmLimit) {
      const retry = secondsUntilBelow(w, key.rpmLimit, now);
      throw new ApiError("rate_limit_exceeded", `Rate limit reached: ${key.rpmLimit} requests per minute for this API key. Retry in ${retry} s.`, {
        headers: { ...headers, "x-ratelimit-remaining-requests": "0", "retry-after": String(retry), "x-ratelimit-reset-requests": `${retry}s` },
      });
    }
    w.current += 1;
    headers["x-ratelimit-remaining-requests"] = String(Math.max(0, Math.floor(key.rpmLimit - u - 1)));
  }
  return { headers };
}

/** Counts a settled request's tokens against the key's tokens-per-minute window. */
export function countTokensUsed(key: KeyContext, total: number, now = Date.now()): void {
  if (!key.tpmLimit || total <= 0) return;
  roll(tokens, key.id, now).current += total;
}
