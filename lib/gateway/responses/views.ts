// What the client sees of a Response that is stored with more than it asked for: a stored translated
// response keeps its sealed reasoning (`encrypted_content`, which its continuation sends back
// upstream) even when the request did not include "reasoning.encrypted_content".
import type { OutputItem, ResponsesStreamEvent } from "../../wire/responses";
import type { OutEvent } from "../event-stream";
import { encodeResponsesEvent } from "./translate";

type Obj = Record<string, unknown>;

function withoutSealed(item: unknown): unknown {
  const o = item as Obj | null;
  if (!o || o.type !== "reasoning" || !("encrypted_content" in o)) return item;
  const { encrypted_content: _sealed, ...rest } = o;
  return rest;
}

/** The Response object as the client asked to see it. */
export function clientView(response: Obj, reveal: boolean): Obj {
  if (reveal || !Array.isArray(response.output)) return response;
  return { ...response, output: response.output.map(withoutSealed) };
}

/** A translated stream's event as the client asked to see it (items and the response inside). */
export function eventForClient(e: ResponsesStreamEvent, reveal: boolean): ResponsesStreamEvent {
  if (reveal) return e;
  if (e.type === "response.output_item.added" || e.type === "response.output_item.done") return { ...e, item: withoutSealed(e.item) as OutputItem };
  return e;
}

/** The terminal event re-encoded without sealed reasoning, when the client did not ask for it. */
export function withoutEncrypted(e: OutEvent, reveal: boolean): OutEvent {
  const response = e.data.response as Obj | undefined;
  if (reveal || !response) return e;
  const view = clientView(response, false);
  if (view === response) return e;
  const data = { ...e.data, response: view };
  return { type: e.type, text: encodeResponsesEvent(data as unknown as ResponsesStreamEvent), data };
}

/** The answer's text for the audit row: every output_text part of every message item. */
export function outputText(response: Obj): string {
  const output = Array.isArray(response.output) ? (response.output as Obj[]) : [];
  return output
    .filter((item) => item.type === "message" && Array.isArray(item.content))
    .flatMap((item) => (item.content as Obj[]).map((part) => (part.type === "output_text" && typeof part.text === "string" ? part.text : "")))
    .join("");
}
