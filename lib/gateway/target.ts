// The part every /v1 endpoint shares: authenticate, open the audit row, read the body, and resolve
// the model and its provider for the key — with the documented error for each way it can fail.
import type { CatalogModel } from "../catalog/catalog";
import type { ProviderRuntime } from "../catalog/providers";
import type { ModelKind } from "../catalog/seed";
import { env } from "../env";
import { ApiError, errorResponse } from "../errors";
import { AuditDraft, type AuditAttempt } from "./audit-draft";
import { authenticateApiKey, type KeyContext } from "./auth";
import { readJsonBodyCapped } from "./body";
import { keepsMetadataOnly, type ProjectContext } from "./projects";
import { RequestLimits } from "./ratelimit";
import { authenticateSession, wantsSessionAuth } from "./session-auth";
import type { UpstreamRequest } from "../providers/types";
import { sendUpstream, upstreamTimeout, withTimeout, type UpstreamResponse } from "./upstream";
import { planRoute, type Candidate } from "./routing/plan";
import { route } from "./routing/run";
import { parseRetryAfter } from "./routing/retry";
import { withSpan } from "../observability/tracing";

export interface GatewayContext {
  key: KeyContext;
  audit: AuditDraft;
  raw: Record<string, unknown>;
  abort: AbortController;
  warnings: string[];
  /** Admits the request under the project's limits (once the body named the project). */
  project: (project: ProjectContext) => Promise<void>;
}

export function auditHeaders(audit: AuditDraft, warnings: string[]): Record<string, string> {
  const h: Record<string, string> = { "x-vecstruct-audit-id": audit.id };
  if (warnings.length > 0) h["x-vecstruct-warnings"] = encodeURIComponent(warnings.join("; ")).slice(0, 4000);
  return h;
}

/** Wraps a /v1 handler: unauthenticated requests are not audited; every other outcome is, once. */
export function gatewayHandler(endpoint: string, handle: (ctx: GatewayContext) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    let key: KeyContext;
    try {
      // The console session path is taken only when no key was sent at all.
      key = wantsSessionAuth(req.headers) ? await authenticateSession(req) : await authenticateApiKey(req.headers);
    } catch (err) {
      return errorResponse(err);
    }
    const audit = new AuditDraft(key, endpoint);
    const warnings: string[] = [];
    const limits = new RequestLimits(audit.id);
    const abort = new AbortController();
    req.signal?.addEventListener("abort", () => abort.abort(), { once: true });
    // The audit commit is the one place every outcome passes: slots are freed and tokens counted there.
    audit.onCommit = (tokens) => limits.settle(tokens);
    const project = (p: ProjectContext) => limits.admit("project", p.id, p.limits);
    try {
      await limits.admit("key", key.id, { rpm: key.rpmLimit, tpm: key.tpmLimit, concurrent: key.maxConcurrent });
      const raw = (await readJsonBodyCapped(req, env().VECSTRUCT_MAX_BODY_BYTES)) as Record<string, unknown>;
      if (typeof raw.model === "string") audit.model = raw.model;
      if (await keepsMetadataOnly(key, raw)) audit.keepMetadataOnly();
      const res = await withSpan("vecstruct.request", { "vecstruct.endpoint": endpoint, "vecstruct.audit_id": audit.id }, async (span) => {
        const r = await handle({ key, audit, raw, abort, warnings, project });
        span?.setAttributes({ "vecstruct.model": audit.model ?? "", "http.response.status_code": r.status });
        return r;
      });
      for (const [k, v] of Object.entries(limits.headers)) res.headers.set(k, v);
      return res;
    } catch (err) {
      abort.abort();
      audit.failure(err);
      return errorResponse(err, { ...limits.headers, ...auditHeaders(audit, warnings) }, { audit_id: audit.id });
    }
  };
}

/** The request's total timeout: aborts whatever is in flight with a 504 / in-stream timeout. */
export function totalDeadline(abort: AbortController, ms: number): { clear(): void } {
  const timer = setTimeout(() => abort.abort(upstreamTimeout("total")), ms);
  timer.unref();
  return { clear: () => clearTimeout(timer) };
}

/** One model, no fallbacks (embeddings, rerank, internal calls): its catalog entry and credentials. */
export async function singleModel(key: KeyContext, modelId: string, kind: ModelKind): Promise<Candidate> {
  const [only] = await planRoute(key, modelId, kind, {});
  return only!;
}

/** A JSON request over the model's credentials, with the same retries as chat; resolves to the answer. */
export async function routeJson(
  ctx: Pick<GatewayContext, "audit" | "abort">,
  candidate: Candidate,
  build: (provider: ProviderRuntime) => UpstreamRequest,
  mapError: (status: number, body: string) => ApiError,
): Promise<unknown> {
  const served = await route(ctx, [candidate], async (model, provider, abort) => {
    const res = await callUpstream({ audit: ctx.audit, abort }, model, build(provider), mapError, provider);
    return readUpstreamJson(res, abort);
  });
  return served.result;
}

/** Sends one upstream attempt, recording it on the audit row; a non-2xx answer becomes our error. */
export async function callUpstream(
  ctx: Pick<GatewayContext, "audit" | "abort">,
  model: CatalogModel,
  request: UpstreamRequest,
  mapError: (status: number, body: string) => ApiError,
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
