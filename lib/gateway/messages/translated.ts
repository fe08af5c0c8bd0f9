// The translated path: a /v1/messages request to an OpenAI, OpenAI-compatible or Gemini model goes
// through msg-core's translation (./translate) and the upstream's own chat adapter, and its answer or
// stream comes back as Anthropic's message / events. Translation notes (hints without effect, mapped
// thinking) are this attempt's warnings; what cannot be honoured is a 400 naming it (and, for a
// fallback list, a reason to try the next model).
import type { AuditDraft } from "../../audit/draft";
import { estimateUsage } from "../../billing/chat";
import type { CatalogModel } from "../../catalog/catalog";
import type { Protocol as UpstreamProtocol } from "../../catalog/providers";
import { ApiError } from "../../errors";
import type { Target } from "../../upstream/invoke";
import { chatJsonAttempt } from "../../upstream/json";
import type { Candidate } from "../../upstream/routing/plan";
import type { ChatRequest } from "../../wire/chat";
import type { MessagesRequest, MessagesRequestWithExtension, MessagesStreamEvent } from "../../wire/messages";
import { hasReasoningControl } from "../reasoning-control";
import { translatedChunks, Translations } from "../translations";
import { messagesPromptTokens } from "./estimate";
import type { MessagesOut } from "./stream-out";
import { encodeMessagesEvent, messagesStreamTransformer, omitsThinking, toAnthropicMessage, toChatRequest, type Protocol } from "./translate";

type Req = MessagesRequestWithExtension;

function translatable(protocol: UpstreamProtocol, model: CatalogModel): Protocol {
  if (protocol === "openai" || protocol === "openai-compatible" || protocol === "google") return protocol;
  throw new ApiError("invalid_value", `'${model.id}' cannot serve messages.`, { param: "model" });
}

export function betasOf(headers: Headers): string[] {
  return (headers.get("anthropic-beta") ?? "")
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
}

export function translate(request: Req, model: CatalogModel, protocol: UpstreamProtocol, headers: Headers, warnings: string[]): ChatRequest {
  const p = translatable(protocol, model);
  const chat = toChatRequest(request as MessagesRequest, { protocol: p, upstreamModel: model.upstreamModel, reasoning: hasReasoningControl(p, model.upstreamModel), betas: betasOf(headers) }, warnings);
  return clampOutput(chat, model, warnings);
}

/**
 * Anthropic clients size max_tokens for Claude (Claude Code sends 32000 to any model); an upstream
 * whose catalog entry has a smaller output limit would refuse the whole request. The cap is lowered
 * to the model's limit and said in the warnings: the answer can only be as long as the model allows anyway.
 */
function clampOutput(chat: ChatRequest, model: CatalogModel, warnings: string[]): ChatRequest {
  const limit = model.maxOutputTokens;
  const field = chat.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const cap = chat[field];
  if (!limit || cap == null || cap <= limit) return chat;
  warnings.push(`max_tokens ${cap} was lowered to ${limit}, the output limit of '${model.id}'.`);
  return { ...chat, [field]: limit };
}

/** The request's translations: one per model and protocol (lib/gateway/translations.ts). */
export function messagesTranslations(request: Req, headers: Headers): Translations {
  return new Translations((model, protocol, warnings) => translate(request, model, protocol, headers, warnings));
}

const textOf = (content: { type: string; text?: unknown }[]) => content.map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");

export async function translatedJsonAttempt(audit: AuditDraft, request: Req, target: Target, id: string, translations: Translations) {
  const { chat, warnings } = translations.get(target.model, target.provider.protocol);
  const { completion, warnings: adapterWarnings } = await chatJsonAttempt(audit, chat, { id, model: target.model.id })(target);
  const message = toAnthropicMessage(completion, {
    id,
    model: target.model.id,
    omitThinking: omitsThinking(request),
    stopSequences: request.stop_sequences,
    // Only read when the upstream reported no usage: tokenizing the whole prompt is not free.
    ...(completion.usage ? {} : { inputTokens: messagesPromptTokens(request) }),
  });
  return { message: message as Record<string, unknown>, usage: completion.usage ?? null, text: textOf(message.content), warnings: [...warnings, ...adapterWarnings] };
}

export async function translatedStreamAttempt(audit: AuditDraft, request: Req, target: Target, id: string, translations: Translations) {
  const t = await translatedChunks(audit, target, translations, { id, created: Math.floor(Date.now() / 1000) });
  const events = t.chunks
    .pipeThrough(
      messagesStreamTransformer({
        id,
        model: target.model.id,
        inputTokens: messagesPromptTokens(request),
        outputEstimate: () => t.generated.total(),
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
  return { events, usage: t.usage, warnings: t.warnings };
}

/** What this candidate can cost: the translated request's bound, with the output cap its adapter sends. */
export function translatedWorstCase(translations: Translations, c: Candidate): bigint {
  return translations.worstCase(c, (p) => p !== "anthropic");
}

/** count_tokens on a translated model: the tokenizer's count of the request as its upstream gets it. */
export function translatedPromptTokens(request: Req, model: CatalogModel, protocol: UpstreamProtocol, headers: Headers, warnings: string[]): number {
  return estimateUsage(translate(request, model, protocol, headers, warnings), 0).prompt_tokens;
}
