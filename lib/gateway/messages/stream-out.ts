// A Messages stream to the client, native or translated alike. Headers are held until the upstream's
// first content (a content block, or the end of a message that has none): until then a failure is an
// ordinary HTTP error that the router may retry or fall back on. After it, a failure is one final
// Anthropic `event: error` and the stream ends. `event: vecstruct` goes right before `message_stop`
// when the request carried a `vecstruct` object (the Anthropic SDKs ignore unknown events).
import { ApiError } from "../../errors";
import { upstreamTimeout, withTimeout } from "../../upstream/http";
import { asStreamError } from "../stream-out";
import { anthropicErrorEvent, upstreamStreamError } from "./errors";

/** One event as the client gets it: its type, its SSE text, and its data for accounting. */
export interface MessagesOut {
  type: string;
  text: string;
  data: Record<string, unknown>;
}

export interface MessagesStreamHooks {
  idleMs: number;
  firstByteMs: number;
  abort: AbortController;
  /** Every event, held ones included, in order (usage, text, output estimate). */
  onEvent: (e: MessagesOut) => void;
  /** Called once at the end; returns the `event: vecstruct` payload, or null. */
  onEnd: (error: ApiError | null, clientGone: boolean) => unknown | null;
}

const encoder = new TextEncoder();
/** What releases the headers: real content, or a message that ends without any. */
const STARTS = new Set(["content_block_start", "message_delta", "message_stop"]);

export async function startMessagesStream(events: ReadableStream<MessagesOut>, hooks: MessagesStreamHooks): Promise<ReadableStream<Uint8Array>> {
  const reader = events.getReader();
  const read = (ms: number, what: "first byte" | "idle") => withTimeout(reader.read(), ms, () => upstreamTimeout(what), hooks.abort);
  const held: MessagesOut[] = [];
  let first: MessagesOut | null = null;
  try {
    for (;;) {
      const r = await read(hooks.firstByteMs, "first byte");
      if (r.done) throw new ApiError("upstream_error", "The upstream closed the stream before any content.");
      hooks.onEvent(r.value);
      if (r.value.type === "error") throw upstreamStreamError(r.value.data);
      if (STARTS.has(r.value.type)) {
        first = r.value;
        break;
      }
      held.push(r.value);
    }
  } catch (err) {
    hooks.abort.abort();
    reader.cancel().catch(() => {});
    throw asStreamError(err, hooks.abort);
  }

  let finished = false;
  const end = (controller: ReadableStreamDefaultController<Uint8Array>, error: ApiError | null, alreadySent = false) => {
    if (finished) return;
    finished = true;
    hooks.onEnd(error, false);
    if (error && !alreadySent) controller.enqueue(encoder.encode(anthropicErrorEvent(error)));
    controller.close();
    reader.cancel().catch(() => {});
  };
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, e: MessagesOut) => {
    if (e.type === "message_stop") {
      finished = true;
      const extension = hooks.onEnd(null, false);
      if (extension !== null) controller.enqueue(encoder.encode(`event: vecstruct\ndata: ${JSON.stringify(extension)}\n\n`));
      controller.enqueue(encoder.encode(e.text));
      controller.close();
      reader.cancel().catch(() => {});
      return;
    }
    controller.enqueue(encoder.encode(e.text));
    // The upstream's own error event reached the client as it was sent: the stream ends there.
    if (e.type === "error") end(controller, upstreamStreamError(e.data), true);
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const e of held) controller.enqueue(encoder.encode(e.text));
      emit(controller, first!);
    },
    async pull(controller) {
      if (finished) return;
      try {
        const r = await read(hooks.idleMs, "idle");
        if (r.done) return end(controller, new ApiError("upstream_error", "The upstream stream ended before message_stop."));
        hooks.onEvent(r.value);
        emit(controller, r.value);
      } catch (err) {
        hooks.abort.abort();
        end(controller, asStreamError(err, hooks.abort));
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
