// An Anthropic stream relayed event by event: each SSE event keeps its own text (the bytes the client
// gets), with its `event:` name and `data:` parsed alongside for what the gateway reads (usage, text).
import { sseField, sseLines } from "../../providers/sse";

export interface RawSseEvent {
  /** The event as received, lines joined with \n, ending in a blank line. */
  text: string;
  event: string | undefined;
  data: string;
}

export function rawSseEvents(): TransformStream<Uint8Array, RawSseEvent> {
  let lines: string[] = [];
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = (controller: TransformStreamDefaultController<RawSseEvent>) => {
    if (lines.length > 0) controller.enqueue({ text: `${lines.join("\n")}\n\n`, event, data: data.join("\n") });
    lines = [];
    event = undefined;
    data = [];
  };

  // Comments are kept in the relayed text (they are bytes the client gets), not in the parsed fields.
  return sseLines<RawSseEvent>((line, controller) => {
    if (line === "") return dispatch(controller);
    lines.push(line);
    const f = sseField(line);
    if (f?.field === "data") data.push(f.value);
    else if (f?.field === "event") event = f.value;
  }, dispatch);
}
