// Server-sent events parser (WHATWG rules: `event:`/`data:` fields, blank line ends an event,
// multi-line data joined with \n, comments ignored), bytes in, events out.
import type { SseEvent } from "./types";

export function sseParser(): TransformStream<Uint8Array, SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = (controller: TransformStreamDefaultController<SseEvent>) => {
    if (data.length > 0) controller.enqueue(event ? { event, data: data.join("\n") } : { data: data.join("\n") });
    event = undefined;
    data = [];
  };

  const processLine = (line: string, controller: TransformStreamDefaultController<SseEvent>) => {
    if (line === "") return dispatch(controller);
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  };

  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf("\n", start);
        if (nl === -1) break;
        const end = nl > start && buffer[nl - 1] === "\r" ? nl - 1 : nl;
        processLine(buffer.slice(start, end), controller);
        start = nl + 1;
      }
      buffer = buffer.slice(start);
    },
    flush(controller) {
      buffer += decoder.decode();
      if (buffer.length > 0) processLine(buffer.replace(/\r$/, ""), controller);
      dispatch(controller);
    },
  });
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
