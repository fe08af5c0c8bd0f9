import type { ResponsesRequestWithExtension } from "../../../wire/responses";

/** The upstream protocols a /v1/responses request is translated for (OpenAI's own /v1/responses goes native). */
export type Protocol = "openai" | "openai-compatible" | "anthropic" | "google";

export interface TranslateOptions {
  protocol: Protocol;
  upstreamModel: string;
  /** The model has a reasoning control (reasoning_effort). */
  reasoning: boolean;
}

/**
 * The request with its known fields typed. lib/wire's `ResponsesRequest` is an `Omit` over a loose
 * object, which TypeScript reduces to the index signature alone, so the public functions take it and
 * read it through this type.
 */
export type Req = ResponsesRequestWithExtension;
