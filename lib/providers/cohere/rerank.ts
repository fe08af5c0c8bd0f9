// The Cohere rerank format (POST /v2/rerank): {model, query, documents, top_n} → {results, meta}.
// OpenAI-compatible rerank servers (Jina, vLLM, Infinity) speak it too, at /rerank, and count
// `usage.total_tokens` instead of Cohere's search units; openai/rerank.ts reuses both halves.
import { z } from "zod";
import { ApiError } from "../../errors";
import type { RerankAnswer, RerankInput } from "../capabilities";
import type { UpstreamRequest, UpstreamTarget } from "../types";
import { joinUrl } from "../url";

export function rerankRequestAt(path: readonly string[], input: RerankInput, target: UpstreamTarget): UpstreamRequest {
  const body = { model: target.upstreamModel, query: input.query, documents: input.documents, ...(input.top_n ? { top_n: input.top_n } : {}) };
  const auth: Record<string, string> = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
  return { url: joinUrl(target.baseUrl, path), headers: { "content-type": "application/json", ...auth }, body, warnings: [] };
}

const count = z.number().nullish();
// Only what is read; unknown fields (id, model, meta.api_version, a result's document) are ignored.
const answerSchema = z.looseObject({
  results: z.array(z.unknown()),
  usage: z.looseObject({ total_tokens: count }).nullish(),
  meta: z.looseObject({ billed_units: z.looseObject({ search_units: count }).nullish() }).nullish(),
});
const resultSchema = z.looseObject({ index: z.number(), relevance_score: z.number() });

export function parseRerankResponse(json: unknown, documentCount: number): RerankAnswer {
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new ApiError("upstream_error", "The upstream answered with something that is not a rerank result.");
  const results = parsed.data.results.map((raw) => {
    const x = resultSchema.safeParse(raw);
    if (!x.success || x.data.index < 0 || x.data.index >= documentCount) {
      throw new ApiError("upstream_error", "The upstream answered with a malformed rerank result.");
    }
    return { index: x.data.index, relevance_score: x.data.relevance_score };
  });
  results.sort((a, b) => b.relevance_score - a.relevance_score);
  const { usage, meta } = parsed.data;
  return { results, totalTokens: usage?.total_tokens ?? null, searchUnits: meta?.billed_units?.search_units ?? null };
}
