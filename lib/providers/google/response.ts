// generateContent JSON → OpenAI chat.completion.
import { ApiError } from "../../errors";
import type { ChatCompletion, ResponseContext } from "../types";
import { readParts } from "./candidate";
import { mapFinishReason } from "./finish-reason";
import { toLogprobs } from "./logprobs";
import { inBandError } from "./upstream-error";
import { toUsage } from "./usage";
import { geminiResponseSchema } from "./answer";
import type { GeminiCandidate, GeminiResponse } from "./wire";

type Choice = ChatCompletion["choices"][number];

export function parseResponse(body: unknown, ctx: ResponseContext): ChatCompletion {
  const parsed = geminiResponseSchema.safeParse(body);
  if (!parsed.success) throw new ApiError("upstream_error", "The google upstream returned an unexpected response.");
  const res = parsed.data;
  if (res.error) throw inBandError(res.error);
  const candidates = res.candidates ?? [];
  const choices = candidates.length > 0 ? candidates.map((c, pos) => toChoice(c, pos, ctx)) : [blockedChoice(res)];
  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: choices.sort((a, b) => a.index - b.index),
    ...(res.usageMetadata && { usage: toUsage(res.usageMetadata) }),
  };
}

function toChoice(candidate: GeminiCandidate, position: number, ctx: ResponseContext): Choice {
  const index = candidate.index ?? position;
  const { text, reasoning, toolCalls } = readParts(candidate.content?.parts, ctx.id, index);
  const hasCalls = toolCalls.length > 0;
  return {
    index,
    message: {
      role: "assistant",
      content: text || (hasCalls ? null : ""),
      refusal: null,
      ...(reasoning && { reasoning_content: reasoning }),
      ...(hasCalls && { tool_calls: toolCalls }),
    },
    finish_reason: mapFinishReason(candidate.finishReason ?? "STOP", hasCalls, candidate.finishMessage),
    logprobs: toLogprobs(candidate.logprobsResult),
  };
}

/** The prompt itself was blocked: Gemini returns promptFeedback and no candidates. */
function blockedChoice(res: GeminiResponse): Choice {
  if (!res.promptFeedback?.blockReason) throw new ApiError("upstream_error", "The google upstream returned no candidates.");
  return { index: 0, message: { role: "assistant", content: "", refusal: null }, finish_reason: "content_filter", logprobs: null };
}
