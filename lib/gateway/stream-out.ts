// Turns an adapter's chunk stream into the client's SSE response. Headers go out with the first
// chunk: until then any failure is an ordinary HTTP error. After it, a failure is one final
// `data: {"error": …}` event and the stream ends without [DONE].
import { ApiError, toApiError } from "../errors";
import type { ChatCompletionChunk, Usage } from "../providers/types";
import { upstreamTimeout, withTimeout } from "../upstream/http";

const encoder = new TextEncoder();
const sse = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);

export interface StreamHooks {
  includeUsage: boolean;
  idleMs: number;
  firstByteMs: number;
  abort: AbortController;
  onChunk: (chunk: ChatCompletionChunk) => void;
  onUsage: (usage: Usage) => void;
  /** Called once at the end; returns the `event: vecstruct` payload, or null for a pure OpenAI stream. */
  onEnd: (error: ApiError | null, clientGone: boolean) => unknown | null;
}

async function next(reader: ReadableStreamDefaultReader<ChatCompletionChunk>, ms: number, what: "first byte" | "idle", abort: AbortController) {
  return withTimeout(reader.read(), ms, () => upstreamTimeout(what), abort);
}

export function asStreamError(err: unknown, abort: AbortController): ApiError {
  if (err instanceof ApiError) return err;
  if (abort.signal.reason instanceof ApiError) return abort.signal.reason;
  if (err instanceof TypeError || (err instanceof Error && /terminated|socket|ECONNRESET|other side closed/i.test(err.message))) {
    return new ApiError("upstream_error", "The upstream connection was lost mid-stream.");
  }
  // Broken JSON or an event of the wrong shape: the upstream's fault, not ours.
  if (err instanceof SyntaxError || (err instanceof Error && err.name === "ZodError")) {
    return new ApiError("upstream_error", "The upstream sent a malformed stream event.");
  }
  return toApiError(err);
}

/**
 * Waits for the first chunk (first-byte timeout), then returns the SSE body. Throws (before any
 * byte reached the client) when the upstream fails, stalls or closes before its first chunk.
 */
export async function startStream(chunks: ReadableStream<ChatCompletionChunk>, hooks: StreamHooks): Promise<ReadableStream<Uint8Array>> {
  const reader = chunks.getReader();
  let first: ReadableStreamReadResult<ChatCompletionChunk>;
  // Usage-only chunks before content are held; headers wait for real content.
  const held: ChatCompletionChunk[] = [];
  for (;;) {
    try {
      first = await next(reader, hooks.firstByteMs, "first byte", hooks.abort);
    } catch (err) {
      hooks.abort.abort();
      throw asStreamError(err, hooks.abort);
    }
    if (first.done) break;
    if (first.value.choices.length > 0) break;
    held.push(first.value);
  }
  if (first.done && held.length === 0) throw new ApiError("upstream_error", "The upstream closed the stream without sending anything.");

  let finished = false;
  /** Sends a chunk; false when there was nothing to send (usage the client did not ask for). */
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: ChatCompletionChunk): boolean => {
    if (chunk.choices.length === 0 && chunk.usage) {
      hooks.onUsage(chunk.usage);
      if (!hooks.includeUsage) return false;
      controller.enqueue(sse(chunk));
      return true;
    }
    hooks.onChunk(chunk);
    if (hooks.includeUsage) chunk.usage = null;
    controller.enqueue(sse(chunk));
    return true;
  };
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, error: ApiError | null) => {
    if (finished) return;
    finished = true;
    const extension = hooks.onEnd(error, false);
    if (error) {
      controller.enqueue(sse(error.toBody()));
    } else {
      if (extension !== null) controller.enqueue(encoder.encode(`event: vecstruct\ndata: ${JSON.stringify(extension)}\n\n`));
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
    }
    controller.close();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of held) emit(controller, chunk);
      if (first.done) finish(controller, null);
      else emit(controller, first.value);
    },
    async pull(controller) {
      if (finished) return;
      try {
        // A pull that enqueues nothing is not called again until the consumer reads again, and a
        // consumer that awaits one read at a time (scripts/v1-bridge.mjs) never does: read on until
        // something went out.
        for (;;) {
          const r = await next(reader, hooks.idleMs, "idle", hooks.abort);
          if (r.done) return finish(controller, null);
          if (emit(controller, r.value)) return;
        }
      } catch (err) {
        hooks.abort.abort();
        finish(controller, asStreamError(err, hooks.abort));
      }
    },
    cancel() {
      // The client went away: stop the upstream, bill and audit what was generated.
      if (finished) return;
      finished = true;
      hooks.abort.abort();
      reader.cancel().catch(() => {});
      hooks.onEnd(new ApiError("upstream_error", "client closed the connection"), true);
    },
  });
}
