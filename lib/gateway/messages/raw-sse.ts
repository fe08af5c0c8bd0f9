// An Anthropic stream relayed event by event: each SSE event keeps its own text (the bytes the client
// gets), with its `event:` name and `data:` parsed alongside for what the gateway reads (usage, text).
export interface RawSseEvent {
  /** The event as received, lines joined with \n, ending in a blank line. */
  text: string;
  event: string | undefined;
  data: string;
}

export function rawSseEvents(): TransformStream<Uint8Array, RawSseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let lines: string[] = [];
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = (controller: TransformStreamDefaultController<RawSseEvent>) => {
    if (lines.length > 0) controller.enqueue({ text: `${lines.join("\n")}\n\n`, event, data: data.join("\n") });
    lines = [];
    event = undefined;
    data = [];
  };
  const line = (l: string, controller: TransformStreamDefaultController<RawSseEvent>) => {
    if (l === "") return dispatch(controller);
    lines.push(l);
    if (l.startsWith(":")) return;
    const colon = l.indexOf(":");
    const field = colon === -1 ? l : l.slice(0, colon);
    let value = colon === -1 ? "" : l.slice(colon + 1);
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
        line(buffer.slice(start, end), controller);
        start = nl + 1;
      }
      buffer = buffer.slice(start);
    },
    flush(controller) {
      buffer += decoder.decode();
      if (buffer.length > 0) line(buffer.replace(/\r$/, ""), controller);
      dispatch(controller);
    },
  });
}
