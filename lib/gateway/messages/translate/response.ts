// An OpenAI chat.completion (what every adapter returns) → an Anthropic message.
import { ApiError } from "../../../errors";
import type { ChatCompletion, FinishReason, Usage } from "../../../providers/types";
import type { AnthropicMessage, MessagesUsage, ResponseBlock, StopReason } from "../../../wire/messages";
import { mintSignature } from "./signature";

export interface MessageContext {
  id: string; // msg_…
  model: string; // the id the client asked for
  /** `thinking.display: "omitted"`: thinking blocks carry no text (it rides in the signature). */
  omitThinking?: boolean;
  /** The request's stop_sequences: a matched one the upstream names is reported as stop_sequence. */
  stopSequences?: string[];
  /** Used only when the upstream reported no usage. */
  inputTokens?: number;
  outputEstimate?: () => number;
}

/** Anthropic counts cache reads apart from input_tokens; OpenAI counts them inside prompt_tokens. */
export function usageToAnthropic(u: Usage): MessagesUsage {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, u.prompt_tokens - cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: u.completion_tokens,
  };
}

/** `matched` is what the upstream says stopped it (vLLM `stop_reason`, SGLang `matched_stop`), when it says. */
export function toStopReason(finish: FinishReason | null, matched: unknown, stopSequences: string[] | undefined, toolCalls: boolean): { stop_reason: StopReason; stop_sequence: string | null } {
  switch (finish) {
    case "length":
      return { stop_reason: "max_tokens", stop_sequence: null };
    case "tool_calls":
    case "function_call":
      return { stop_reason: "tool_use", stop_sequence: null };
    case "content_filter":
      return { stop_reason: "refusal", stop_sequence: null };
    default:
      if (typeof matched === "string" && matched !== "" && (!stopSequences || stopSequences.includes(matched))) {
        return { stop_reason: "stop_sequence", stop_sequence: matched };
      }
      // Some servers end a tool call turn with "stop"; Anthropic clients look for tool_use.
      return { stop_reason: toolCalls ? "tool_use" : "end_turn", stop_sequence: null };
  }
}

/** The stop string an upstream names, where it names one. */
export function matchedStop(choice: Record<string, unknown>): unknown {
  return choice.stop_reason ?? choice.matched_stop;
}

/** reasoning_content (DeepSeek, our Gemini adapter), or `reasoning` (OpenRouter, newer vLLM). */
export function reasoningOf(o: Record<string, unknown>): string | undefined {
  const r = o.reasoning_content ?? o.reasoning;
  return typeof r === "string" ? r : undefined;
}

export function thinkingBlock(text: string, omit: boolean | undefined): ResponseBlock {
  return omit ? { type: "thinking", thinking: "", signature: mintSignature(text) } : { type: "thinking", thinking: text, signature: mintSignature() };
}

/** Tool arguments → the parsed input Anthropic clients expect; "" means no arguments. */
export function parseInput(args: string, name: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  let input: unknown;
  try {
    input = JSON.parse(args);
  } catch {
    input = undefined;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    // Like Gemini's MALFORMED_FUNCTION_CALL: a 502, which the SDKs and the gateway's fallbacks retry.
    throw new ApiError("upstream_error", `The upstream returned arguments for tool '${name}' that are not a JSON object.`);
  }
  return input as Record<string, unknown>;
}

export function toAnthropicMessage(completion: ChatCompletion, ctx: MessageContext): AnthropicMessage {
  const choice = completion.choices.find((c) => c.index === 0) ?? completion.choices[0];
  if (!choice) throw new ApiError("upstream_error", "The upstream returned no choices.");
  const message = choice.message;
  const content: ResponseBlock[] = [];
  const reasoning = reasoningOf(message);
  if (reasoning) content.push(thinkingBlock(reasoning, ctx.omitThinking));
  const text = message.content || message.refusal || "";
  if (text) content.push({ type: "text", text });
  for (const call of message.tool_calls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseInput(call.function.arguments, call.function.name) });
  }
  const stop = toStopReason(choice.finish_reason, matchedStop(choice as unknown as Record<string, unknown>), ctx.stopSequences, (message.tool_calls?.length ?? 0) > 0);
  const usage: MessagesUsage = completion.usage
    ? usageToAnthropic(completion.usage)
    : { input_tokens: ctx.inputTokens ?? 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: ctx.outputEstimate?.() ?? 0 };
  return { id: ctx.id, type: "message", role: "assistant", model: ctx.model, content, ...stop, usage };
}
