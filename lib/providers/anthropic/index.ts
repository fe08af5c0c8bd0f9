// The Anthropic Messages API adapter (docs/providers/anthropic.md lists what each OpenAI field becomes).
import type { ChatAdapter } from "../types";
import { mapAnthropicError } from "./error";
import { buildAnthropicRequest } from "./request";
import { parseAnthropicResponse } from "./response";
import { anthropicStreamTransformer } from "./stream";

export const anthropicAdapter: ChatAdapter = {
  buildRequest: buildAnthropicRequest,
  parseResponse: parseAnthropicResponse,
  streamTransformer: anthropicStreamTransformer,
  mapError: mapAnthropicError,
};
