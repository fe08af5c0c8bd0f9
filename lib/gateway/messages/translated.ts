// The translated path: a /v1/messages request to an OpenAI, OpenAI-compatible or Gemini model goes
// through msg-core's translation (./translate) and the upstream's own chat adapter, and its answer or
// stream comes back as Anthropic's message / events. Translation notes (hints without effect, mapped
// thinking) are this attempt's warnings; what cannot be honoured is a 400 naming it (and, for a
// fallback list, a reason to try the next model).
import type { AuditDraft } from "../../audit/draft";
import { estimateUsage, GeneratedTokens, reservationMicros } from "../../billing/chat";
import type { CatalogModel } from "../../catalog/catalog";
import type { Protocol as UpstreamProtocol } from "../../catalog/providers";
import { ApiError } from "../../errors";
import { chatAdapterFor } from "../../providers/registry";
import { sseParser } from "../../providers/sse";
import type { ChatCompletionChunk, Usage } from "../../providers/types";
import { callUpstream } from "../../upstream/call";
import type { Target } from "../../upstream/invoke";
import { chatJsonAttempt } from "../../upstream/json";
import type { Candidate } from "../../upstream/routing/plan";
import type { ChatRequest } from "../../wire/chat";
import type { MessagesRequest, MessagesRequestWithExtension, MessagesStreamEvent } from "../../wire/messages";
import { messagesPromptTokens } from "./estimate";
import type { MessagesOut } from "./stream-out";
import { encodeMessagesEvent, messagesStreamTransformer, omitsThinking, toAnthropicMessage, toChatRequest, type Protocol } from "./translate";

type Req = MessagesRequestWithExtension;

function translatable(protocol: UpstreamProtocol, model: CatalogModel): Protocol {
  if (protocol === "openai" || protocol === "openai-compatible" || protocol === "google") return protocol;
  throw new ApiError("invalid_value", `'${model.id}' cannot serve messages.`, { param: "model" });
}

/**
 * Whether the model takes a reasoning control (reasoning_effort) that `thinking` maps to. The catalog
 * has no capability flag yet, so this goes by the upstream model's family: OpenAI's o-series and
 * GPT-5, Gemini 2.5 and later. Any other model gets no reasoning control (thinking is then a warning).
 */
export function hasReasoningControl(protocol: Protocol, upstreamModel: string): boolean {
  const m = upstreamModel.toLowerCase();
  if (protocol === "openai") return /^(o\d|gpt-5)/.test(m);
  if (protocol === "google") return /gemini-(2\.5|[3-9])/.test(m);
  return false;
}

export function betasOf(headers: Headers): string[] {
  return (headers.get("anthropic-beta") ?? "")
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
}

export function translate(request: Req, model: CatalogModel, protocol: UpstreamProtocol, headers: Headers, warnings: string[]): ChatRequest {
  const p = translatable(protocol, model);
  return toChatRequest(request as MessagesRequest, { protocol: p, upstreamModel: model.upstreamModel, reasoning: hasReasoningControl(p, model.upstreamModel), betas: betasOf(headers) }, warnings);
}

const textOf = (content: { type: string; text?: unknown }[]) => content.map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");

export async function translatedJsonAttempt(audit: AuditDraft, request: Req, target: Target, id: string, headers: Headers) {
  const warnings: string[] = [];
  const chat = translate(request, target.model, target.provider.protocol, headers, warnings);
  const { completion, warnings: adapterWarnings } = await chatJsonAttempt(audit, chat, { id, model: target.model.id })(target);
  const message = toAnthropicMessage(completion, {
    id,
    model: target.model.id,
    omitThinking: omitsThinking(request),
    stopSequences: request.stop_sequences,
    inputTokens: messagesPromptTokens(request),
  });
  return { message: message as Record<string, unknown>, usage: completion.usage ?? null, text: textOf(message.content), warnings: [...warnings, ...adapterWarnings] };
}

export async function translatedStreamAttempt(audit: AuditDraft, request: Req, target: Target, id: string, headers: Headers) {
  const warnings: string[] = [];
  const chat = translate(request, target.model, target.provider.protocol, headers, warnings);
  const adapter = chatAdapterFor(target.provider.protocol)!;
  const upstream = adapter.buildRequest(chat, { baseUrl: target.provider.baseUrl, apiKey: target.provider.apiKey, upstreamModel: target.model.upstreamModel }, { stream: true });
  const res = await callUpstream({ audit, abort: target.abort }, target.model, upstream, adapter.mapError, target.provider);
  if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
  let usage: Usage | null = null;
  const generated = new GeneratedTokens();
  const events = res.body
    .pipeThrough(sseParser())
    .pipeThrough(adapter.streamTransformer({ id, created: Math.floor(Date.now() / 1000), model: target.model.id }))
    .pipeThrough(
      new TransformStream<ChatCompletionChunk, ChatCompletionChunk>({
        transform(chunk, c) {
          if (chunk.usage) usage = chunk.usage;
          for (const choice of chunk.choices) if (choice.index === 0) generated.addDelta(0, choice.delta);
          c.enqueue(chunk);
        },
      }),
    )
    .pipeThrough(
      messagesStreamTransformer({
        id,
        model: target.model.id,
        inputTokens: messagesPromptTokens(request),
        outputEstimate: () => generated.total(),
        omitThinking: omitsThinking(request),
        stopSequences: request.stop_sequences,
      }),
    )
    .pipeThrough(
      new TransformStream<MessagesStreamEvent, MessagesOut>({
        transform(e, c) {
          c.enqueue({ type: e.type, text: encodeMessagesEvent(e), data: e as unknown as Record<string, unknown> });
        },
      }),
    );
  return { events, usage: () => usage, warnings: [...warnings, ...upstream.warnings] };
}

/** What this candidate can cost: the translated request's bound, with the output cap its adapter sends. */
export function translatedWorstCase(request: Req, c: Candidate, headers: Headers): bigint {
  const protocols = c.credentials.map((p) => p.protocol).filter((p) => p !== "anthropic");
  try {
    const chat = translate(request, c.model, protocols[0]!, headers, []);
    return reservationMicros(chat, c.model, protocols);
  } catch {
    return 0n; // a request this model cannot take: its attempt answers the 400
  }
}

/** count_tokens on a translated model: the tokenizer's count of the request as its upstream gets it. */
export function translatedPromptTokens(request: Req, model: CatalogModel, protocol: UpstreamProtocol, headers: Headers, warnings: string[]): number {
  return estimateUsage(translate(request, model, protocol, headers, warnings), 0).prompt_tokens;
}
