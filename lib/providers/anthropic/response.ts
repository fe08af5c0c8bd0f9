// Anthropic message (non-streaming) → OpenAI chat.completion.
import { z } from "zod";
import { ApiError } from "../../errors";
import type { ChatCompletion, ResponseContext, ToolCall } from "../types";
import { mapStopReason } from "./finish-reason";
import { isJsonTool } from "./tools";
import { toOpenAIUsage } from "./usage";
import type { ThinkingBlockOut } from "./wire";

const count = z.number().nullish();
const messageSchema = z.looseObject({
  type: z.literal("message"),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullish(),
  usage: z.looseObject({ input_tokens: count, output_tokens: count, cache_creation_input_tokens: count, cache_read_input_tokens: count }),
});

// Block types this adapter can receive; server-tool blocks never come back because we never send those tools.
const blockSchemas = {
  text: z.looseObject({ text: z.string() }),
  thinking: z.looseObject({ thinking: z.string(), signature: z.string().default("") }),
  redacted_thinking: z.looseObject({ data: z.string() }),
  tool_use: z.looseObject({ id: z.string(), name: z.string(), input: z.unknown() }),
};

const unexpected = () => new ApiError("upstream_error", "The anthropic upstream returned a response this gateway could not read.");

export function parseAnthropicResponse(body: unknown, ctx: ResponseContext): ChatCompletion {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) throw unexpected();
  const msg = parsed.data;

  let text = "";
  let reasoning = "";
  const thinkingBlocks: ThinkingBlockOut[] = [];
  const toolCalls: ToolCall[] = [];
  for (const raw of msg.content) {
    if (raw.type === "text") text += read(blockSchemas.text, raw).text;
    else if (raw.type === "thinking") {
      const b = read(blockSchemas.thinking, raw);
      reasoning += b.thinking;
      thinkingBlocks.push({ type: "thinking", thinking: b.thinking, signature: b.signature });
    } else if (raw.type === "redacted_thinking") thinkingBlocks.push({ type: "redacted_thinking", data: read(blockSchemas.redacted_thinking, raw).data });
    else if (raw.type === "tool_use") {
      const b = read(blockSchemas.tool_use, raw);
      // The JSON-answer tool's input is the answer itself (see tools.ts).
      if (isJsonTool(b.name)) text += JSON.stringify(b.input ?? {});
      else toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    }
  }

  const message: ChatCompletion["choices"][number]["message"] = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning !== "") message.reasoning_content = reasoning;
  if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, finish_reason: mapStopReason(msg.stop_reason, toolCalls.length > 0) ?? "stop", logprobs: null }],
    usage: toOpenAIUsage(msg.usage),
  };
}

function read<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw unexpected();
  return parsed.data;
}
