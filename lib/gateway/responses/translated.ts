// The translated path: a /v1/responses request to a model whose upstream has no native Responses API
// (OpenAI-compatible servers, Anthropic, Gemini) goes through the translation core (./translate) and
// the upstream's own chat adapter; its answer or stream comes back as OpenAI's Response object /
// events. Translation notes are this attempt's warnings; what cannot be honoured is a 400 naming it.
import type { AuditDraft } from "../../audit/draft";
import { estimateUsage } from "../../billing/chat";
import type { CatalogModel } from "../../catalog/catalog";
import type { Protocol as UpstreamProtocol } from "../../catalog/providers";
import { ApiError } from "../../errors";
import type { Target } from "../../upstream/invoke";
import { chatJsonAttempt } from "../../upstream/json";
import type { ResponsesRequest, ResponsesRequestWithExtension, ResponsesStreamEvent } from "../../wire/responses";
import type { OutEvent } from "../event-stream";
import { hasReasoningControl } from "../reasoning-control";
import { eventForClient } from "./views";
import { translatedChunks, Translations } from "../translations";
import { encodeResponsesEvent, responsesStreamTransformer, toChatRequest, toResponse, type Protocol, type SequenceCounter } from "./translate";

type Req = ResponsesRequestWithExtension;

function translatable(protocol: UpstreamProtocol, model: CatalogModel): Protocol {
  if (protocol === "openai" || protocol === "openai-compatible" || protocol === "google" || protocol === "anthropic") return protocol;
  throw new ApiError("invalid_value", `'${model.id}' cannot serve responses.`, { param: "model" });
}

/** `request` carries the whole conversation in `input` (a stored one already expanded). */
export function responsesTranslations(request: Req): Translations {
  return new Translations((model, protocol, warnings) => {
    const p = translatable(protocol, model);
    return toChatRequest(request as ResponsesRequest, { protocol: p, upstreamModel: model.upstreamModel, reasoning: hasReasoningControl(p, model.upstreamModel) }, warnings);
  });
}

/** What the Response object is built from: its id and time, and the request it echoes. */
export interface ResponseShape {
  id: string;
  createdAt: number;
  /** The client's request (its `include` widened when the response is stored: see handler). */
  echo: Req;
  /** The client asked for encrypted reasoning (else a stored response's sealed reasoning is not shown). */
  reveal: boolean;
}

export async function translatedJsonAttempt(audit: AuditDraft, target: Target, translations: Translations, shape: ResponseShape) {
  const { chat, warnings } = translations.get(target.model, target.provider.protocol);
  const { completion, warnings: adapterWarnings } = await chatJsonAttempt(audit, chat, { id: shape.id, model: target.model.id })(target);
  const response = toResponse(completion, {
    id: shape.id,
    model: target.model.id,
    createdAt: shape.createdAt,
    request: shape.echo,
    // Only read when the upstream reported no usage: tokenizing the whole prompt is not free.
    ...(completion.usage ? {} : { inputTokens: estimateUsage(chat, 0).prompt_tokens }),
  });
  return { response, usage: completion.usage ?? null, warnings: [...warnings, ...adapterWarnings] };
}

export async function translatedStreamAttempt(audit: AuditDraft, target: Target, translations: Translations, shape: ResponseShape, counter: SequenceCounter) {
  const t = await translatedChunks(audit, target, translations, { id: shape.id, created: shape.createdAt });
  const events = t.chunks
    .pipeThrough(
      responsesStreamTransformer({
        id: shape.id,
        model: target.model.id,
        createdAt: shape.createdAt,
        request: shape.echo,
        inputTokens: () => estimateUsage(t.chat, 0).prompt_tokens,
        outputEstimate: () => t.generated.total(),
        counter,
      }),
    )
    .pipeThrough(
      new TransformStream<ResponsesStreamEvent, OutEvent>({
        transform(e, c) {
          // The terminal event is stored as it is and shown through the stream's beforeEnd.
          const shown = e.type === "response.completed" || e.type === "response.incomplete" ? e : eventForClient(e, shape.reveal);
          c.enqueue({ type: e.type, text: encodeResponsesEvent(shown), data: shown as unknown as Record<string, unknown> });
        },
      }),
    );
  return { events, usage: t.usage, warnings: t.warnings };
}

