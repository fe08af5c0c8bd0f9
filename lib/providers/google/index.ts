// Google Gemini (generativelanguage v1beta generateContent) as an OpenAI chat adapter.
// Field-by-field behaviour: docs/providers/google.md.
import type { Capabilities } from "../capabilities";
import type { ChatAdapter } from "../types";
import { buildRequest } from "./request";
import { parseResponse } from "./response";
import { streamTransformer } from "./stream";
import { mapError } from "./upstream-error";

export const googleAdapter: ChatAdapter = { buildRequest, parseResponse, streamTransformer, mapError };

/** Chat only: Gemini's embedContent has a format of its own that no conversion here speaks yet. */
export const googleCapabilities = { chat: googleAdapter, embeddings: null, rerank: null, responses: null } as const satisfies Capabilities;
