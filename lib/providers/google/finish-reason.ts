// Gemini finishReason → OpenAI finish_reason, or an error when the candidate is a failure.
import { ApiError } from "../../errors";
import type { FinishReason } from "../types";

const FILTERED = new Set([
  "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
  "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "MODEL_ARMOR",
]);

// The model meant to call a tool but produced nothing usable. Answering "stop" with an empty message
// would read as a final (empty) answer; a 502 is retried by OpenAI SDKs and by the gateway's fallback.
const FAILED = new Set(["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "MALFORMED_RESPONSE"]);

export function mapFinishReason(reason: string, hasToolCalls: boolean, message?: string): FinishReason {
  if (reason === "STOP") return hasToolCalls ? "tool_calls" : "stop";
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  const detail = message ? `: ${message.slice(0, 500)}` : ".";
  if (FAILED.has(reason)) throw new ApiError("upstream_error", `The google upstream stopped with ${reason}${detail}`);
  if (reason === "MISSING_THOUGHT_SIGNATURE") {
    throw new ApiError(
      "invalid_value",
      "Gemini requires the thought signatures of earlier tool calls: send assistant tool_calls back with the ids this gateway returned, unchanged.",
      { param: "messages" },
    );
  }
  return "stop"; // OTHER, FINISH_REASON_UNSPECIFIED, NO_IMAGE, IMAGE_OTHER and future values
}
