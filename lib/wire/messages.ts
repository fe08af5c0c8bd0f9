// The /v1/messages request (Anthropic Messages), with Anthropic's semantics and ranges (DESIGN §1
// "Three front doors"). Loose objects everywhere: an Anthropic upstream receives the body unchanged
// (unknown and beta fields included), and a translating path rejects what it cannot honour by name.
import { z } from "zod";
import { fallbackModels, providerPreferences } from "../tenancy/routing-prefs";
import { MAX_MODEL_ID } from "../catalog/model-id";
import { vecstructExtension } from "./chat";

const cacheControl = z.looseObject({ type: z.string() }).nullish();

export const textBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: cacheControl, citations: z.array(z.unknown()).nullish() });

const imageSource = z.union([
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);
export const imageBlock = z.looseObject({ type: z.literal("image"), source: imageSource, cache_control: cacheControl });
export const documentBlock = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.unknown().optional(),
  cache_control: cacheControl,
});
export const toolUseBlock = z.looseObject({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1), input: z.unknown(), cache_control: cacheControl });
export const toolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
export const thinkingBlock = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() });
export const redactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });
/** Server tools' blocks, search results, containers…: accepted here, passed to Anthropic, rejected by name when translated. */
const otherBlock = z.looseObject({ type: z.string() });

export const contentBlock = z.union([textBlock, imageBlock, documentBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock, otherBlock]);
const content = z.union([z.string(), z.array(contentBlock)]);

export const messagesMessage = z.looseObject({
  // "system" inside messages: the 2026 API accepts it under a beta, and Claude Code sends it.
  role: z.enum(["user", "assistant", "system"]),
  content,
});

export const messagesTool = z.union([
  z.looseObject({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()),
    type: z.literal("custom").optional(),
    cache_control: cacheControl,
  }),
  // Server tools (web_search_20250305, bash_20250124, tool_search…) carry a versioned `type`.
  z.looseObject({ type: z.string(), name: z.string().min(1) }),
]);

export const messagesToolChoice = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("tool"), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("none") }),
]);

export const thinkingConfig = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1) }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  messages: z.array(messagesMessage).min(1),
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  tools: z.array(messagesTool).optional(),
  tool_choice: messagesToolChoice.optional(),
  thinking: thinkingConfig.optional(),
  output_config: z.looseObject({ effort: z.enum(["low", "medium", "high", "max"]).optional() }).optional(),
  // OpenRouter's routing fields, as on chat (never sent upstream).
  models: fallbackModels.optional(),
  provider: providerPreferences.optional(),
  vecstruct: vecstructExtension.optional(),
});

/** /v1/messages/count_tokens: the same request without max_tokens (Anthropic's shape). */
export const countTokensRequestSchema = messagesRequestSchema.omit({ max_tokens: true, stream: true }).extend({ max_tokens: z.number().int().min(1).optional() });

export type MessagesRequestWithExtension = z.infer<typeof messagesRequestSchema>;
/** What an upstream path sees: the Anthropic request without our extension and routing fields. */
export const messagesRequestWithoutExtension = messagesRequestSchema.omit({ vecstruct: true, models: true, provider: true });
// Inferred from the omitted schema: `Omit<>` over a loose object's type collapses to its index signature.
export type MessagesRequest = z.infer<typeof messagesRequestWithoutExtension>;
export type MessagesMessage = z.infer<typeof messagesMessage>;
export type ContentBlock = z.infer<typeof contentBlock>;
export type MessagesTool = z.infer<typeof messagesTool>;

/** Fields this schema knows; anything else is an "extra" a translating path must handle by name. */
export const KNOWN_MESSAGES_FIELDS = new Set(Object.keys(messagesRequestSchema.shape));

// ---- The response side (what /v1/messages answers), as Anthropic defines it.

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [k: string]: unknown;
}

export type ResponseBlock =
  | { type: "text"; text: string; [k: string]: unknown }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface AnthropicMessage {
  id: string; // msg_…
  type: "message";
  role: "assistant";
  model: string; // the id the client asked for
  content: ResponseBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: MessagesUsage;
  [k: string]: unknown;
}

/** One SSE event of a Messages stream: `event: <type>` with `data: <the object>`. */
export type MessagesStreamEvent =
  | { type: "message_start"; message: AnthropicMessage }
  | { type: "content_block_start"; index: number; content_block: ResponseBlock }
  | {
      type: "content_block_delta";
      index: number;
      delta:
        | { type: "text_delta"; text: string }
        | { type: "input_json_delta"; partial_json: string }
        | { type: "thinking_delta"; thinking: string }
        | { type: "signature_delta"; signature: string };
    }
  | { type: "content_block_stop"; index: number }
  | { type: "message_delta"; delta: { stop_reason: StopReason | null; stop_sequence: string | null }; usage: Partial<MessagesUsage> & { output_tokens: number } }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: { type: string; message: string } };
