// What a failed attempt means for the next one: retry the same model, move to the next
// credential or model, or stop and answer the client.
import { ApiError } from "../../errors";

export type Verdict =
  | { action: "retry"; cooldown: "rate_limited" | "server" | null } // transient: retry, then fall back
  | { action: "next_credential"; cooldown: "auth" } // our key was refused: never retry it
  | { action: "fallback" } // this model cannot serve the request: try the next model
  | { action: "stop" }; // the client's or our own fault: no attempt elsewhere would differ

export function classify(err: unknown): Verdict {
  if (!(err instanceof ApiError)) return { action: "stop" };
  const status = err.upstreamStatus;
  switch (err.code) {
    case "rate_limit_exceeded":
      return status === null ? { action: "stop" } : { action: "retry", cooldown: "rate_limited" };
    case "upstream_timeout":
      return { action: "retry", cooldown: "server" };
    case "upstream_error":
      // A 404 means the model is not served there; retrying the same place will not help.
      return status === 404 ? { action: "fallback" } : { action: "retry", cooldown: "server" };
    case "upstream_auth_error":
      return { action: "next_credential", cooldown: "auth" };
    case "invalid_value":
    case "unsupported_parameter":
      // An upstream 400 (or an adapter refusing a parameter) may be fine on another model.
      return { action: "fallback" };
    default:
      return { action: "stop" };
  }
}

/** Exponential backoff with full jitter (AWS's recommendation): uniform in [0, min(max, base·2^n)]. */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** Retry-After in seconds or as an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
