// /v1/embeddings upstream calls: OpenAI and OpenAI-compatible servers speak the same format, so the
// body passes through with the upstream model id; other protocols have no embeddings endpoint here.
import { joinUrl } from "./url";
import type { Protocol } from "../catalog/providers";
import { ApiError } from "../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "./errors";
import type { UpstreamRequest, UpstreamTarget } from "./types";

export interface EmbeddingsResponse {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export function embeddingsRequest(protocol: Protocol, body: Record<string, unknown>, target: UpstreamTarget): UpstreamRequest {
  switch (protocol) {
    case "openai":
    case "openai-compatible": {
      const { vecstruct: _ext, ...rest } = body;
      return {
        url: joinUrl(target.baseUrl, ["embeddings"]),
        headers: { "content-type": "application/json", ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) },
        body: { ...rest, model: target.upstreamModel },
        warnings: [],
      };
    }
    case "anthropic":
    case "google":
    case "cohere":
      throw new ApiError("invalid_value", `The ${protocol} provider does not serve /v1/embeddings here.`, { param: "model" });
    default: {
      const unreachable: never = protocol;
      throw new Error(`unknown protocol ${String(unreachable)}`);
    }
  }
}

export function parseEmbeddings(json: unknown, model: string): EmbeddingsResponse {
  const r = json as Partial<EmbeddingsResponse> | null;
  if (!r || !Array.isArray(r.data)) throw new ApiError("upstream_error", "The upstream answered with something that is not an embeddings list.");
  const usage = r.usage ?? { prompt_tokens: 0, total_tokens: 0 };
  return { object: "list", data: r.data, model, usage: { prompt_tokens: usage.prompt_tokens ?? 0, total_tokens: usage.total_tokens ?? usage.prompt_tokens ?? 0 } };
}

export const embeddingsError = (provider: string) => (status: number, body: string) => mapUpstreamStatus(status, upstreamErrorMessage(body), provider);
