import type { Usage } from "../types";
import type { AnthropicUsage } from "./wire";

const n = (v: number | null | undefined) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/**
 * Anthropic counts cached input apart from `input_tokens`; OpenAI's prompt_tokens includes it, with the
 * cache hits repeated as cached_tokens. Cache writes are input too (Anthropic bills them at a premium).
 */
export function toOpenAIUsage(u: AnthropicUsage): Usage {
  const cached = n(u.cache_read_input_tokens);
  const written = n(u.cache_creation_input_tokens);
  const prompt = n(u.input_tokens) + cached + written;
  const completion = n(u.output_tokens);
  // Cache writes are named apart so they are billed at the catalog's cache-write price (lib/billing/cost.ts).
  const details = written > 0 ? { cached_tokens: cached, cache_write_tokens: written } : { cached_tokens: cached };
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: details };
}

/** message_delta usage is cumulative: a field it carries replaces message_start's value. */
export function mergeUsage(base: AnthropicUsage, update: unknown): AnthropicUsage {
  if (typeof update !== "object" || update === null) return base;
  const u = update as Record<string, unknown>;
  const out = { ...base };
  for (const key of ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] as const) {
    const value = u[key];
    if (typeof value === "number") out[key] = value;
  }
  return out;
}
