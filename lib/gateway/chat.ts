// POST /v1/chat/completions: validate → project → model → reserve → adapter → upstream → stream or
// JSON back; the audit row (with the request's settlement) is committed off the hot path.
import { parseWith } from "../api/validation";
import { microsToUnits } from "../billing/cost";
import { reserve } from "../billing/reserve";
import { randomBase62 } from "../crypto";
import { env } from "../env";
import { ApiError } from "../errors";
import { chatAdapterFor } from "../providers/registry";
import { sseParser } from "../providers/sse";
import type { ResponseContext, Usage } from "../providers/types";
import type { AuditDraft } from "./audit-draft";
import { chargeMicros, estimateUsage, GeneratedTokens, generatedText, reservationMicros } from "./billing";
import { applyMemory, learnAfterReply, memoryUserId } from "./memory";
import { applyRag, type RagSource } from "./rag";
import { toMicros } from "../tenancy/organizations";
import { resolveProject } from "./projects";
import { chatRequestSchema } from "./schema";
import { startStream } from "./stream-out";
import { auditHeaders, callUpstream, gatewayHandler, readUpstreamJson, totalDeadline } from "./target";
import { planRoute } from "./routing/plan";
import { route } from "./routing/run";
import { checkSizeLimits } from "./size-limits";
import type { CatalogModel } from "../catalog/catalog";
import { withSpan } from "../observability/tracing";

function extensionPayload(audit: AuditDraft, warnings: string[], ragSources: RagSource[]) {
  return {
    audit_id: audit.id,
    rag_sources: ragSources,
    memory_used: audit.memoryIds.length > 0,
    credits_consumed: microsToUnits(audit.creditsMicros),
    balance_consumed_usd: microsToUnits(audit.costMicros),
    warnings,
  };
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" };

export const handleChatCompletions = gatewayHandler("/v1/chat/completions", async ({ key, audit, raw, abort, warnings, project: projectLimits }) => {
  const e = env();
  audit.stream = raw.stream === true;
  audit.setRequest(raw);
  const body = parseWith(chatRequestSchema, raw);
  checkSizeLimits(body.messages);
  const { vecstruct, models: _fallbacks, provider: _prefs, ...clientRequest } = body;
  audit.metadata = vecstruct?.metadata ?? null;
  const project = await resolveProject(key, vecstruct?.project_id);
  audit.projectId = project.id;
  if (project.keepMetadataOnly) audit.keepMetadataOnly();
  await projectLimits(project);

  const candidates = await planRoute(key, body.model, "chat", { models: body.models, provider: body.provider }, project.routing);
  audit.provider = candidates[0]!.model.provider;
  audit.catalogModel = candidates[0]!.model.id;

  let request = clientRequest;
  let ragSources: RagSource[] = [];
  let credits = 0n;
  const memoryUser = vecstruct?.use_memory ? memoryUserId(vecstruct) : null;
  if (vecstruct?.rag) {
    const rag = await withSpan("vecstruct.rag", { "vecstruct.project_id": project.id }, () => applyRag(request, vecstruct, project, { warnings, auditId: audit.id }));
    request = rag.request;
    ragSources = rag.sources;
    credits += toMicros(e.VECSTRUCT_CREDITS_RAG);
    audit.ragSources = rag.chunks.map((c) => ({ document_id: c.document_id, chunk_id: c.chunk_id, title: c.title, similarity: c.similarity }));
    audit.injected = rag.injected ? [rag.injected] : [];
  }
  if (memoryUser) {
    // A lookup costs its credits whether or not anything is found (DESIGN.md §2).
    credits += toMicros(e.VECSTRUCT_CREDITS_MEMORY);
    const mem = await withSpan("vecstruct.memory", { "vecstruct.project_id": project.id }, () => applyMemory(request, project.id, memoryUser));
    request = mem.request;
    audit.memoryIds = mem.memories.map((m) => m.id);
    if (mem.injected) audit.injected = [...(audit.injected ?? []), mem.injected];
  }
  const learn = () => {
    if (!memoryUser) return;
    const model = project.memoryModel ?? e.VECSTRUCT_MEMORY_MODEL ?? null;
    learnAfterReply({ orgId: key.orgId, projectId: project.id, userId: memoryUser, auditId: audit.id, messages: clientRequest.messages, model, reply: audit.responseText });
  };

  // Worst case over every candidate, held before anything is sent upstream; a 402 here costs nothing.
  // With the output cap each candidate's adapter really sends (DESIGN.md §3b).
  const worst = candidates.reduce((max, c) => {
    const m = reservationMicros(request, c.model, c.credentials.map((p) => p.protocol));
    return m > max ? m : max;
  }, 0n);
  audit.reservation = await reserve(key, worst, credits);
  audit.creditsMicros = credits;
  const reserved = audit.reservation.usd;
  // Billed for what was generated, at the serving model's prices: the upstream's usage, else the
  // tokenizer's count of everything generated (every choice, reasoning, tool-call arguments).
  const settle = (model: CatalogModel, usage: Usage | null, generated: string[] | number) => {
    if (!usage) {
      usage = estimateUsage(request, generated);
      audit.usageEstimated = true;
    }
    audit.usage = usage;
    audit.costMicros = chargeMicros(model, usage, reserved);
  };

  const stream = body.stream === true;
  const created = Math.floor(Date.now() / 1000);
  const id = `chatcmpl-${randomBase62(29)}`;
  const deadline = totalDeadline(abort, e.VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS);

  const served = await route({ audit, abort }, candidates, async (model, provider, attemptAbort) => {
    const adapter = chatAdapterFor(provider.protocol);
    if (!adapter) throw new ApiError("invalid_value", `'${model.id}' cannot serve chat completions.`, { param: "model" });
    // The response names the model that served, as OpenRouter does: the requested one unless a fallback answered.
    const ctx: ResponseContext = { id, created, model: model.id };
    const upstream = adapter.buildRequest(request, { baseUrl: provider.baseUrl, apiKey: provider.apiKey, upstreamModel: model.upstreamModel }, { stream });
    const res = await callUpstream({ audit, abort: attemptAbort }, model, upstream, adapter.mapError, provider);
    if (!stream) {
      const completion = adapter.parseResponse(await readUpstreamJson(res, attemptAbort), ctx);
      return { warnings: upstream.warnings, completion, sse: null };
    }
    if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
    const chunks = res.body.pipeThrough(sseParser()).pipeThrough(adapter.streamTransformer(ctx));
    const generated = new GeneratedTokens();
    const sse = await startStream(chunks, {
      includeUsage: request.stream_options?.include_usage === true,
      idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
      firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
      abort: attemptAbort,
      onChunk: (chunk) => {
        audit.markFirstToken();
        for (const choice of chunk.choices) {
          if (choice.index === 0 && typeof choice.delta.content === "string") audit.appendText(choice.delta.content);
          generated.addDelta(choice.index, choice.delta);
        }
      },
      onUsage: (usage) => {
        audit.usage = usage;
      },
      onEnd: (error) => {
        deadline.clear();
        settle(model, audit.usage, audit.usage ? 0 : generated.total());
        if (error) audit.failure(error, 200);
        else {
          audit.success();
          learn();
        }
        return vecstruct ? extensionPayload(audit, warnings, ragSources) : null;
      },
    });
    return { warnings: upstream.warnings, completion: null, sse };
  }).catch((err: unknown) => {
    deadline.clear();
    throw err;
  });

  audit.resolveModel(served.model.id);
  audit.provider = served.model.provider;
  warnings.push(...served.result.warnings);
  const headers = auditHeaders(audit, warnings);
  if (served.result.sse) return new Response(served.result.sse, { status: 200, headers: { ...headers, ...SSE_HEADERS } });

  deadline.clear();
  const completion = served.result.completion!;
  audit.markFirstToken();
  audit.appendText(completion.choices[0]?.message.content ?? "");
  settle(served.model, completion.usage ?? null, completion.usage ? 0 : completion.choices.map((c) => generatedText(c.message)));
  audit.success();
  learn();
  return Response.json({ ...completion, vecstruct: extensionPayload(audit, warnings, ragSources) }, { headers });
});
