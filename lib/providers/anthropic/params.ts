// Request fields Anthropic has no counterpart for, and the sampling fields it has with other ranges.
import { ApiError } from "../../errors";
import { KNOWN_CHAT_FIELDS } from "../../wire/chat";
import type { ChatRequest } from "../../wire/chat";
import type { AnthropicRequestBody } from "./wire";

const unsupported = (param: string, why: string) => new ApiError("unsupported_parameter", `${param} is not supported by the anthropic provider: ${why}`, { param });

/** Throws for any field that asks for something Anthropic cannot do; the neutral values pass. */
export function rejectUntranslatable(req: ChatRequest): void {
  for (const [key, value] of Object.entries(req)) {
    if (value != null && !KNOWN_CHAT_FIELDS.has(key)) throw unsupported(key, "it is not a field this gateway can translate.");
  }
  if (req.n != null && req.n !== 1) throw unsupported("n", "Anthropic returns one choice per request.");
  if (req.logprobs) throw unsupported("logprobs", "Anthropic does not return log probabilities.");
  if (req.top_logprobs) throw unsupported("top_logprobs", "Anthropic does not return log probabilities.");
  if (req.logit_bias && Object.keys(req.logit_bias).length > 0) throw unsupported("logit_bias", "Anthropic has no token biasing.");
  if (req.presence_penalty) throw unsupported("presence_penalty", "Anthropic has no repetition penalties.");
  if (req.frequency_penalty) throw unsupported("frequency_penalty", "Anthropic has no repetition penalties.");
  if (req.seed != null) throw unsupported("seed", "Anthropic has no deterministic sampling.");
  if (req.modalities?.includes("audio")) throw unsupported("modalities", "Anthropic generates text only.");
}

type Sampling = Pick<AnthropicRequestBody, "temperature" | "top_p" | "stop_sequences" | "metadata">;

export function samplingParams(req: ChatRequest, thinking: boolean, warnings: string[]): Sampling {
  const out: Sampling = {};
  if (req.temperature != null) {
    // OpenAI's range is 0..2, Anthropic's 0..1; both default to 1, so the top of both ranges meet.
    out.temperature = Math.min(req.temperature, 1);
    if (req.temperature > 1) warnings.push(`temperature ${req.temperature} was clamped to 1, Anthropic's maximum.`);
    if (thinking && out.temperature !== 1) {
      throw new ApiError("invalid_value", "Anthropic allows only temperature 1 (or none) with extended thinking (reasoning_effort).", { param: "temperature" });
    }
  }
  if (req.top_p != null) {
    if (thinking && req.top_p < 0.95) {
      throw new ApiError("invalid_value", "Anthropic allows top_p only between 0.95 and 1 with extended thinking (reasoning_effort).", { param: "top_p" });
    }
    out.top_p = req.top_p;
  }
  const stop = typeof req.stop === "string" ? [req.stop] : (req.stop ?? []);
  if (stop.length > 0) out.stop_sequences = stop;
  if (req.user) out.metadata = { user_id: req.user };
  return out;
}
