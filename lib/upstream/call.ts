// One upstream attempt over one credential: send, record the attempt on the audit row, turn a non-2xx
// answer into our error (an upstream 429 keeps its Retry-After for routing and for the client).
import type { AuditAttempt, AuditDraft } from "../audit/draft";
import type { CatalogModel } from "../catalog/catalog";
import type { ProviderRuntime } from "../catalog/providers";
import { env } from "../env";
import { ApiError } from "../errors";
import type { UpstreamRequest } from "../providers/types";
import { sendUpstream, upstreamTimeout, withTimeout, type UpstreamResponse } from "./http";
import { parseRetryAfter } from "./routing/retry";

export type MapError = (status: number, body: string) => ApiError;

/** Sends one upstream attempt, recording it on the audit row; a non-2xx answer becomes our error. */
export async function callUpstream(
  ctx: { audit: AuditDraft; abort: AbortController },
  model: CatalogModel,
  request: UpstreamRequest,
  mapError: MapError,
  credential: ProviderRuntime,
): Promise<UpstreamResponse> {
  const e = env();
  const started = performance.now();
  const attempt: AuditAttempt = { provider: model.provider, model: model.id, credential: credential.ref, status: null, error_code: null, latency_ms: 0 };
  ctx.audit.attempts.push(attempt);
  try {
    const res = await sendUpstream(request, ctx.abort, e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS, credential.credentialId === null ? "environment" : "api");
    attempt.status = res.status;
    if (!res.ok) {
      const text = await withTimeout(res.errorText(), e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), ctx.abort).catch(() => "");
      const err = mapError(res.status, text);
      err.upstreamStatus = res.status;
      err.retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
      throw err;
    }
    // A proxy's error page or a captive portal answers 200 too; some local servers label SSE
    // text/plain, so only markup is refused outright (anything else must still parse).
    const type = res.headers.get("content-type") ?? "";
    if (/html|xml/i.test(type)) {
      res.discard();
      throw new ApiError("upstream_error", `The upstream answered with content-type '${type.split(";")[0] || "none"}' instead of JSON or an event stream.`);
    }
    return res;
  } catch (err) {
    attempt.error_code = err instanceof ApiError ? err.code : "upstream_error";
    throw err;
  } finally {
    attempt.latency_ms = Math.round(performance.now() - started);
  }
}

/** Reads a JSON answer under the idle timeout. */
export function readUpstreamJson(res: UpstreamResponse, abort: AbortController): Promise<unknown> {
  return withTimeout(res.json(), env().VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), abort).catch((err) => {
    throw err instanceof ApiError ? err : new ApiError("upstream_error", "The upstream answered with invalid JSON.");
  });
}

/** The request's total timeout: aborts whatever is in flight with a 504 / in-stream timeout. */
export function totalDeadline(abort: AbortController, ms: number): { clear(): void } {
  const timer = setTimeout(() => abort.abort(upstreamTimeout("total")), ms);
  timer.unref();
  return { clear: () => clearTimeout(timer) };
}

/**
 * An upstream rate limit that outlived the retries reaches the client as our 429 (DESIGN §1):
 * it says when to come back, from the upstream's Retry-After, else after the credential cooldown.
 */
export function upstreamRateLimitHeaders(err: unknown): void {
  if (!(err instanceof ApiError) || err.code !== "rate_limit_exceeded" || err.upstreamStatus === null) return;
  if (err.headers["retry-after"]) return;
  const secs = Math.max(1, Math.ceil((err.retryAfterMs ?? env().VECSTRUCT_COOLDOWN_MS) / 1000));
  err.headers["retry-after"] = String(secs);
  err.headers["x-ratelimit-reset-requests"] = `${secs}s`;
}
