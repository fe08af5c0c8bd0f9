// reasoning_effort and max_tokens → Anthropic `thinking`, `output_config.effort` and `max_tokens`.
import type { ChatRequest } from "../../wire/chat";
import { warn } from "./content";
import type { Effort, ThinkingConfig } from "./wire";

/**
 * Anthropic requires max_tokens. 4096 is the largest value every Claude model accepts (Claude 3
 * Haiku's output limit), so a request without one never fails for it; answers longer than that end
 * with finish_reason "length", as with any cap.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * Thinking budgets per OpenAI effort level on models with manual budgets. "minimal" and "low" get
 * Anthropic's minimum; "high" stays well below 32k, past which Anthropic notes returns diminish and
 * requests risk HTTP timeouts.
 */
export const THINKING_BUDGETS = { minimal: 1024, low: 1024, medium: 8192, high: 16384 } as const;

const EFFORTS: Record<keyof typeof THINKING_BUDGETS, Effort> = { minimal: "low", low: "low", medium: "medium", high: "high" };

export interface OutputPlan {
  maxTokens: number;
  thinking?: ThinkingConfig;
  effort?: Effort;
}

export function planOutput(req: ChatRequest, model: string, warnings: string[]): OutputPlan {
  // max_completion_tokens is OpenAI's current name; max_tokens the deprecated one.
  const requested = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  const level = req.reasoning_effort;
  if (!level || level === "none") return { maxTokens: requested ?? DEFAULT_MAX_TOKENS };

  if (usesAdaptiveThinking(model)) {
    // The model sizes its own thinking; "summarized" keeps the text visible on models that omit it by default.
    const maxTokens = requested ?? THINKING_BUDGETS.high + DEFAULT_MAX_TOKENS;
    return { maxTokens, thinking: { type: "adaptive", display: "summarized" }, effort: EFFORTS[level] };
  }

  const budget = THINKING_BUDGETS[level];
  if (requested === undefined) return { maxTokens: budget + DEFAULT_MAX_TOKENS, thinking: { type: "enabled", budget_tokens: budget } };
  if (requested > budget) return { maxTokens: requested, thinking: { type: "enabled", budget_tokens: budget } };
  // OpenAI's cap includes reasoning, as Anthropic's does, and the gateway reserves credit for it: keep
  // the cap and think within half of it, unless it is below what Anthropic's minimum budget needs.
  if (requested >= 2 * MIN_THINKING_BUDGET) {
    const fitted = Math.floor(requested / 2);
    warn(warnings, `The thinking budget for reasoning_effort "${level}" was reduced to ${fitted} tokens to fit max_tokens ${requested}.`);
    return { maxTokens: requested, thinking: { type: "enabled", budget_tokens: fitted } };
  }
  const raised = MIN_THINKING_BUDGET + requested;
  warn(warnings, `max_tokens was raised from ${requested} to ${raised}: Anthropic's minimum thinking budget is ${MIN_THINKING_BUDGET} tokens.`);
  return { maxTokens: raised, thinking: { type: "enabled", budget_tokens: MIN_THINKING_BUDGET } };
}

/**
 * Claude Opus/Sonnet 4.6 and later think adaptively (Opus 4.7 rejects manual budgets); Claude 3.x and
 * 4.0-4.5 only know `budget_tokens`. Models with other names are newer than this list, so adaptive.
 */
export function usesAdaptiveThinking(model: string): boolean {
  const id = model.toLowerCase().slice(Math.max(0, model.toLowerCase().indexOf("claude-")));
  if (/^claude-\d/.test(id)) return false; // claude-3-5-sonnet, claude-3-7-sonnet: version first
  const version = /^claude-[a-z]+-(\d+)(?:-(\d{1,2}))?(?:[-@:]|$)/.exec(id);
  if (!version) return true;
  const major = Number(version[1]);
  const minor = Number(version[2] ?? 0);
  return major > 4 || (major === 4 && minor >= 6);
}
