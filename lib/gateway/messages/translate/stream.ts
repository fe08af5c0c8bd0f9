// OpenAI chunks (what every adapter streams) → Anthropic Messages events, in Anthropic's grammar:
// message_start, then one block at a time (start, deltas, stop; never interleaved), message_delta,
// message_stop. Upstreams may interleave parallel tool calls (and, in theory, text) by index, so
// anything that arrives while a tool call's arguments are still incomplete JSON waits in order.
import { ApiError } from "../../../errors";
import type { ChatCompletionChunk, FinishReason, ToolCallDelta, Usage } from "../../../providers/types";
import type { MessagesStreamEvent, MessagesUsage } from "../../../wire/messages";
import { matchedStop, parseInput, reasoningOf, toStopReason, usageToAnthropic } from "./response";
import { mintSignature } from "./signature";

export interface StreamContext {
  id: string;
  model: string;
  /** Estimate for message_start (the upstream's count comes in message_delta). */
  inputTokens: number;
  /** Used when the upstream gave no usage. */
  outputEstimate: () => number;
  omitThinking?: boolean;
  stopSequences?: string[];
}

type TextKind = "text" | "thinking";
interface ToolState {
  k: number;
  id?: string;
  name?: string;
  args: string;
  state: "new" | "queued" | "open" | "closed";
}
type Open = { kind: TextKind; index: number; text: string } | { kind: "tool"; index: number; tool: ToolState };
type Pending = { kind: TextKind; text: string } | { kind: "tool"; tool: ToolState };

export function encodeMessagesEvent(e: MessagesStreamEvent): string {
  return `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export function messagesStreamTransformer(ctx: StreamContext): TransformStream<ChatCompletionChunk, MessagesStreamEvent> {
  let out: TransformStreamDefaultController<MessagesStreamEvent>;
  let started = false;
  let next = 0;
  let open: Open | null = null;
  const pending: Pending[] = [];
  const tools = new Map<number, ToolState>();
  let finish: FinishReason | null = null;
  let matched: unknown;
  let usage: Usage | null = null;

  const emit = (e: MessagesStreamEvent) => out.enqueue(e);
  const start = () => {
    if (started) return;
    started = true;
    emit({
      type: "message_start",
      message: {
        id: ctx.id,
        type: "message",
        role: "assistant",
        model: ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: ctx.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
      },
    });
  };

  const complete = (t: ToolState) => {
    try {
      const v: unknown = JSON.parse(t.args);
      return typeof v === "object" && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  };
  const blocked = () => (open?.kind === "tool" && !complete(open.tool)) || pending.length > 0;

  const close = () => {
    if (!open) return;
    const o = open;
    open = null;
    if (o.kind === "thinking") {
      emit({ type: "content_block_delta", index: o.index, delta: { type: "signature_delta", signature: mintSignature(ctx.omitThinking ? o.text : undefined) } });
    } else if (o.kind === "tool") {
      o.tool.state = "closed";
      parseInput(o.tool.args, o.tool.name ?? ""); // a call whose arguments are not a JSON object fails the stream
    }
    emit({ type: "content_block_stop", index: o.index });
  };

  const write = (kind: TextKind, text: string) => {
    if (open?.kind !== kind) {
      close();
      open = { kind, index: next++, text: "" };
      emit({ type: "content_block_start", index: open.index, content_block: kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" } });
    }
    open.text += text;
    if (kind === "text") emit({ type: "content_block_delta", index: open.index, delta: { type: "text_delta", text } });
    else if (!ctx.omitThinking) emit({ type: "content_block_delta", index: open.index, delta: { type: "thinking_delta", thinking: text } });
  };

  const startTool = (t: ToolState) => {
    close();
    t.state = "open";
    const index = next++;
    open = { kind: "tool", index, tool: t };
    const id = t.id || `toolu_${ctx.id.replace(/^msg_/, "")}_${t.k}`;
    emit({ type: "content_block_start", index, content_block: { type: "tool_use", id, name: t.name ?? "", input: {} } });
    emit({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
    if (t.args) emit({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: t.args } });
  };

  /** Start what waited, in arrival order, as far as the open tool call allows. */
  const progress = () => {
    while (pending.length > 0 && !(open?.kind === "tool" && !complete(open.tool))) {
      const item = pending.shift()!;
      if (item.kind === "tool") startTool(item.tool);
      else write(item.kind, item.text);
    }
  };

  const pushText = (kind: TextKind, text: string) => {
    if (!text) return;
    progress();
    if (!blocked()) return write(kind, text);
    const last = pending.at(-1);
    if (last && last.kind === kind) last.text += text;
    else pending.push({ kind, text });
  };

  const pushTool = (d: ToolCallDelta) => {
    let t = tools.get(d.index);
    if (!t) {
      t = { k: d.index, args: "", state: "new" };
      tools.set(d.index, t);
    }
    if (d.id && !t.id) t.id = d.id;
    if (d.function?.name && !t.name) t.name = d.function.name;
    const args = d.function?.arguments ?? "";
    switch (t.state) {
      case "open":
        t.args += args;
        if (args) emit({ type: "content_block_delta", index: open!.index, delta: { type: "input_json_delta", partial_json: args } });
        return;
      case "queued":
        t.args += args;
        return;
      case "closed":
        if (args.trim()) throw new ApiError("upstream_error", "The upstream sent more arguments for a tool call after its arguments were complete.");
        return;
      case "new":
        t.args += args;
        progress();
        if (blocked()) {
          t.state = "queued";
          pending.push({ kind: "tool", tool: t });
        } else startTool(t);
    }
  };

  return new TransformStream<ChatCompletionChunk, MessagesStreamEvent>({
    start(controller) {
      out = controller;
    },
    transform(chunk) {
      // message_start waits for the first chunk, so the endpoint can still retry or fall back before it.
      start();
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return;
      const delta = choice.delta ?? {};
      pushText("thinking", reasoningOf(delta) ?? "");
      pushText("text", typeof delta.content === "string" ? delta.content : "");
      pushText("text", typeof delta.refusal === "string" ? delta.refusal : "");
      for (const call of delta.tool_calls ?? []) pushTool(call);
      if (choice.finish_reason) {
        finish = choice.finish_reason;
        matched = matchedStop(choice as unknown as Record<string, unknown>);
      }
    },
    flush() {
      start();
      // Blocks are closed here rather than at finish_reason: some upstreams send content after it.
      close();
      while (pending.length > 0) {
        const item = pending.shift()!;
        if (item.kind === "tool") startTool(item.tool);
        else write(item.kind, item.text);
        close();
      }
      const stop = toStopReason(finish, matched, ctx.stopSequences, tools.size > 0);
      const final: Partial<MessagesUsage> & { output_tokens: number } = usage ? usageToAnthropic(usage) : { output_tokens: ctx.outputEstimate() };
      emit({ type: "message_delta", delta: stop, usage: final });
      emit({ type: "message_stop" });
    },
  });
}
