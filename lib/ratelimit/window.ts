// Sliding-minute arithmetic shared by the in-memory and Redis stores. A minute is estimated from
// the current and previous minute buckets (the usual two-bucket estimate): O(1) per request.
export const MINUTE = 60_000;

export interface Counts {
  cur: number;
  prev: number;
}

export interface Check {
  rpm: number | null;
  tpm: number | null;
  concurrent: number | null;
}

export type Denied = "rpm" | "tpm" | "concurrent" | null;

export interface Observed {
  requests: Counts;
  tokens: Counts;
  inFlight: number;
  denied: Denied;
}

export const elapsedFraction = (now: number) => (now % MINUTE) / MINUTE;

/** Estimated use over the last 60 s. */
export function used(c: Counts, now: number): number {
  return c.cur + c.prev * (1 - elapsedFraction(now));
}

/** The order both stores decide in: tokens, then requests, then concurrency. */
export function decide(check: Check, requests: Counts, tokens: Counts, inFlight: number, now: number): Denied {
  if (check.tpm && used(tokens, now) >= check.tpm) return "tpm";
  if (check.rpm && used(requests, now) + 1 > check.rpm) return "rpm";
  if (check.concurrent && inFlight >= check.concurrent) return "concurrent";
  return null;
}

/** Seconds until the window's estimate drops below the limit. */
export function secondsUntilBelow(c: Counts, limit: number, now: number): number {
  const elapsed = elapsedFraction(now);
  if (c.cur >= limit) return Math.ceil((MINUTE - (now % MINUTE)) / 1000) + 1;
  const needed = c.prev > 0 ? (c.cur + c.prev - limit + 1) / c.prev : 0;
  return Math.max(1, Math.ceil((Math.max(needed, elapsed) - elapsed) * 60));
}
