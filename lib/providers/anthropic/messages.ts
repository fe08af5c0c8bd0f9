// OpenAI messages → Anthropic `system` + alternating user/assistant turns.
import { ApiError } from "../../errors";
import type { ChatMessage } from "../../wire/chat";
import { contentBlocks, rejectUnknownKeys, warn } from "./content";
import type { AnthropicMessage, ContentBlock, TextBlock, ThinkingBlockOut, ToolResultBlock, ToolUseBlock } from "./wire";

type Message<R extends ChatMessage["role"]> = Extract<ChatMessage, { role: R }>;

export interface ConvertedMessages {
  system: TextBlock[];
  messages: AnthropicMessage[];
}

interface Turn extends AnthropicMessage {
  path: string; // the first OpenAI message in the turn, for error messages
}

export function convertMessages(messages: ChatMessage[], warnings: string[]): ConvertedMessages {
  const system: TextBlock[] = [];
  const turns: Turn[] = [];
  const named: string[] = [];

  messages.forEach((msg, i) => {
    const path = `messages[${i}]`;
    if (typeof msg.name === "string" && msg.role !== "tool") named.push(path);
    switch (msg.role) {
      case "system":
      case "developer":
        // Anthropic has one top-level system prompt; instructions given mid-conversation join it in order.
        rejectUnknownKeys(msg, ["role", "content", "name"], path);
        system.push(...(contentBlocks(msg.content, path, { images: false, refusals: false, role: msg.role }, warnings) as TextBlock[]));
        return;
      case "user":
        rejectUnknownKeys(msg, ["role", "content", "name"], path);
        return append(turns, "user", contentBlocks(msg.content, path, { images: true, refusals: false, role: "user" }, warnings), path);
      case "assistant":
        return append(turns, "assistant", assistantBlocks(msg, path, warnings), path);
      case "tool":
        return append(turns, "user", [toolResult(msg, path, warnings)], path);
    }
  });

  if (named.length > 0) warn(warnings, `Message names are not supported by Anthropic and were ignored (${named.join(", ")}).`);
  if (turns.length === 0) {
    throw new ApiError("invalid_value", "Anthropic needs at least one user, assistant or tool message besides system messages.", { param: "messages" });
  }
  return { system, messages: turns.map(finishTurn) };
}

// Anthropic wants strictly alternating roles, so consecutive same-role messages become one turn
// (several tool results, or tool results followed by the user's next words, share a user turn).
function append(turns: Turn[], role: Turn["role"], blocks: ContentBlock[], path: string): void {
  // An assistant message with nothing in it carries no information and Anthropic rejects empty turns.
  if (role === "assistant" && blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: [...blocks], path });
}

function finishTurn(turn: Turn): AnthropicMessage {
  if (turn.content.length === 0) throw new ApiError("invalid_value", "Message content must not be empty for Anthropic.", { param: `${turn.path}.content` });
  if (turn.role === "assistant") return { role: "assistant", content: turn.content };
  // Anthropic requires a user turn's tool_result blocks to come before any other content.
  const results = turn.content.filter((b) => b.type === "tool_result");
  return { role: "user", content: [...results, ...turn.content.filter((b) => b.type !== "tool_result")] };
}

function assistantBlocks(msg: Message<"assistant">, path: string, warnings: string[]): ContentBlock[] {
  // `annotations` are OpenAI response metadata (URL citations) an SDK may echo back; nothing to send.
  rejectUnknownKeys(msg, ["role", "content", "name", "tool_calls", "reasoning_content", "refusal", "thinking_blocks", "annotations"], path);
  const blocks: ContentBlock[] = [...thinkingBlocks(msg.thinking_blocks, path)];
  blocks.push(...contentBlocks(msg.content, path, { images: false, refusals: true, role: "assistant" }, warnings));
  if (!blocks.some((b) => b.type === "text") && msg.refusal) blocks.push({ type: "text", text: msg.refusal });
  msg.tool_calls?.forEach((call, j) => blocks.push(toolUse(call, `${path}.tool_calls[${j}]`)));
  return blocks;
}

/**
 * Earlier reasoning goes back to Anthropic only as signed blocks (`thinking_blocks`, which our
 * responses carry). A bare `reasoning_content` has no signature and Anthropic verifies them, so it is
 * not sent; Anthropic drops earlier turns' thinking from the context anyway.
 */
function thinkingBlocks(value: unknown, path: string): ThinkingBlockOut[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw new ApiError("invalid_value", "thinking_blocks must be an array.", { param: `${path}.thinking_blocks` });
  return value.map((raw: unknown, j) => {
    const b = (raw ?? {}) as Record<string, unknown>;
    if (b.type === "thinking" && typeof b.thinking === "string" && typeof b.signature === "string" && b.signature !== "") {
      return { type: "thinking", thinking: b.thinking, signature: b.signature };
    }
    if (b.type === "redacted_thinking" && typeof b.data === "string") return { type: "redacted_thinking", data: b.data };
    throw new ApiError(
      "invalid_value",
      'A thinking block is {"type": "thinking", "thinking", "signature"} or {"type": "redacted_thinking", "data"}, as returned by this gateway.',
      { param: `${path}.thinking_blocks[${j}]` },
    );
  });
}

function toolUse(call: NonNullable<Message<"assistant">["tool_calls"]>[number], path: string): ToolUseBlock {
  const raw = call.function.arguments.trim();
  let input: unknown;
  try {
    // Some clients record a call without arguments as "", which means "no arguments".
    input = raw === "" ? {} : JSON.parse(raw);
  } catch {
    input = undefined;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ApiError("invalid_value", "Tool call arguments must be a JSON object (Anthropic stores them parsed).", {
      param: `${path}.function.arguments`,
    });
  }
  return { type: "tool_use", id: call.id, name: call.function.name, input: input as Record<string, unknown> };
}

function toolResult(msg: Message<"tool">, path: string, warnings: string[]): ToolResultBlock {
  // `name` on a tool message repeats the function name; the tool_call_id already identifies the call.
  rejectUnknownKeys(msg, ["role", "content", "tool_call_id", "name"], path);
  const content = contentBlocks(msg.content, path, { images: true, refusals: false, role: "tool" }, warnings);
  const block: ToolResultBlock = { type: "tool_result", tool_use_id: msg.tool_call_id };
  if (content.length > 0) block.content = content;
  return block;
}
