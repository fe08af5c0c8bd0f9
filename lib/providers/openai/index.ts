// OpenAI and OpenAI-compatible upstreams: the request passes through with the upstream model id
// (every field we do not own is forwarded); responses only get the client's model id back.
import { joinUrl } from "../url";
import { ApiError } from "../../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import type { ChatAdapter, ChatCompletion, ChatCompletionChunk, SseEvent, Usage } from "../types";

export function buildPassthroughBody(req: Record<string, unknown>, upstreamModel: string, stream: boolean): Record<string, unknown> {
  const { vecstruct: _ext, stream_options: streamOptions, ...rest } = req;
  const body: Record<string, unknown> = { ...rest, model: upstreamModel };
  if (stream) {
    // Usage is always requested upstream for our accounting; the client sees it only if it asked.
    body.stream = true;
    body.stream_options = { ...(typeof streamOptions === "object" && streamOptions ? streamOptions : {}), include_usage: true };
  } else {
    delete body.stream;
  }
  return body;
}

function parseChunk(event: SseEvent): ChatCompletionChunk | null {
  if (event.data === "[DONE]") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    throw new ApiError("upstream_error", "The upstream sent a malformed stream event.");
  }
  const obj = parsed as { error?: { message?: string }; choices?: unknown };
  if (obj && typeof obj === "object" && obj.error) {
    throw new ApiError("upstream_error", `The upstream failed mid-stream: ${obj.error.message ?? "unknown error"}`);
  }
  if (!obj || typeof obj !== "object" || !Array.isArray(obj.choices)) {
    throw new ApiError("upstream_error", "The upstream sent a stream event that is not a chat.completion.chunk.");
  }
  return parsed as ChatCompletionChunk;
}

export function createOpenAIAdapter(provider: string, defaultPath = "/chat/completions"): ChatAdapter {
  return {
    buildRequest(req, target, { stream }) {
      return {
        url: joinUrl(target.baseUrl, defaultPath.split("/").filter(Boolean)),
        headers: {
          "content-type": "application/json",
          ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
          ...(stream ? { accept: "text/event-stream" } : {}),
        },
        body: buildPassthroughBody(req as Record<string, unknown>, target.upstreamModel, stream),
        warnings: [],
      };
    },

    parseResponse(body, ctx) {
      const completion = body as ChatCompletion;
      if (!completion || typeof completion !== "object" || !Array.isArray(completion.choices)) {
        throw new ApiError("upstream_error", "The upstream answered with something that is not a chat.completion.");
      }
      return { ...completion, model: ctx.model };
    },

    streamTransformer(ctx) {
      let usage: Usage | null = null;
      let last: { id: string; created: number; system_fingerprint?: unknown } = { id: ctx.id, created: ctx.created };
      return new TransformStream<SseEvent, ChatCompletionChunk>({
        transform(event, controller) {
          const chunk = parseChunk(event);
          if (!chunk) return;
          if (chunk.usage) usage = chunk.usage;
          last = { id: chunk.id, created: chunk.created, system_fingerprint: chunk.system_fingerprint };
          // The usage-only chunk is re-emitted by flush, where every adapter emits it.
          if (chunk.choices.length === 0 && chunk.usage) return;
          delete chunk.usage;
          chunk.model = ctx.model;
          controller.enqueue(chunk);
        },
        flush(controller) {
          if (!usage) return;
          const { system_fingerprint, ...idAndCreated } = last;
          const chunk: ChatCompletionChunk = { ...idAndCreated, object: "chat.completion.chunk", model: ctx.model, choices: [], usage };
          if (system_fingerprint !== undefined) chunk.system_fingerprint = system_fingerprint;
          controller.enqueue(chunk);
        },
      });
    },

    mapError(status, body) {
      return mapUpstreamStatus(status, upstreamErrorMessage(body), provider);
    },
  };
}

export const openaiAdapter = createOpenAIAdapter("openai");
