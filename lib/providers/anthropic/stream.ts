// Anthropic SSE events → OpenAI chat.completion.chunk objects.
import { z } from "zod";
import { ApiError } from "../../errors";
import type { ChatCompletionChunk, FinishReason, ResponseContext, SseEvent } from "../types";
import { streamErrorMessage } from "./error";
import { mapStopReason } from "./finish-reason";
import { isJsonTool } from "./tools";
import { mergeUsage, toOpenAIUsage } from "./usage";
import type { AnthropicUsage } from "./wire";

type Delta = ChatCompletionChunk["choices"][number]["delta"];

/** What an Anthropic content block (by its index) turns into on our side. */
type Block =
  | { kind: "text" }
  | { kind: "thinking"; thinking: string; signature: string }
  | { kind: "tool"; index: number; input: boolean } // index among this message's tool calls, as OpenAI numbers them
  | { kind: "json"; input: boolean } // the JSON-answer tool: its input streams as content
  | { kind: "other" };

interface State {
  blocks: Map<number, Block>;
  toolCalls: number;
  usage: AnthropicUsage;
  finished: boolean;
}

export function anthropicStreamTransformer(ctx: ResponseContext): TransformStream<SseEvent, ChatCompletionChunk> {
  const state: State = { blocks: new Map(), toolCalls: 0, usage: {}, finished: false };
  const chunk = (delta: Delta, finish: FinishReason | null = null): ChatCompletionChunk => ({
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });

  return new TransformStream({
    transform(event, controller) {
      for (const out of handle(state, event)) controller.enqueue(chunk(out.delta, out.finish));
    },
    flush(controller) {
      // A stream cut before message_delta has no finish_reason: surface it instead of a silent success.
      if (!state.finished) throw new ApiError("upstream_error", "The anthropic upstream stream ended before the message was complete.");
      controller.enqueue({ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model, choices: [], usage: toOpenAIUsage(state.usage) });
    },
  });
}

interface Out {
  delta: Delta;
  finish?: FinishReason | null;
}

function handle(state: State, event: SseEvent): Out[] {
  const data = parse(event.data);
  switch (data.type ?? event.event) {
    case "message_start":
      state.usage = mergeUsage(state.usage, data.message?.usage);
      return [{ delta: { role: "assistant", content: "" } }];
    case "content_block_start":
      return blockStart(state, data.index ?? 0, data.content_block ?? {});
    case "content_block_delta":
      return blockDelta(state.blocks.get(data.index ?? 0), data.delta ?? {});
    case "content_block_stop":
      return blockStop(state.blocks.get(data.index ?? 0));
    case "message_delta": {
      state.usage = mergeUsage(state.usage, data.usage);
      const finish = mapStopReason(data.delta?.stop_reason, state.toolCalls > 0);
      if (!finish) return [];
      state.finished = true;
      return [{ delta: {}, finish }];
    }
    case "error":
      throw new ApiError("upstream_error", streamErrorMessage(data));
    default:
      // ping, message_stop, and event types Anthropic may add later (its docs ask clients to ignore them).
      return [];
  }
}

function blockStart(state: State, index: number, block: RawBlock): Out[] {
  switch (block.type) {
    case "text":
      state.blocks.set(index, { kind: "text" });
      return block.text ? [{ delta: { content: block.text } }] : [];
    case "thinking":
      state.blocks.set(index, { kind: "thinking", thinking: block.thinking ?? "", signature: block.signature ?? "" });
      return block.thinking ? [{ delta: { reasoning_content: block.thinking } }] : [];
    case "redacted_thinking":
      state.blocks.set(index, { kind: "other" });
      return [{ delta: { thinking_blocks: [{ type: "redacted_thinking", data: block.data ?? "" }] } }];
    case "tool_use": {
      if (isJsonTool(block.name ?? "")) {
        state.blocks.set(index, { kind: "json", input: false });
        return [];
      }
      const k = state.toolCalls++;
      state.blocks.set(index, { kind: "tool", index: k, input: false });
      return [{ delta: { tool_calls: [{ index: k, id: block.id ?? "", type: "function", function: { name: block.name ?? "", arguments: "" } }] } }];
    }
    default:
      state.blocks.set(index, { kind: "other" });
      return [];
  }
}

function blockDelta(block: Block | undefined, delta: RawDelta): Out[] {
  if (!block) return [];
  if (delta.type === "text_delta" && block.kind === "text" && delta.text) return [{ delta: { content: delta.text } }];
  if (block.kind === "thinking") {
    if (delta.type === "thinking_delta" && delta.thinking) {
      block.thinking += delta.thinking;
      return [{ delta: { reasoning_content: delta.thinking } }];
    }
    if (delta.type === "signature_delta" && delta.signature) block.signature += delta.signature;
    return [];
  }
  if (delta.type === "input_json_delta" && delta.partial_json && (block.kind === "json" || block.kind === "tool")) {
    block.input = true;
    return [inputDelta(block, delta.partial_json)];
  }
  return [];
}

function inputDelta(block: Extract<Block, { kind: "json" | "tool" }>, json: string): Out {
  return block.kind === "json" ? { delta: { content: json } } : { delta: { tool_calls: [{ index: block.index, function: { arguments: json } }] } };
}

function blockStop(block: Block | undefined): Out[] {
  // A call without arguments streams no JSON at all; OpenAI clients parse the arguments, so send "{}".
  if ((block?.kind === "tool" || block?.kind === "json") && !block.input) return [inputDelta(block, "{}")];
  // A finished thinking block goes out whole with its signature, so a client can send it back (messages.ts).
  if (block?.kind !== "thinking" || block.signature === "") return [];
  return [{ delta: { thinking_blocks: [{ type: "thinking", thinking: block.thinking, signature: block.signature }] } }];
}

// One stream event, loosely: what handle() reads is checked (usage and error are read by hand in
// usage.ts and error.ts); event types and fields Anthropic adds later pass through unread.
const text = z.string().optional();
const rawBlock = z.looseObject({ type: text, text, thinking: text, signature: text, data: text, id: text, name: text });
const rawDelta = z.looseObject({ type: text, text, thinking: text, signature: text, partial_json: text, stop_reason: z.string().nullish() });
const rawEvent = z.looseObject({
  type: text,
  index: z.number().optional(),
  message: z.looseObject({ usage: z.unknown().optional() }).optional(),
  content_block: rawBlock.optional(),
  delta: rawDelta.optional(),
  usage: z.unknown().optional(),
  error: z.unknown().optional(),
});
type RawBlock = z.infer<typeof rawBlock>;
type RawDelta = z.infer<typeof rawDelta>;
type RawEvent = z.infer<typeof rawEvent>;

function parse(data: string): RawEvent {
  try {
    const parsed = rawEvent.safeParse(JSON.parse(data));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: fall through
  }
  throw new ApiError("upstream_error", "The anthropic upstream sent a stream event this gateway could not read.");
}
