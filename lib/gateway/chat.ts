// POST /v1/chat/completions: the pipeline hands over a parsed, admitted request; here RAG → memory →
// invoke() (reserve → route → adapter → upstream → price → settle) → stream or JSON back.
import { estimateUsage, GeneratedTokens, reservationMicros } from "../billing/chat";
import type { AuditDraft } from "../audit/draft";
import { randomBase62 } from "../crypto";
import { env } from "../env";
import { ApiError } from "../errors";
import { microsToUnits } from "../money";
import { chatAdapterFor } from "../providers/registry";
import { sseParser } from "../providers/sse";
import type { ResponseContext, Usage } from "../providers/types";
import { callUpstream, totalDeadline } from "../upstream/call";
import { invoke, type Priced } from "../upstream/invoke";
import { chatJsonAttempt, priceChat } from "../upstream/json";
import { planRoute } from "../upstream/routing/plan";
import { cacheHeader, chargeHit, hitCompletion, openChatCache, replayChunks, StreamedCompletion } from "./chat-cache";
import { gatherContext, withContextMessages } from "./context";
import { learnAfterReply } from "./memory";
import { auditHeaders, endpoint, type Dialect } from "./pipeline";
import type { RagSource } from "./rag";
import { chatRequestSchema } from "../wire/chat";
import { checkSizeLimits } from "./size-limits";
import { startStream } from "./stream-out";

export function extensionPayload(audit: AuditDraft, warnings: string[], ragSources: RagSource[]) {
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

const chatDialect: Dialect<typeof chatRequestSchema> = {
  schema: chatRequestSchema,
  check: (body) => checkSizeLimits(body.messages),
  extension: (body) => body.vecstruct,
  stream: (raw) => raw.stream === true,
  guardrails: true,
};

export const handleChatCompletions = endpoint("/v1/chat/completions", chatDialect, async ({ key, audit, body, project, abort, warnings, guard }) => {
  const e = env();
  // The pipeline has applied the input guardrails: `body` is the redacted request.
  const { vecstruct, models: _fallbacks, provider: _prefs, ...clientRequest } = body;

  const candidates = await planRoute(key, body.model, "chat", { models: body.models, provider: body.provider }, project.routing);
  audit.provider = candidates[0]!.model.provider;
  audit.catalogModel = candidates[0]!.model.id;

  const context = await gatherContext(() => clientRequest.messages, vecstruct, project, audit, warnings);
  const request = context.injected.length > 0 ? { ...clientRequest, messages: withContextMessages(clientRequest.messages, context.injected) } : clientRequest;
  const { ragSources, credits, memoryUser } = context;
  const learn = () => {
    if (!memoryUser) return;
    const model = project.memoryModel ?? e.VECSTRUCT_MEMORY_MODEL ?? null;
    learnAfterReply({ orgId: key.orgId, projectId: project.id, userId: memoryUser, auditId: audit.id, messages: clientRequest.messages, model, reply: audit.responseText });
  };

  const stream = body.stream === true;
  const created = Math.floor(Date.now() / 1000);
  const id = `chatcmpl-${randomBase62(29)}`;
  const includeUsage = request.stream_options?.include_usage === true;

  const cache = await openChatCache({ key, project, audit, ext: vecstruct, request, routing: { model: body.model, models: body.models, provider: body.provider }, warnings });
  if (cache?.hit) {
    await chargeHit(audit, key, credits);
    guard?.report();
    const completion = hitCompletion(cache.hit, { id, created });
    for (const choice of completion.choices) if (choice.index === 0) audit.appendText(choice.message.content ?? "");
    const headers = { ...auditHeaders(audit, warnings), ...cacheHeader(cache) };
    learn();
    if (!stream) {
      audit.success();
      return Response.json({ ...completion, vecstruct: extensionPayload(audit, warnings, ragSources) }, { headers });
    }
    const sse = await startStream(replayChunks(completion), {
      includeUsage,
      idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
      firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
      abort,
      onChunk: () => audit.markFirstToken(),
      onUsage: () => undefined,
      onEnd: (error) => {
        if (error) audit.failure(error, 200);
        else audit.success();
        return vecstruct ? extensionPayload(audit, warnings, ragSources) : null;
      },
    });
    return new Response(sse, { status: 200, headers: { ...headers, ...SSE_HEADERS } });
  }

  const deadline = totalDeadline(abort, e.VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS);
  // A stream's end: the upstream's usage, else the tokenizer's count of everything generated.
  const priced = (usage: Usage | null, generated: number): Priced => (usage ? { usage, estimated: false } : { usage: estimateUsage(request, generated), estimated: true });

  const invoked = await invoke({
    audit,
    key,
    abort,
    candidates,
    // Worst case over every candidate, with the output cap each candidate's adapter really sends (DESIGN.md §3b).
    worstCase: (c) => reservationMicros(request, c.model, c.credentials.map((p) => p.protocol)),
    credits,
    attempt: async (target) => {
      const { model, provider, abort: attemptAbort } = target;
      if (!stream) return { ...(await chatJsonAttempt(audit, request, { id, created })(target)), sse: null };
      const adapter = chatAdapterFor(provider.protocol);
      if (!adapter) throw new ApiError("invalid_value", `'${model.id}' cannot serve chat completions.`, { param: "model" });
      // The response names the model that served, as OpenRouter does: the requested one unless a fallback answered.
      const ctx: ResponseContext = { id, created, model: model.id };
      const upstream = adapter.buildRequest(request, { baseUrl: provider.baseUrl, apiKey: provider.apiKey, upstreamModel: model.upstreamModel }, { stream });
      const res = await callUpstream({ audit, abort: attemptAbort }, model, upstream, adapter.mapError, provider);
      if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
      const upstreamChunks = res.body.pipeThrough(sseParser()).pipeThrough(adapter.streamTransformer(ctx));
      const chunks = guard ? guard.stream(upstreamChunks) : upstreamChunks;
      const generated = new GeneratedTokens();
      const answer = cache && cache.plan !== "bypass" ? new StreamedCompletion() : null;
      const sse = await startStream(chunks, {
        includeUsage,
        idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
        firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
        abort: attemptAbort,
        onChunk: (chunk) => {
          audit.markFirstToken();
          answer?.add(chunk);
          for (const choice of chunk.choices) {
            if (choice.index === 0 && typeof choice.delta.content === "string") audit.appendText(choice.delta.content);
            generated.addDelta(choice.index, choice.delta);
          }
        },
        onUsage: (usage) => {
          audit.usage = usage;
        },
        onEnd: (error, clientGone) => {
          deadline.clear();
          guard?.report();
          target.finish(priced(audit.usage, audit.usage ? 0 : generated.total()), error ?? undefined);
          // Only an answer that ran to its end is worth replaying.
          const whole = error || clientGone ? null : answer?.completion(audit.usage);
          if (whole) cache?.store(whole);
          else cache?.abandon();
          if (!error) learn();
          return vecstruct ? extensionPayload(audit, warnings, ragSources) : null;
        },
      });
      return { completion: null, warnings: upstream.warnings, sse };
    },
    price: (result) => {
      if (!result.completion) return null; // a stream: settled by onEnd
      deadline.clear();
      if (guard) {
        result.completion = guard.completion(result.completion);
        guard.report();
      }
      audit.appendText(result.completion.choices[0]?.message.content ?? "");
      return priceChat(request, result.completion);
    },
  }).catch((err: unknown) => {
    deadline.clear();
    cache?.abandon();
    throw err;
  });

  warnings.push(...invoked.result.warnings);
  const headers = { ...auditHeaders(audit, warnings), ...cacheHeader(cache) };
  if (invoked.result.sse) return new Response(invoked.result.sse, { status: 200, headers: { ...headers, ...SSE_HEADERS } });
  cache?.store(invoked.result.completion!);
  learn();
  return Response.json({ ...invoked.result.completion!, vecstruct: extensionPayload(audit, warnings, ragSources) }, { headers });
});
