// Which credential of a provider serves the next attempt: weighted random among the healthy ones.
// A credential that fails (429, 5xx, connection, refused key) cools down for a while and is only
// used again when every credential of its provider is cooling. State is per instance on purpose:
// it reacts to what this instance sees, and costs no round trip.
import type { ProviderRuntime } from "../../catalog/providers";
import { processState } from "../../process-state";

interface Health {
  until: number;
  failures: number;
}

// Per process (lib/process-state.ts): the console's /api/providers reads what every upstream call
// recorded, /v1 handlers and background work (ingestion, learning, run from the instrumentation
// hook's bundle) alike.
const health = processState("gateway.credentialHealth", () => new Map<string, Health>());

export function coolingUntil(ref: string, now = Date.now()): number {
  const h = health.get(ref);
  return h && h.until > now ? h.until : 0;
}

/**
 * Records a failed attempt. Rate limits and refused keys cool down at once (for Retry-After when
 * the upstream gave one); other failures after two in a row, so one blip does not shift traffic.
 */
export function reportFailure(ref: string, kind: "rate_limited" | "auth" | "server", cooldownMs: number, retryAfterMs: number | null, now = Date.now()): void {
  const h = health.get(ref) ?? { until: 0, failures: 0 };
  h.failures += 1;
  if (kind !== "server" || h.failures >= 2) {
    const ms = kind === "rate_limited" && retryAfterMs ? Math.min(retryAfterMs, cooldownMs * 4) : cooldownMs;
    h.until = Math.max(h.until, now + ms);
  }
  if (health.size > 10_000) health.clear();
  health.set(ref, h);
}

export function reportSuccess(ref: string): void {
  if (health.has(ref)) health.delete(ref);
}

/** Weighted pick among usable credentials, skipping `exclude` (already failed in this request). */
export function pickCredential(candidates: ProviderRuntime[], exclude: ReadonlySet<string>, now = Date.now(), random = Math.random): ProviderRuntime | undefined {
  const open = candidates.filter((c) => !exclude.has(c.ref) && c.weight > 0);
  if (open.length === 0) return undefined;
  const healthy = open.filter((c) => coolingUntil(c.ref, now) === 0);
  if (healthy.length === 0) {
    // Everything is cooling: the one that recovers first is the best bet.
    return open.reduce((a, b) => (coolingUntil(a.ref, now) <= coolingUntil(b.ref, now) ? a : b));
  }
  const total = healthy.reduce((s, c) => s + c.weight, 0);
  let r = random() * total;
  for (const c of healthy) {
    r -= c.weight;
    if (r < 0) return c;
  }
  return healthy[healthy.length - 1];
}

export function resetCredentialHealth(): void {
  health.clear();
}
