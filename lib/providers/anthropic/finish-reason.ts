import type { FinishReason } from "../types";

/**
 * Anthropic stop_reason → OpenAI finish_reason. `tool_use` is "stop" when the only tool used was the
 * JSON-answer emulation. `pause_turn` only follows Anthropic's server tools, which this adapter never
 * sends; the turn is over as far as an OpenAI client can tell, so "stop".
 */
export function mapStopReason(reason: string | null | undefined, clientToolCalls: boolean): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return clientToolCalls ? "tool_calls" : "stop";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}
