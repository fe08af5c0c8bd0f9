// Anthropic's Messages stream grammar, checked event by event (the Anthropic SDKs throw or corrupt
// their snapshot on anything else):
//
//   message_start  (content [], stop_reason null, usage with input_tokens and output_tokens)
//   ( content_block_start(i)  content_block_delta(i)*  content_block_stop(i) )*   i = 0, 1, 2… one open at a time
//   message_delta  (stop_reason, stop_sequence, usage.output_tokens)
//   message_stop
//
// `ping` may appear anywhere after message_start; `error` ends a stream at any point. Deltas match
// their block: text_delta → text; thinking_delta, then one signature_delta → thinking (a thinking
// block ends signed); input_json_delta → tool_use (which starts with `input: {}` and whose JSON, once
// complete, is an object). Returns the message a client accumulates.
import type { AnthropicMessage, MessagesStreamEvent, ResponseBlock } from "@/lib/wire/messages";

const STOP_REASONS = new Set(["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"]);

export interface GrammarOptions {
  /** Extra event types the endpoint may send between message_start and message_stop (e.g. "vecstruct"). */
  extra?: string[];
}

interface OpenBlock {
  index: number;
  block: Record<string, unknown> & { type: string };
  json: string;
  signed: boolean;
}

function fail(i: number, e: unknown, why: string): never {
  throw new Error(`Messages stream grammar: event ${i} (${JSON.stringify(e).slice(0, 300)}): ${why}`);
}

const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

export function assertMessagesGrammar(events: MessagesStreamEvent[], opts: GrammarOptions = {}): AnthropicMessage {
  let message: AnthropicMessage | null = null;
  let open: OpenBlock | null = null;
  let nextIndex = 0;
  let delta = false;
  let stopped = false;
  const extra = new Set(opts.extra ?? []);

  events.forEach((e, i) => {
    const type = (e as { type?: unknown }).type;
    if (stopped) fail(i, e, "nothing may follow message_stop or error");
    if (type === "error") {
      const err = (e as { error?: { type?: unknown; message?: unknown } }).error;
      if (typeof err?.type !== "string" || typeof err.message !== "string") fail(i, e, "an error event carries error.type and error.message");
      stopped = true;
      return;
    }
    if (i === 0 && type !== "message_start") fail(i, e, "the first event must be message_start");
    switch (type) {
      case "message_start": {
        if (message) fail(i, e, "message_start twice");
        const m = (e as Extract<MessagesStreamEvent, { type: "message_start" }>).message;
        if (m.type !== "message" || m.role !== "assistant" || typeof m.id !== "string" || !m.id.startsWith("msg_")) fail(i, e, "message_start.message must be an assistant message with a msg_ id");
        if (!Array.isArray(m.content) || m.content.length !== 0) fail(i, e, "message_start.message.content must be []");
        if (m.stop_reason !== null || m.stop_sequence !== null) fail(i, e, "message_start has no stop_reason / stop_sequence yet");
        if (typeof m.model !== "string" || !m.model) fail(i, e, "message_start.message.model is the model id");
        if (!isCount(m.usage?.input_tokens) || !isCount(m.usage?.output_tokens)) fail(i, e, "message_start.message.usage needs input_tokens and output_tokens");
        message = { ...m, content: [], usage: { ...m.usage } };
        return;
      }
      case "ping":
        return;
      case "content_block_start": {
        if (delta) fail(i, e, "content_block_start after message_delta");
        if (open) fail(i, e, `block ${open.index} is still open (blocks never interleave)`);
        const ev = e as Extract<MessagesStreamEvent, { type: "content_block_start" }>;
        if (ev.index !== nextIndex) fail(i, e, `block index must be ${nextIndex}`);
        const block = ev.content_block as OpenBlock["block"];
        switch (block.type) {
          case "text":
            if (typeof block.text !== "string") fail(i, e, "a text block starts with a string text");
            break;
          case "thinking":
            if (typeof block.thinking !== "string" || typeof block.signature !== "string") fail(i, e, "a thinking block starts with thinking and signature strings");
            break;
          case "redacted_thinking":
            if (typeof block.data !== "string" || !block.data) fail(i, e, "a redacted_thinking block carries data");
            break;
          case "tool_use":
            if (typeof block.id !== "string" || !block.id || typeof block.name !== "string" || !block.name) fail(i, e, "a tool_use block starts with an id and a name");
            if (JSON.stringify(block.input) !== "{}") fail(i, e, "a tool_use block starts with input {}");
            break;
          default:
            fail(i, e, `unknown block type ${block.type}`);
        }
        open = { index: ev.index, block: structuredClone(block), json: "", signed: block.type === "thinking" && block.signature !== "" };
        return;
      }
      case "content_block_delta": {
        const ev = e as Extract<MessagesStreamEvent, { type: "content_block_delta" }>;
        if (!open || ev.index !== open.index) fail(i, e, "a delta must target the open block");
        const d = ev.delta as Record<string, unknown> & { type: string };
        const b = open.block;
        if (d.type === "text_delta" && b.type === "text" && typeof d.text === "string") b.text = (b.text as string) + d.text;
        else if (d.type === "thinking_delta" && b.type === "thinking" && typeof d.thinking === "string") {
          if (open.signed) fail(i, e, "thinking_delta after the block's signature");
          b.thinking = (b.thinking as string) + d.thinking;
        } else if (d.type === "signature_delta" && b.type === "thinking" && typeof d.signature === "string" && d.signature) {
          if (open.signed) fail(i, e, "a thinking block is signed once");
          b.signature = d.signature;
          open.signed = true;
        } else if (d.type === "input_json_delta" && b.type === "tool_use" && typeof d.partial_json === "string") open.json += d.partial_json;
        else fail(i, e, `a ${d.type} does not belong in a ${b.type} block`);
        return;
      }
      case "content_block_stop": {
        const ev = e as Extract<MessagesStreamEvent, { type: "content_block_stop" }>;
        if (!open || ev.index !== open.index) fail(i, e, "content_block_stop must close the open block");
        const b = open.block;
        if (b.type === "thinking" && !open.signed) fail(i, e, "a thinking block must be signed (signature_delta) before it stops");
        if (b.type === "tool_use") {
          let input: unknown = {};
          if (open.json !== "") {
            try {
              input = JSON.parse(open.json);
            } catch {
              fail(i, e, `tool_use input JSON does not parse: ${open.json.slice(0, 200)}`);
            }
          }
          if (typeof input !== "object" || input === null || Array.isArray(input)) fail(i, e, "tool_use input must be a JSON object");
          b.input = input;
        }
        message!.content.push(b as ResponseBlock);
        open = null;
        nextIndex++;
        return;
      }
      case "message_delta": {
        if (open) fail(i, e, `message_delta while block ${open.index} is open`);
        if (delta) fail(i, e, "message_delta twice");
        const ev = e as Extract<MessagesStreamEvent, { type: "message_delta" }>;
        if (!STOP_REASONS.has(ev.delta?.stop_reason as string)) fail(i, e, "message_delta.delta.stop_reason must be one of Anthropic's");
        if (ev.delta.stop_sequence !== null && (ev.delta.stop_reason !== "stop_sequence" || typeof ev.delta.stop_sequence !== "string")) fail(i, e, "stop_sequence is a string only with stop_reason stop_sequence");
        if (ev.delta.stop_reason === "stop_sequence" && typeof ev.delta.stop_sequence !== "string") fail(i, e, "stop_reason stop_sequence names its sequence");
        if (!isCount(ev.usage?.output_tokens)) fail(i, e, "message_delta.usage.output_tokens is required");
        for (const [k, v] of Object.entries(ev.usage)) if (v != null && !isCount(v) && k !== "server_tool_use" && k !== "cache_creation") fail(i, e, `usage.${k} must be a count`);
        message!.stop_reason = ev.delta.stop_reason;
        message!.stop_sequence = ev.delta.stop_sequence;
        message!.usage = { ...message!.usage, ...ev.usage };
        delta = true;
        return;
      }
      case "message_stop":
        if (!delta) fail(i, e, "message_stop before message_delta");
        stopped = true;
        return;
      default:
        if (typeof type === "string" && extra.has(type) && message) return;
        fail(i, e, `unknown event type ${String(type)}`);
    }
  });
  if (!stopped) throw new Error("Messages stream grammar: the stream ended without message_stop or error");
  if (!message) throw new Error("Messages stream grammar: no message_start");
  return message;
}
