import type { GeminiLogprobCandidate, GeminiLogprobsResult } from "./wire";

interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

export interface ChoiceLogprobs {
  content: (TokenLogprob & { top_logprobs: TokenLogprob[] })[];
  refusal: null;
}

const encoder = new TextEncoder();

const token = (c: GeminiLogprobCandidate | undefined): TokenLogprob => {
  const text = c?.token ?? "";
  return { token: text, logprob: c?.logProbability ?? 0, bytes: [...encoder.encode(text)] };
};

/** Gemini's per-step chosen/top candidates → OpenAI's choice.logprobs (null when not requested). */
export function toLogprobs(result: GeminiLogprobsResult | undefined): ChoiceLogprobs | null {
  if (!result?.chosenCandidates) return null;
  return {
    content: result.chosenCandidates.map((chosen, step) => ({
      ...token(chosen),
      top_logprobs: (result.topCandidates?.[step]?.candidates ?? []).map(token),
    })),
    refusal: null,
  };
}
