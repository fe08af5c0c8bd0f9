// The Anthropic Messages API adapter (docs/providers/anthropic.md lists what each OpenAI field becomes).
import type { Capabilities } from "../capabilities";
import type { ChatAdapter } from "../types";
import { mapAnthropicError } from "./error";
import { buildAnthropicRequest } from "./request";
import { parseAnthropicResponse } from "./response";
import { anthropicStreamTransformer } from "./stream";
import { planOutput } from "./thinking";

export const anthropicAdapter: ChatAdapter = {
  buildRequest: buildAnthropicRequest,
  parseResponse: parseAnthropicResponse,
  streamTransformer: anthropicStreamTransformer,
  mapError: mapAnthropicError,
  // reasoning_effort can raise max_tokens to fit Anthropic's minimum thinking budget (1024 + N).
  upstreamMaxTokens: (req, upstreamModel) => planOutput(req, upstreamModel, []).maxTokens,
};

/** Anthropic serves chat only (it has no embeddings or rerank API). */
export const anthropicCapabilities = { chat: anthropicAdapter, embeddings: null, rerank: null, responses: null } as const satisfies Capabilities;
