// What an upstream protocol serves, as each provider folder declares it (registry.ts collects them):
// a chat adapter (types.ts), an embeddings conversion and a rerank conversion; null = not served.
import type { ApiError } from "../errors";
import type { ChatAdapter, UpstreamRequest, UpstreamTarget } from "./types";

/** The OpenAI embeddings list: what /v1/embeddings answers and what ingestion reads. */
export interface EmbeddingsResponse {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string; [k: string]: unknown }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface EmbeddingsAdapter {
  /** The client's /v1/embeddings body (or the gateway's own) → the upstream request. */
  buildRequest(body: Record<string, unknown>, target: UpstreamTarget): UpstreamRequest;
  /** Upstream JSON → the embeddings list, answered under `model` (the id the client named). */
  parseResponse(body: unknown, model: string): EmbeddingsResponse;
  /** Upstream non-2xx → our error; `provider` is the catalog provider that answered. */
  mapError(status: number, body: string, provider: string): ApiError;
}

export interface RerankInput {
  query: string;
  documents: string[];
  top_n?: number;
}

export interface RerankResult {
  index: number;
  relevance_score: number;
}

/** A rerank answer, normalised: results best first, and what the upstream counted (null: nothing). */
export interface RerankAnswer {
  results: RerankResult[];
  totalTokens: number | null;
  searchUnits: number | null;
}

export interface RerankAdapter {
  buildRequest(input: RerankInput, target: UpstreamTarget): UpstreamRequest;
  /** Upstream JSON → results; an index outside the `documentCount` documents is an upstream error. */
  parseResponse(body: unknown, documentCount: number): RerankAnswer;
  mapError(status: number, body: string, provider: string): ApiError;
}

/** OpenAI's /v1/responses where the upstream serves it: the client's body with the upstream model. */
export interface ResponsesAdapter {
  buildRequest(body: Record<string, unknown>, target: UpstreamTarget, opts: { stream: boolean }): UpstreamRequest;
  mapError(status: number, body: string): ApiError;
}

/** One protocol's declaration. */
export interface Capabilities {
  chat: ChatAdapter | null;
  embeddings: EmbeddingsAdapter | null;
  rerank: RerankAdapter | null;
  /** Serves OpenAI's Responses API natively (/v1/responses goes upstream untranslated). */
  responses: ResponsesAdapter | null;
}
