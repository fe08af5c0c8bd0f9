// OpenAI's Responses stream grammar, checked event by event (the OpenAI SDKs' accumulators throw or
// corrupt the response on a stray event): sequence_number 0, 1, 2…; response.created then
// response.in_progress; output items one at a time in output_index order, each added → parts and
// deltas → done, with every .done repeating exactly what its deltas built; then exactly one
// response.completed / response.incomplete / response.failed (or an `error` event) whose `output`
// equals the items streamed. Returns the final response.
import type { OutputItem, ResponseObject, ResponsesStreamEvent } from "@/lib/wire/responses";

type Any = Record<string, unknown> & { type: string; sequence_number: number };
interface OpenItem {
  index: number;
  item: Record<string, unknown> & { type: string; id: string };
  /** content / summary part open (index), and the text its deltas built. */
  part: { kind: "content" | "summary"; index: number; type: string; text: string } | null;
  parts: Record<string, unknown>[];
  args: string;
}

function fail(i: number, e: unknown, why: string): never {
  throw new Error(`Responses stream grammar: event ${i} (${JSON.stringify(e).slice(0, 300)}): ${why}`);
}

const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
const FINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

export function assertResponsesGrammar(events: ResponsesStreamEvent[]): ResponseObject {
  let created: ResponseObject | null = null;
  let inProgress = false;
  let open: OpenItem | null = null;
  const items: OutputItem[] = [];
  let final: ResponseObject | null = null;
  let ended = false;

  (events as unknown as Any[]).forEach((e, i) => {
    if (e.sequence_number !== i) fail(i, e, `sequence_number must be ${i}`);
    if (ended) fail(i, e, "nothing may follow the final event");
    if (e.type === "error") {
      if (typeof e.message !== "string") fail(i, e, "an error event carries a message");
      ended = true;
      return;
    }
    if (i === 0 && e.type !== "response.created") fail(i, e, "the first event must be response.created");
    if (i === 1 && e.type !== "response.in_progress") fail(i, e, "the second event must be response.in_progress");
    const at = () => {
      if (!open || e.output_index !== open.index || e.item_id !== open.item.id) fail(i, e, "the event must target the open item (output_index and item_id)");
      return open;
    };
    switch (e.type) {
      case "response.created":
      case "response.in_progress": {
        const r = e.response as ResponseObject;
        if (r.object !== "response" || !r.id.startsWith("resp_") || r.status !== "in_progress" || r.output.length !== 0) fail(i, e, "an in-progress response with a resp_ id and no output");
        if (e.type === "response.created") created = r;
        else {
          if (!created || inProgress) fail(i, e, "response.in_progress comes once, after response.created");
          if (r.id !== created.id) fail(i, e, "the response id changed");
          inProgress = true;
        }
        return;
      }
      case "response.output_item.added": {
        if (open) fail(i, e, `item ${open.index} is still open (items never interleave)`);
        if (e.output_index !== items.length) fail(i, e, `output_index must be ${items.length}`);
        const item = e.item as OpenItem["item"];
        if (typeof item.id !== "string" || !item.id) fail(i, e, "an item has an id");
        if (item.type === "message") {
          if (item.role !== "assistant" || item.status !== "in_progress" || (item.content as unknown[]).length !== 0) fail(i, e, "a message starts in_progress with no content");
        } else if (item.type === "function_call") {
          if (typeof item.call_id !== "string" || !item.call_id || typeof item.name !== "string" || !item.name || item.arguments !== "") fail(i, e, "a function_call starts with call_id, name and empty arguments");
        } else if (item.type === "reasoning") {
          if ((item.summary as unknown[]).length !== 0) fail(i, e, "a reasoning item starts with an empty summary");
        } else fail(i, e, `unknown item type ${item.type}`);
        open = { index: e.output_index as number, item: structuredClone(item), part: null, parts: [], args: "" };
        return;
      }
      case "response.content_part.added":
      case "response.reasoning_summary_part.added": {
        const o = at();
        const summary = e.type === "response.reasoning_summary_part.added";
        if (o.item.type !== (summary ? "reasoning" : "message")) fail(i, e, `a ${summary ? "summary" : "content"} part does not belong in a ${o.item.type}`);
        if (o.part) fail(i, e, "a part is already open");
        const index = (summary ? e.summary_index : e.content_index) as number;
        if (index !== o.parts.length) fail(i, e, `part index must be ${o.parts.length}`);
        const part = e.part as { type: string; text?: string; refusal?: string };
        if ((part.text ?? part.refusal) !== "") fail(i, e, "a part starts empty");
        o.part = { kind: summary ? "summary" : "content", index, type: part.type, text: "" };
        return;
      }
      case "response.output_text.delta":
      case "response.refusal.delta":
      case "response.reasoning_summary_text.delta": {
        const o = at();
        const want = e.type === "response.output_text.delta" ? "output_text" : e.type === "response.refusal.delta" ? "refusal" : "summary_text";
        const index = want === "summary_text" ? e.summary_index : e.content_index;
        if (!o.part || o.part.type !== want || index !== o.part.index) fail(i, e, `a ${e.type} must target an open ${want} part`);
        if (typeof e.delta !== "string") fail(i, e, "delta is a string");
        o.part.text += e.delta;
        return;
      }
      case "response.output_text.done":
      case "response.refusal.done":
      case "response.reasoning_summary_text.done": {
        const o = at();
        const text = e.type === "response.refusal.done" ? e.refusal : e.text;
        if (!o.part || text !== o.part.text) fail(i, e, "the .done text must equal the deltas'");
        return;
      }
      case "response.content_part.done":
      case "response.reasoning_summary_part.done": {
        const o = at();
        if (!o.part) fail(i, e, "no part is open");
        const part = e.part as { type: string; text?: string; refusal?: string };
        if (part.type !== o.part.type || (part.text ?? part.refusal) !== o.part.text) fail(i, e, "the part.done must carry the part as built");
        o.parts.push(part);
        o.part = null;
        return;
      }
      case "response.function_call_arguments.delta": {
        const o = at();
        if (o.item.type !== "function_call" || typeof e.delta !== "string") fail(i, e, "arguments deltas belong to a function_call");
        o.args += e.delta;
        return;
      }
      case "response.function_call_arguments.done": {
        const o = at();
        if (o.item.type !== "function_call") fail(i, e, "arguments.done belongs to a function_call");
        if (e.arguments !== o.args && !(o.args === "" && e.arguments === "{}")) fail(i, e, "arguments.done must equal the deltas'");
        try {
          JSON.parse(e.arguments as string);
        } catch {
          fail(i, e, "arguments must be JSON");
        }
        o.args = e.arguments as string;
        return;
      }
      case "response.output_item.done": {
        if (!open || e.output_index !== open.index) fail(i, e, "output_item.done must close the open item");
        if (open.part) fail(i, e, "a part is still open");
        const item = e.item as OutputItem & Record<string, unknown>;
        if (item.id !== open.item.id || item.type !== open.item.type) fail(i, e, "the done item must be the added one");
        if (item.type === "message" && JSON.stringify(item.content) !== JSON.stringify(open.parts)) fail(i, e, "the message's content must be its parts");
        if (item.type === "reasoning" && JSON.stringify(item.summary) !== JSON.stringify(open.parts)) fail(i, e, "the reasoning summary must be its parts");
        if (item.type === "function_call" && (item.arguments !== open.args || item.call_id !== open.item.call_id || item.status !== "completed")) fail(i, e, "the call must carry its arguments and call_id");
        items.push(item);
        open = null;
        return;
      }
      default: {
        if (!FINAL.has(e.type)) fail(i, e, `unknown event type ${e.type}`);
        if (!inProgress) fail(i, e, "the final event follows response.in_progress");
        if (open) fail(i, e, `item ${open.index} is still open`);
        const r = e.response as ResponseObject;
        if (r.status !== e.type.slice("response.".length)) fail(i, e, "status must match the event");
        if (r.id !== created!.id) fail(i, e, "the response id changed");
        if (JSON.stringify(r.output) !== JSON.stringify(items)) fail(i, e, "the final output must equal the streamed items");
        const u = r.usage;
        if (!u || ![u.input_tokens, u.output_tokens, u.total_tokens, u.input_tokens_details?.cached_tokens, u.output_tokens_details?.reasoning_tokens].every(isCount)) fail(i, e, "usage needs every count");
        if ((r.status === "incomplete") !== (r.incomplete_details !== null)) fail(i, e, "incomplete_details is set exactly when incomplete");
        final = r;
        ended = true;
      }
    }
  });
  if (!ended) throw new Error("Responses stream grammar: the stream ended without a final event");
  if (!final) throw new Error("Responses stream grammar: the stream ended with an error event");
  return final;
}
