// Runs a request over its candidates: credentials balanced by weight, retries with backoff and
// jitter on transient failures, then the next model. An attempt "succeeds" once it returns:
// for a stream that is after its first content chunk, so nothing is retried after content.
import type { CatalogModel } from "../../catalog/catalog";
import type { ProviderRuntime } from "../../catalog/providers";
import { env } from "../../env";
import { ApiError } from "../../errors";
import type { AuditDraft } from "../../audit/draft";
import { pickCredential, reportFailure, reportSuccess } from "./credentials";
import type { Candidate } from "./plan";
import { backoffMs, classify } from "./retry";
import { withSpan } from "../../observability/tracing";

export interface Served<T> {
  result: T;
  model: CatalogModel;
  provider: ProviderRuntime;
}

export type Attempt<T> = (model: CatalogModel, provider: ProviderRuntime, abort: AbortController) => Promise<T>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A per-attempt controller: its own timers abort it alone; the request's abort reaches it. */
function childOf(parent: AbortController): AbortController {
  const child = new AbortController();
  if (parent.signal.aborted) child.abort(parent.signal.reason);
  else parent.signal.addEventListener("abort", () => child.abort(parent.signal.reason), { once: true });
  return child;
}

function stopReason(abort: AbortController, fallback: unknown): unknown {
  const r = abort.signal.reason;
  return r instanceof ApiError ? r : fallback;
}

export async function route<T>(ctx: { audit: AuditDraft; abort: AbortController }, candidates: Candidate[], attempt: Attempt<T>): Promise<Served<T>> {
  const e = env();
  let lastError: unknown = new ApiError("upstream_error", "No upstream could serve the request.");
  for (const { model, credentials } of candidates) {
    const failed = new Set<string>();
    const refused = new Set<string>(); // keys the upstream refused: never again in this request
    let retries = 0;
    for (;;) {
      if (ctx.abort.signal.aborted) throw stopReason(ctx.abort, lastError);
      // Prefer a credential not yet tried in this request; reuse one only for a retry.
      const provider = pickCredential(credentials, failed) ?? (retries > 0 ? pickCredential(credentials, refused) : undefined);
      if (!provider) break;
      const before = ctx.audit.attempts.length;
      try {
        const result = await withSpan("vecstruct.upstream", { "vecstruct.provider": model.provider, "vecstruct.model": model.id, "vecstruct.credential": provider.ref }, () =>
          attempt(model, provider, childOf(ctx.abort)),
        );
        reportSuccess(provider.ref);
        return { result, model, provider };
      } catch (err) {
        const record = ctx.audit.attempts.length > before ? ctx.audit.attempts[ctx.audit.attempts.length - 1] : undefined;
        if (record && !record.error_code) record.error_code = err instanceof ApiError ? err.code : "upstream_error";
        if (ctx.abort.signal.aborted) throw stopReason(ctx.abort, err);
        lastError = err;
        const verdict = classify(err);
        if (verdict.action === "stop") throw err;
        if (verdict.action === "fallback") break;
        const retryAfter = err instanceof ApiError ? err.retryAfterMs : null;
        if (verdict.cooldown) reportFailure(provider.ref, verdict.cooldown, e.VECSTRUCT_COOLDOWN_MS, retryAfter);
        failed.add(provider.ref);
        if (verdict.action === "next_credential") {
          refused.add(provider.ref);
          if (failed.size >= credentials.length) break;
          continue;
        }
        if (retries >= e.VECSTRUCT_RETRIES) break;
        const another = credentials.some((c) => !failed.has(c.ref));
        let wait = backoffMs(retries, e.VECSTRUCT_RETRY_BASE_MS, e.VECSTRUCT_RETRY_MAX_MS);
        // The same credential again only after its Retry-After; if that is too long, fall back now.
        if (!another && retryAfter !== null) {
          if (retryAfter > e.VECSTRUCT_RETRY_MAX_MS) break;
          wait = Math.max(wait, retryAfter);
        }
        retries += 1;
        await sleep(wait, ctx.abort.signal);
      }
    }
  }
  throw lastError;
}
