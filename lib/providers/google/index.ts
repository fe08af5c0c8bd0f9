// Google Gemini (generativelanguage v1beta generateContent) as an OpenAI chat adapter.
// Field-by-field behaviour: docs/providers/google.md.
import type { ChatAdapter } from "../types";
import { buildRequest } from "./request";
import { parseResponse } from "./response";
import { streamTransformer } from "./stream";
import { mapError } from "./upstream-error";

export const googleAdapter: ChatAdapter = { buildRequest, parseResponse, streamTransformer, mapError };
