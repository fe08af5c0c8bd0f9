// The part every /v1 endpoint shares: authenticate, open the audit row, read the body, and resolve
// the model and its provider for the key — with the documented error for each way it can fail.
import { findModel, getCatalog, providersFor, type CatalogModel } from "../catalog/catalog";
import type { ProviderRuntime } from "../catalog/providers";
import type { ModelKind } from "../catalog/seed";
import { env } from "../env";
import { ApiError, errorResponse } from "../errors";
import { AuditDraft } from "./audit-draft";
import { authenticateApiKey, type KeyContext } from "./auth";
import { readJsonBodyCapped } from "./body";
import { admitRequest, countTokensUsed } from "./ratelimit";
import type { UpstreamRequest } from "../providers/types";
import { sendUpstream, upstreamTimeout, withTimeout } from "./upstream";

export interface GatewayContext {
  key: KeyContext;
  audit: AuditDraft;
  raw: Record<string, unknown>;
  abort: AbortController;
  warnings: string[];
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
      key = await authenticateApiKey(req.headers);
    } catch (err) {
      return errorResponse(err);
    }
    const audit = new AuditDraft(key, endpoint);
    const warnings: string[] = [];
    let limits: Record<string, string> = {};
    const abort = new AbortController();
    req.signal?.addEventListener("abort", () => abort.abort(), { once: true });
    audit.onCommit = (usage) => countTokensUsed(key, usage);
    try {
      limits = admitRequest(key).headers;
      const raw = (await readJsonBodyCapped(req, env().VECSTRUCT_MAX_BODY_BYTES)) as Record<string, unknown>;
      if (typeof raw.model === "string") audit.model = raw.model;
      const res = await handle({ key, audit, raw, abort, warnings });
      for (const [k, v] of Object.entries(limits)) res.headers.set(k, v);
      return res;
    } catch (err) {
      abort.abort();
      audit.failure(err);
      return errorResponse(err, { ...limits, ...auditHeaders(audit, warnings) });
    }
  };
}

const WHAT: Record<ModelKind, string> = { chat: "chat completions", embedding: "embeddings", rerank: "reranking" };

export async function resolveTarget(key: KeyContext, modelId: string, kind: ModelKind): Promise<{ model: CatalogModel; provider: ProviderRuntime }> {
  const catalog = await getCatalog();
  const model = findModel(catalog, key.orgId, modelId);
  if (!model) throw new ApiError("model_not_found", `The model '${modelId}' does not exist or is not available.`, { param: "model" });
  if (model.kind !== kind) throw new ApiError("invalid_value", `'${modelId}' is a ${model.kind} model; it cannot serve ${WHAT[kind]}.`, { param: "model" });
  if (key.models && !key.models.includes(model.id)) {
    throw new ApiError("model_not_allowed", `This API key is not allowed to use '${model.id}'.`, { param: "model" });
  }
  const provider = providersFor(catalog, key.orgId, model.provider)[0];
  if (!provider) throw new ApiError("model_not_found", `The model '${modelId}' has no configured provider.`, { param: "model" });
  return { model, provider };
}

/** Sends one upstream attempt, recording it on the audit row; a non-2xx answer becomes our error. */
export async function callUpstream(
  ctx: Pick<GatewayContext, "audit" | "abort">,
  model: CatalogModel,
  request: UpstreamRequest,
  mapError: (status: number, body: string) => ApiError,
): Promise<Response> {
  const e = env();
  const started = performance.now();
  const attempt = { provider: model.provider, model: model.id, status: null as number | null, error_code: null as string | null, latency_ms: 0 };
  ctx.audit.attempts.push(attempt);
  try {
    const res = await sendUpstream(request, ctx.abort, e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS);
    attempt.status = res.status;
    if (!res.ok) {
      const text = await withTimeout(res.text(), e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), ctx.abort).catch(() => "");
      throw mapError(res.status, text);
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
export function readUpstreamJson(res: Response, abort: AbortController): Promise<unknown> {
  return withTimeout(res.json(), env().VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), abort).catch((err) => {
    throw err instanceof ApiError ? err : new ApiError("upstream_error", "The upstream answered with invalid JSON.");
  });
}
