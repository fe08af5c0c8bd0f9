import type { Protocol } from "../catalog/providers";

/**
 * Whether a model takes a reasoning control (reasoning_effort) that a translated front door's own
 * reasoning field (Messages `thinking`, Responses `reasoning.effort`) maps to. The catalog has no
 * capability flag yet, so this goes by the upstream model's family: OpenAI's o-series and GPT-5,
 * Gemini 2.5 and later, Claude 3.7 and later (extended thinking). Any other model gets none.
 */
export function hasReasoningControl(protocol: Protocol, upstreamModel: string): boolean {
  const m = upstreamModel.toLowerCase();
  if (protocol === "openai") return /^(o\d|gpt-5)/.test(m);
  if (protocol === "google") return /gemini-(2\.5|[3-9])/.test(m);
  if (protocol === "anthropic") return /claude-(3-7|(opus|sonnet|haiku)-[4-9]|[4-9])/.test(m);
  return false;
}
