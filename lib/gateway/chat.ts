// POST /v1/chat/completions: authenticate → validate → resolve project and model → adapter →
// upstream → stream or JSON back; the audit row is committed off the hot path whatever happens.
import { parseWith } from "../api/validation";
import { findModel, getCatalog, providersFor } from "../catalog/catalog";
import { microsToUnits } from "../billing/cost";
import { reserve } from "../billing/reserve";
import { randomBase62 } from "../crypto";
import { env } from "../env";
import { ApiError, errorResponse } from "../errors";
import { chatAdapterFor } from "../providers/registry";
import type { ChatCompletion, ResponseContext, Usage } from "../providers/types";
import { sseParser } from "../providers/sse";
import { AuditDraft } from "./audit-draft";
import { chargeMicros, estimateUsage, reservationMicros } from "./billing";
import { authenticateApiKey, type KeyContext } from "./auth";
import { readJsonBodyCapped } from "./body";
import { resolveProject } from "./projects";
import { chatRequestSchema, type ChatRequest } from "./schema";
import { startStream } from "./stream-out";
import { sendUpstream, withTimeout, upstreamTimeout } from "./upstream";

const ENDPOINT = "/v1/chat/completions";

function extensionPayload(audit: AuditDraft, warnings: string[]) {
  return {
    audit_id: audit.id,
    rag_sources: [],
    memory_used: false,
    credits_consumed: microsToUnits(audit.creditsMicros),
    balance_consumed_usd: microsToUnits(audit.costMicros),
    warnings,
  };
}

function responseHeaders(audit: AuditDraft, warnings: string[]): Record<string, string> {
  const h: Record<string, string> = { "x-vecstruct-audit-id": audit.id };
  if (warnings.length > 0) h["x-vecstruct-warnings"] = encodeURIComponent(warnings.join("; ")).slice(0, 4000);
  return h;
}

export async function handleChatCompletions(req: Request): Promise<Response> {
  let key: KeyContext;
  try {
    key = await authenticateApiKey(req.headers);
  } catch (err) {
    return errorResponse(err); // unauthenticated: not audited (DESIGN.md §2)
  }
  const audit = new AuditDraft(key, ENDPOINT);
  const warnings: string[] = [];
  const abort = new AbortController();
  req.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  try {
    const e = env();
    const raw = (await readJsonBodyCapped(req, e.VECSTRUCT_MAX_BODY_BYTES)) as Record<string, unknown>;
    if (typeof raw.model === "string") audit.model = raw.model;
    audit.stream = raw.stream === true;
    audit.setRequest(raw);
    const body = parseWith(chatRequestSchema, raw);
    const { vecstruct, ...request } = body;
    audit.metadata = vecstruct?.metadata ?? null;
    const project = await resolveProject(key, vecstruct?.project_id);
    audit.projectId = project.id;
    if (project.keepMetadataOnly) audit.keepMetadataOnly();

    const catalog = await getCatalog();
    const model = findModel(catalog, key.orgId, body.model);
    if (!model) throw new ApiError("model_not_found", `The model '${body.model}' does not exist or is not available.`, { param: "model" });
    if (model.kind !== "chat") throw new ApiError("invalid_value", `'${body.model}' is a ${model.kind} model, not a chat model.`, { param: "model" });
    if (key.models && !key.models.includes(model.id)) {
      throw new ApiError("model_not_allowed", `This API key is not allowed to use '${model.id}'.`, { param: "model" });
    }
    const provider = providersFor(catalog, key.orgId, model.provider)[0];
    const adapter = provider ? chatAdapterFor(provider.protocol) : null;
    if (!provider || !adapter) throw new ApiError("invalid_value", `'${model.id}' cannot serve chat completions.`, { param: "model" });
    audit.provider = model.provider;

    // Worst case held before anything is sent upstream; a 402 here costs nothing.
    audit.reservation = await reserve(key, reservationMicros(request, model), 0n);
    const reserved = audit.reservation.usd;
    const settle = (usage: Usage | null, generated: string) => {
      if (!usage) {
        usage = estimateUsage(request, generated);
        audit.usageEstimated = true;
      }
      audit.usage = usage;
      audit.costMicros = chargeMicros(model, usage, reserved);
    };

    const stream = body.stream === true;
    const ctx: ResponseContext = { id: `chatcmpl-${randomBase62(29)}`, created: Math.floor(Date.now() / 1000), model: body.model };
    const upstream = adapter.buildRequest(request as ChatRequest, { baseUrl: provider.baseUrl, apiKey: provider.apiKey, upstreamModel: model.upstreamModel }, { stream });
    warnings.push(...upstream.warnings);
    const attemptStart = performance.now();
    const attempt = { provider: model.provider, model: model.id, status: null as number | null, error_code: null as string | null, latency_ms: 0 };
    audit.attempts.push(attempt);

    let res: Response;
    try {
      res = await sendUpstream(upstream, abort, e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS);
    } catch (err) {
      attempt.error_code = err instanceof ApiError ? err.code : "upstream_error";
      throw err;
    } finally {
      attempt.latency_ms = Math.round(performance.now() - attemptStart);
    }
    attempt.status = res.status;
    if (!res.ok) {
      const text = await withTimeout(res.text(), e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), abort).catch(() => "");
      const mapped = adapter.mapError(res.status, text);
      attempt.error_code = mapped.code;
      throw mapped;
    }

    const headers = responseHeaders(audit, warnings);
    if (stream) {
      if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
      const chunks = res.body.pipeThrough(sseParser()).pipeThrough(adapter.streamTransformer(ctx));
      const body = await startStream(chunks, {
        includeUsage: request.stream_options?.include_usage === true,
        idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
        firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
        abort,
        onChunk: (chunk) => {
          audit.markFirstToken();
          for (const choice of chunk.choices) if (choice.index === 0 && typeof choice.delta.content === "string") audit.appendText(choice.delta.content);
        },
        onUsage: (usage) => {
          audit.usage = usage;
        },
        onEnd: (error) => {
          // Billed for what was generated: the upstream's usage, else the tokenizer's count.
          settle(audit.usage, audit.responseText);
          if (error) audit.failure(error, 200);
          else audit.success();
          return vecstruct ? extensionPayload(audit, warnings) : null;
        },
      });
      return new Response(body, {
        status: 200,
        headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" },
      });
    }

    const json = await withTimeout(res.json(), e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS, () => upstreamTimeout("idle"), abort).catch((err) => {
      throw err instanceof ApiError ? err : new ApiError("upstream_error", "The upstream answered with invalid JSON.");
    });
    const completion: ChatCompletion = adapter.parseResponse(json, ctx);
    audit.markFirstToken();
    audit.appendText(completion.choices[0]?.message.content ?? "");
    settle(completion.usage ?? null, completion.choices.map((c) => c.message.content ?? "").join(""));
    audit.success();
    return Response.json({ ...completion, vecstruct: extensionPayload(audit, warnings) }, { headers });
  } catch (err) {
    abort.abort();
    audit.failure(err);
    return errorResponse(err, responseHeaders(audit, warnings));
  }
}
