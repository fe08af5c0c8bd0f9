// OpenAI and OpenAI-compatible servers: chat and embeddings in OpenAI's format; the compatible servers
// that rerank (Jina, vLLM, Infinity) do it at /rerank in Cohere's format. OpenAI itself has no rerank.
import type { Capabilities, RerankAdapter } from "../capabilities";
import { parseRerankResponse, rerankRequestAt } from "../cohere/rerank";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import { createOpenAIAdapter, openaiAdapter } from "./chat";
import { openaiEmbeddings } from "./embeddings";
import { openaiResponses } from "./responses";

export { buildPassthroughBody, createOpenAIAdapter, openaiAdapter } from "./chat";

const compatibleRerank: RerankAdapter = {
  buildRequest: (input, target) => rerankRequestAt(["rerank"], input, target),
  parseResponse: parseRerankResponse,
  mapError: (status, body, provider) => mapUpstreamStatus(status, upstreamErrorMessage(body), provider),
};

export const openaiCapabilities = { chat: openaiAdapter, embeddings: openaiEmbeddings, rerank: null, responses: openaiResponses } as const satisfies Capabilities;

export const compatibleCapabilities = {
  chat: createOpenAIAdapter("openai-compatible"),
  embeddings: openaiEmbeddings,
  rerank: compatibleRerank,
  // Compatible servers speak Chat Completions; /v1/responses is translated to it.
  responses: null,
} as const satisfies Capabilities;
