// OpenAI and OpenAI-compatible upstreams: the request passes through with the upstream model id
// (every field we do not own is forwarded); responses only get the client's model id back (response.ts checks them).
import { joinUrl } from "../url";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import type { ChatAdapter, ChatCompletionChunk, SseEvent, Usage } from "../types";
import { parseChunk, parseCompletion } from "./response";

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

    parseResponse: parseCompletion,

    streamTransformer(ctx) {
      let usage: Usage | null = null;
      let last: { id: string; created: number; system_fingerprint?: unknown } = { id: ctx.id, created: ctx.created };
      return new TransformStream<SseEvent, ChatCompletionChunk>({
        transform(event, controller) {
          const chunk = parseChunk(event.data, ctx);
          if (!chunk) return;
          if (chunk.usage) usage = chunk.usage;
          last = { id: chunk.id, created: chunk.created, system_fingerprint: chunk.system_fingerprint };
          // The usage-only chunk is re-emitted by flush, where every adapter emits it.
          if (chunk.choices.length === 0 && chunk.usage) return;
          delete chunk.usage;
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
