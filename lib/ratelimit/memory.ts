// The single-instance store: plain maps, no I/O.
import { decide, MINUTE, type Check, type Counts, type Observed } from "./window";

interface Bucket extends Counts {
  minute: number;
}

const requests = new Map<string, Bucket>();
const tokens = new Map<string, Bucket>();
const inFlight = new Map<string, number>();

function roll(map: Map<string, Bucket>, scope: string, now: number): Bucket {
  const minute = Math.floor(now / MINUTE);
  let b = map.get(scope);
  if (!b) {
    b = { minute, cur: 0, prev: 0 };
    if (map.size > 100_000) map.clear();
    map.set(scope, b);
  } else if (b.minute !== minute) {
    b.prev = b.minute === minute - 1 ? b.cur : 0;
    b.cur = 0;
    b.minute = minute;
  }
  return b;
}

export const memoryStore = {
  admit(scope: string, check: Check, now: number): Observed {
    const r = roll(requests, scope, now);
    const t = roll(tokens, scope, now);
    const n = inFlight.get(scope) ?? 0;
    const denied = decide(check, r, t, n, now);
    const observed = { requests: { cur: r.cur, prev: r.prev }, tokens: { cur: t.cur, prev: t.prev }, inFlight: n, denied };
    if (!denied) {
      r.cur += 1;
      if (check.concurrent) inFlight.set(scope, n + 1);
    }
    return observed;
  },
  release(scope: string): void {
    const n = inFlight.get(scope) ?? 0;
    if (n <= 1) inFlight.delete(scope);
    else inFlight.set(scope, n - 1);
  },
  addTokens(scope: string, n: number, now: number): void {
    roll(tokens, scope, now).cur += n;
  },
  reset(): void {
    requests.clear();
    tokens.clear();
    inFlight.clear();
  },
};
