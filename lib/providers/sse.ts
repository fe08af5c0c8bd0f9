// Server-sent events parser (WHATWG rules: `event:`/`data:` fields, blank line ends an event,
// multi-line data joined with \n, comments ignored), bytes in, events out.
import type { SseEvent } from "./types";

/**
 * Bytes → lines (LF or CRLF), decoded as UTF-8 across chunk boundaries; `line` gets each line and the
 * stream's controller, `end` runs after the last line. Shared by the event parser below and the
 * byte-preserving relay of Anthropic streams (lib/gateway/messages/raw-sse.ts).
 */
export function sseLines<T>(line: (l: string, controller: TransformStreamDefaultController<T>) => void, end: (controller: TransformStreamDefaultController<T>) => void): TransformStream<Uint8Array, T> {
  const decoder = new TextDecoder();
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf("\n", start);
        if (nl === -1) break;
        const stop = nl > start && buffer[nl - 1] === "\r" ? nl - 1 : nl;
        line(buffer.slice(start, stop), controller);
        start = nl + 1;
      }
      buffer = buffer.slice(start);
    },
    flush(controller) {
      buffer += decoder.decode();
      if (buffer.length > 0) line(buffer.replace(/\r$/, ""), controller);
      end(controller);
    },
  });
}

/** One SSE field line: its name and value (one leading space dropped), or null for a comment. */
export function sseField(line: string): { field: string; value: string } | null {
  if (line.startsWith(":")) return null;
  const colon = line.indexOf(":");
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? "" : line.slice(colon + 1);
  if (value.startsWith(" ")) value = value.slice(1);
  return { field, value };
}

export function sseParser(): TransformStream<Uint8Array, SseEvent> {
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = (controller: TransformStreamDefaultController<SseEvent>) => {
    if (data.length > 0) controller.enqueue(event ? { event, data: data.join("\n") } : { data: data.join("\n") });
    event = undefined;
    data = [];
  };

  return sseLines<SseEvent>((line, controller) => {
    if (line === "") return dispatch(controller);
    const f = sseField(line);
    if (f?.field === "data") data.push(f.value);
    else if (f?.field === "event") event = f.value;
  }, dispatch);
}

/** Test helper and fixture replay: a text (e.g. a recorded stream) → events. */
export async function parseSseText(text: string, chunkSize = 7): Promise<SseEvent[]> {
  const bytes = new TextEncoder().encode(text);
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += chunkSize) c.enqueue(bytes.slice(i, i + chunkSize));
      c.close();
    },
  });
  const out: SseEvent[] = [];
  const reader = source.pipeThrough(sseParser()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}
