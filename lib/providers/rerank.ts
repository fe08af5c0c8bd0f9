// /v1/rerank upstream calls in the Cohere/Jina format: Cohere's /v2/rerank, or `/rerank` on an
// OpenAI-compatible server (Jina, vLLM, Infinity). Answers are normalised to {results, usage}.
import { joinUrl } from "./url";
import type { Protocol } from "../catalog/providers";
import { ApiError } from "../errors";
import type { UpstreamRequest, UpstreamTarget } from "./types";

export interface RerankInput {
  query: string;
  documents: string[];
  top_n?: number;
}

export interface RerankResult {
  index: number;
  relevance_score: number;
}

export function rerankRequest(protocol: Protocol, input: RerankInput, target: UpstreamTarget): UpstreamRequest {
  const body = { model: target.upstreamModel, query: input.query, documents: input.documents, ...(input.top_n ? { top_n: input.top_n } : {}) };
  const auth: Record<string, string> = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
  switch (protocol) {
    case "cohere":
      return { url: joinUrl(target.baseUrl, ["v2", "rerank"]), headers: { "content-type": "application/json", ...auth }, body, warnings: [] };
    case "openai-compatible":
      return { url: joinUrl(target.baseUrl, ["rerank"]), headers: { "content-type": "application/json", ...auth }, body, warnings: [] };
    case "openai":
    case "anthropic":
    case "google":
      throw new ApiError("invalid_value", `The ${protocol} provider does not serve /v1/rerank.`, { param: "model" });
    default: {
      const unreachable: never = protocol;
      throw new Error(`unknown protocol ${String(unreachable)}`);
    }
  }
}

export function parseRerank(json: unknown, documentCount: number): { results: RerankResult[]; totalTokens: number | null; searchUnits: number | null } {
  const r = json as { results?: { index?: unknown; relevance_score?: unknown }[]; usage?: { total_tokens?: number }; meta?: { billed_units?: { search_units?: number } } } | null;
  if (!r || !Array.isArray(r.results)) throw new ApiError("upstream_error", "The upstream answered with something that is not a rerank result.");
  const results = r.results.map((x) => {
    if (typeof x.index !== "number" || x.index < 0 || x.index >= documentCount || typeof x.relevance_score !== "number") {
      throw new ApiError("upstream_error", "The upstream answered with a malformed rerank result.");
    }
    return { index: x.index, relevance_score: x.relevance_score };
  });
  results.sort((a, b) => b.relevance_score - a.relevance_score);
  return { results, totalTokens: r.usage?.total_tokens ?? null, searchUnits: r.meta?.billed_units?.search_units ?? null };
}
