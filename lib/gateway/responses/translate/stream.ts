// OpenAI chunks (what every adapter streams) → Responses stream events, in OpenAI's order:
// response.created, response.in_progress, then one output item at a time (output_item.added, its
// parts and deltas, output_item.done), then response.completed or response.incomplete, each with a
// monotonic sequence_number. Upstreams may interleave parallel tool calls (and, in theory, text) by
// index, so anything that arrives while a call's arguments are still incomplete JSON waits in order.
import { ApiError } from "../../../errors";
import type { ChatCompletionChunk, FinishReason, ToolCallDelta, Usage } from "../../../providers/types";
import type { OutputItem, ResponseObject, ResponsesStreamEvent } from "../../../wire/responses";
import type { ThinkingBlock } from "./reasoning";
import { thinkingBlocksOf } from "./reasoning";
import { estimatedUsage, functionCall, itemId, reasoningItem, reasoningOf, responseObject, statusOf, usageToResponses, type ResponseContext } from "./response";

export type StreamContext = ResponseContext & {
  inputTokens: number | (() => number);
  outputEstimate: () => number;
  /**
   * The next sequence_number, shared with the endpoint: a stream that fails after it started ends
   * with responsesErrorEvent(error, counter), numbered after the last event sent.
   */
  counter?: SequenceCounter;
};

export interface SequenceCounter {
  next: number;
}

type TextKind = "text" | "refusal" | "reasoning";
interface ToolState {
  k: number;
  id?: string;
  name?: string;
  args: string;
  state: "new" | "queued" | "open" | "closed";
}
type Open = { kind: TextKind; index: number; id: string; text: string; blocks: ThinkingBlock[] } | { kind: "tool"; index: number; id: string; tool: ToolState };
type Pending = { kind: TextKind; text: string; blocks?: ThinkingBlock[] } | { kind: "tool"; tool: ToolState };
/** Events without their sequence_number (the emitter numbers them). */
type Unnumbered = ResponsesStreamEvent extends infer E ? (E extends unknown ? Omit<E, "sequence_number"> : never) : never;

/** The last event of a stream that failed after it started (OpenAI's `error` event). */
export function responsesErrorEvent(error: { code: string; message: string; param?: string | null }, counter: SequenceCounter): ResponsesStreamEvent {
  return { type: "error", code: error.code, message: error.message, param: error.param ?? null, sequence_number: counter.next++ };
}

export function encodeResponsesEvent(e: ResponsesStreamEvent): string {
  return `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export function responsesStreamTransformer(ctx: StreamContext): TransformStream<ChatCompletionChunk, ResponsesStreamEvent> {
  let out: TransformStreamDefaultController<ResponsesStreamEvent>;
  const counter = ctx.counter ?? { next: 0 };
  let started = false;
  let open: Open | null = null;
  const done: OutputItem[] = [];
  const pending: Pending[] = [];
  const tools = new Map<number, ToolState>();
  let finish: FinishReason | null = null;
  let usage: Usage | null = null;

  const emit = (e: Unnumbered) => out.enqueue({ ...e, sequence_number: counter.next++ } as ResponsesStreamEvent);
  const start = () => {
    if (started) return;
    started = true;
    const response = responseObject(ctx, "in_progress", []);
    emit({ type: "response.created", response });
    emit({ type: "response.in_progress", response });
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

  const close = (status: "completed" | "incomplete" = "completed") => {
    if (!open) return;
    const o = open;
    open = null;
    const at = { item_id: o.id, output_index: o.index };
    let item: OutputItem;
    if (o.kind === "tool") {
      o.tool.state = "closed";
      const name = o.tool.name ?? "";
      const args = o.tool.args.trim() === "" ? "{}" : o.tool.args;
      // A call whose arguments are not a JSON object fails the stream (the endpoint sends `error`).
      if (!complete({ ...o.tool, args })) throw new ApiError("upstream_error", `The upstream returned arguments for tool '${name}' that are not a JSON object.`);
      item = functionCall(ctx, o.id, callId(o.tool), name, args, "completed");
      emit({ type: "response.function_call_arguments.done", ...at, arguments: args, name: item.name });
    } else if (o.kind === "reasoning") {
      if (o.text) {
        const part = { type: "summary_text" as const, text: o.text };
        emit({ type: "response.reasoning_summary_text.done", ...at, summary_index: 0, text: o.text });
        emit({ type: "response.reasoning_summary_part.done", ...at, summary_index: 0, part });
      }
      item = reasoningItem(ctx, o.index, o.text, o.blocks);
    } else if (o.kind === "text") {
      const part = { type: "output_text" as const, text: o.text, annotations: [], logprobs: [] };
      emit({ type: "response.output_text.done", ...at, content_index: 0, text: o.text, logprobs: [] });
      emit({ type: "response.content_part.done", ...at, content_index: 0, part });
      item = { type: "message", id: o.id, role: "assistant", status, content: [part] };
    } else {
      const part = { type: "refusal" as const, refusal: o.text };
      emit({ type: "response.refusal.done", ...at, content_index: 0, refusal: o.text });
      emit({ type: "response.content_part.done", ...at, content_index: 0, part });
      item = { type: "message", id: o.id, role: "assistant", status, content: [part] };
    }
    emit({ type: "response.output_item.done", output_index: o.index, item });
    done.push(item);
  };

  const callId = (t: ToolState) => t.id || `call_${ctx.id.replace(/^resp_/, "")}_${t.k}`;

  const openText = (kind: TextKind) => {
    close();
    const index = done.length;
    const id = itemId(ctx, kind === "reasoning" ? "rs" : "msg", index);
    open = { kind, index, id, text: "", blocks: [] };
    const at = { item_id: id, output_index: index };
    if (kind === "reasoning") {
      emit({ type: "response.output_item.added", output_index: index, item: { type: "reasoning", id, summary: [] } });
      return open;
    }
    emit({ type: "response.output_item.added", output_index: index, item: { type: "message", id, role: "assistant", status: "in_progress", content: [] } });
    emit({ type: "response.content_part.added", ...at, content_index: 0, part: kind === "text" ? { type: "output_text", text: "", annotations: [], logprobs: [] } : { type: "refusal", refusal: "" } });
    return open;
  };

  const write = (kind: TextKind, text: string) => {
    const o = open?.kind === kind ? open : openText(kind);
    const at = { item_id: o.id, output_index: o.index };
    if (kind === "reasoning") {
      if (o.text === "") emit({ type: "response.reasoning_summary_part.added", ...at, summary_index: 0, part: { type: "summary_text", text: "" } });
      emit({ type: "response.reasoning_summary_text.delta", ...at, summary_index: 0, delta: text });
    } else if (kind === "text") emit({ type: "response.output_text.delta", ...at, content_index: 0, delta: text, logprobs: [] });
    else emit({ type: "response.refusal.delta", ...at, content_index: 0, delta: text });
    (o as { text: string }).text += text;
  };

  const startTool = (t: ToolState) => {
    close();
    t.state = "open";
    const index = done.length;
    const id = itemId(ctx, "fc", index);
    open = { kind: "tool", index, id, tool: t };
    emit({ type: "response.output_item.added", output_index: index, item: functionCall(ctx, id, callId(t), t.name ?? "", "", "in_progress") });
    if (t.args) emit({ type: "response.function_call_arguments.delta", item_id: id, output_index: index, delta: t.args });
  };

  const dequeue = (item: Pending) => {
    if (item.kind === "tool") return startTool(item.tool);
    if (item.text) write(item.kind, item.text);
    if (item.blocks) attachBlocks(item.blocks);
  };

  /** Start what waited, in arrival order, as far as the open tool call allows. */
  const progress = () => {
    while (pending.length > 0 && !(open?.kind === "tool" && !complete(open.tool))) dequeue(pending.shift()!);
  };

  const pushText = (kind: TextKind, text: string) => {
    if (!text) return;
    progress();
    if (!blocked()) return write(kind, text);
    const last = pending.at(-1);
    if (last && last.kind === kind) last.text += text;
    else pending.push({ kind, text });
  };

  const attachBlocks = (blocks: ThinkingBlock[]) => {
    const o = open?.kind === "reasoning" ? open : openText("reasoning");
    (o as { blocks: ThinkingBlock[] }).blocks.push(...blocks);
  };

  /** Anthropic's signed thinking blocks (they arrive whole, at the end of their block) join the reasoning item. */
  const pushBlocks = (blocks: ThinkingBlock[]) => {
    if (blocks.length === 0) return;
    progress();
    if (!blocked()) return attachBlocks(blocks);
    const last = pending.at(-1);
    if (last?.kind === "reasoning") (last.blocks ??= []).push(...blocks);
    else pending.push({ kind: "reasoning", text: "", blocks });
  };

  // Some servers (Mistral-style) send whole calls without `index`: the id tells them apart.
  const indexOf = (d: ToolCallDelta): number => {
    if (typeof d.index === "number") return d.index;
    const known = [...tools.values()].find((t) => d.id && t.id === d.id) ?? (d.id ? undefined : [...tools.values()].at(-1));
    return known?.k ?? tools.size;
  };

  const pushTool = (d: ToolCallDelta) => {
    const k = indexOf(d);
    let t = tools.get(k);
    if (!t) {
      t = { k, args: "", state: "new" };
      tools.set(k, t);
    }
    if (d.id && !t.id) t.id = d.id;
    if (d.function?.name && !t.name) t.name = d.function.name;
    const args = d.function?.arguments ?? "";
    switch (t.state) {
      case "open":
        t.args += args;
        if (args) emit({ type: "response.function_call_arguments.delta", item_id: open!.id, output_index: open!.index, delta: args });
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

  return new TransformStream<ChatCompletionChunk, ResponsesStreamEvent>({
    start(controller) {
      out = controller;
    },
    transform(chunk) {
      // response.created waits for the first chunk, so the endpoint can still retry or fall back before it.
      start();
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return;
      const delta = choice.delta ?? {};
      pushText("reasoning", reasoningOf(delta) ?? "");
      pushBlocks(thinkingBlocksOf(delta));
      pushText("text", typeof delta.content === "string" ? delta.content : "");
      pushText("refusal", typeof delta.refusal === "string" ? delta.refusal : "");
      for (const call of delta.tool_calls ?? []) pushTool(call);
      if (choice.finish_reason) finish = choice.finish_reason;
    },
    flush() {
      start();
      const { status, incomplete_details } = statusOf(finish);
      const itemStatus = status === "completed" ? "completed" : "incomplete";
      // Items are closed here rather than at finish_reason: some upstreams send content after it.
      close(itemStatus);
      while (pending.length > 0) {
        dequeue(pending.shift()!);
        close(itemStatus);
      }
      const final: ResponseObject = responseObject(ctx, status, done, { incomplete_details, usage: usage ? usageToResponses(usage) : estimatedUsage(ctx) });
      emit({ type: status === "completed" ? "response.completed" : "response.incomplete", response: final });
    },
  });
}
