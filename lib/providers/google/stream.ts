// streamGenerateContent?alt=sse events (each a GenerateContentResponse) → OpenAI chunks.
import { ApiError } from "../../errors";
import type { ChatCompletionChunk, ResponseContext, SseEvent, Usage } from "../types";
import { readParts } from "./candidate";
import { mapFinishReason } from "./finish-reason";
import { toLogprobs } from "./logprobs";
import { inBandError } from "./upstream-error";
import { toUsage } from "./usage";
import { geminiResponseSchema } from "./answer";
import type { GeminiCandidate, GeminiResponse } from "./wire";

type Delta = ChatCompletionChunk["choices"][number]["delta"];
type Emit = (index: number, delta: Delta, finish?: ChatCompletionChunk["choices"][number]["finish_reason"], logprobs?: unknown) => void;

interface CandidateState {
  calls: number;
  finished: boolean;
}

export function streamTransformer(ctx: ResponseContext): TransformStream<SseEvent, ChatCompletionChunk> {
  const candidates = new Map<number, CandidateState>();
  let usage: Usage | undefined;

  return new TransformStream({
    transform(event, controller) {
      const res = parseEvent(event.data);
      if (!res) return;
      if (res.error) throw inBandError(res.error);
      if (res.usageMetadata) usage = toUsage(res.usageMetadata); // cumulative: the last one counts

      const emit: Emit = (index, delta, finish = null, logprobs = null) =>
        controller.enqueue({
          id: ctx.id,
          object: "chat.completion.chunk",
          created: ctx.created,
          model: ctx.model,
          choices: [{ index, delta, finish_reason: finish, logprobs }],
        });
      const state = (index: number): CandidateState => {
        let s = candidates.get(index);
        if (!s) {
          s = { calls: 0, finished: false };
          candidates.set(index, s);
          emit(index, { role: "assistant", content: "" });
        }
        return s;
      };

      const list = res.candidates ?? [];
      if (list.length === 0 && res.promptFeedback?.blockReason) {
        const s = state(0);
        if (!s.finished) emit(0, {}, "content_filter");
        s.finished = true;
      }
      list.forEach((candidate, position) => emitCandidate(candidate, candidate.index ?? position, state, emit, ctx));
    },
    flush(controller) {
      const states = [...candidates.values()];
      if (states.length === 0 || states.some((s) => !s.finished)) {
        throw new ApiError("upstream_error", "The google upstream ended the stream before a finish reason.");
      }
      if (usage) controller.enqueue({ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model, choices: [], usage });
    },
  });
}

function emitCandidate(candidate: GeminiCandidate, index: number, state: (index: number) => CandidateState, emit: Emit, ctx: ResponseContext) {
  const s = state(index);
  if (s.finished) return;
  const { text, reasoning, toolCalls } = readParts(candidate.content?.parts, ctx.id, index, s.calls);
  if (reasoning) emit(index, { reasoning_content: reasoning });
  const logprobs = toLogprobs(candidate.logprobsResult);
  if (text || logprobs) emit(index, { content: text }, null, logprobs);
  // Gemini sends each function call whole, so each is one complete delta.
  for (const call of toolCalls) emit(index, { tool_calls: [{ index: s.calls++, ...call }] });
  if (candidate.finishReason) {
    s.finished = true;
    emit(index, {}, mapFinishReason(candidate.finishReason, s.calls > 0, candidate.finishMessage));
  }
}

function parseEvent(data: string): GeminiResponse | undefined {
  if (data.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ApiError("upstream_error", "The google upstream sent a malformed stream event.");
  }
  const event = geminiResponseSchema.safeParse(parsed);
  if (!event.success) throw new ApiError("upstream_error", "The google upstream sent a malformed stream event.");
  return event.data;
}
