// A dialect's event stream to the client (Anthropic Messages, OpenAI Responses), native or translated
// alike. Headers are held until the upstream's first content (a dialect's `starts` event): until then
// a failure is an ordinary HTTP error that the router may retry or fall back on. After it, a failure
// is one final error event in the dialect's shape and the stream ends. The dialect's terminal event
// goes out through `finish` (the Responses store writes there, and the `vecstruct` payload joins it).
import { ApiError } from "../errors";
import { upstreamTimeout, withTimeout } from "../upstream/http";
import { asStreamError } from "./stream-out";

/** One event as the client gets it: its type, its SSE text, and its data for accounting. */
export interface OutEvent {
  type: string;
  text: string;
  data: Record<string, unknown>;
}

export interface EventDialect {
  /** Event types that release the headers: real content, or an answer that ends without any. */
  starts: ReadableSet;
  /** The terminal event types of a complete answer. */
  ends: ReadableSet;
  /** The upstream's own error event (retryable before the first content, relayed and final after). */
  upstreamError: (e: OutEvent) => ApiError | null;
  /** Our final error event, for a failure after the stream started. */
  errorEvent: (err: ApiError) => string;
  /** The terminal event's text with the `vecstruct` payload (or null) in the dialect's place. */
  finalText: (e: OutEvent, extension: unknown) => string;
}
type ReadableSet = { has: (type: string) => boolean };

export interface EventStreamHooks {
  idleMs: number;
  firstByteMs: number;
  abort: AbortController;
  /** Every event, held ones included, in order (usage, text, output estimate). */
  onEvent: (e: OutEvent) => void;
  /** Before the terminal event goes out (awaited; a failure here ends the stream with an error). */
  beforeEnd?: (e: OutEvent) => Promise<OutEvent>;
  /** Called once at the end; returns the `vecstruct` payload, or null. */
  onEnd: (error: ApiError | null, clientGone: boolean) => unknown;
}

const encoder = new TextEncoder();

/**
 * After the terminal event the upstream has at most its end of stream left: read it to the end
 * (bounded by the idle timeout) rather than cancel, so its keep-alive connection goes back to the pool.
 */
function drain(reader: ReadableStreamDefaultReader<OutEvent>, idleMs: number): void {
  const timer = setTimeout(() => reader.cancel().catch(() => {}), idleMs);
  timer.unref();
  void (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // the upstream's problem after the answer was complete: nothing to report
    } finally {
      clearTimeout(timer);
    }
  })();
}

export async function startEventStream(events: ReadableStream<OutEvent>, dialect: EventDialect, hooks: EventStreamHooks): Promise<ReadableStream<Uint8Array>> {
  const reader = events.getReader();
  const read = (ms: number, what: "first byte" | "idle") => withTimeout(reader.read(), ms, () => upstreamTimeout(what), hooks.abort);
  const held: OutEvent[] = [];
  let first: OutEvent | null = null;
  try {
    for (;;) {
      const r = await read(hooks.firstByteMs, "first byte");
      if (r.done) throw new ApiError("upstream_error", "The upstream closed the stream before any content.");
      hooks.onEvent(r.value);
      const upstreamError = dialect.upstreamError(r.value);
      if (upstreamError) throw upstreamError;
      if (dialect.starts.has(r.value.type)) {
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
    if (error && !alreadySent) controller.enqueue(encoder.encode(dialect.errorEvent(error)));
    controller.close();
    reader.cancel().catch(() => {});
  };
  const emit = async (controller: ReadableStreamDefaultController<Uint8Array>, e: OutEvent) => {
    if (dialect.ends.has(e.type)) {
      const last = hooks.beforeEnd ? await hooks.beforeEnd(e) : e;
      finished = true;
      const extension = hooks.onEnd(null, false);
      controller.enqueue(encoder.encode(dialect.finalText(last, extension)));
      controller.close();
      drain(reader, hooks.idleMs);
      return;
    }
    controller.enqueue(encoder.encode(e.text));
    // The upstream's own error event reached the client as it was sent: the stream ends there.
    const upstreamError = dialect.upstreamError(e);
    if (upstreamError) end(controller, upstreamError, true);
  };

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const e of held) controller.enqueue(encoder.encode(e.text));
      try {
        await emit(controller, first!);
      } catch (err) {
        hooks.abort.abort();
        end(controller, asStreamError(err, hooks.abort));
      }
    },
    async pull(controller) {
      if (finished) return;
      try {
        const r = await read(hooks.idleMs, "idle");
        if (r.done) return end(controller, new ApiError("upstream_error", "The upstream stream ended before the answer was complete."));
        hooks.onEvent(r.value);
        await emit(controller, r.value);
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
