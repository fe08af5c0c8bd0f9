import type { MessagesRequestWithExtension } from "../../../wire/messages";

/** The upstream protocols a /v1/messages request is translated for (Anthropic's goes native). */
export type Protocol = "openai" | "openai-compatible" | "google";

export interface TranslateOptions {
  protocol: Protocol;
  upstreamModel: string;
  /** The model has a reasoning control (reasoning_effort). */
  reasoning: boolean;
  /** anthropic-beta header values. */
  betas: string[];
}

/**
 * The request with its known fields typed. lib/wire's `MessagesRequest` is an `Omit` over a loose
 * object, which TypeScript reduces to the index signature alone, so the public functions take it and
 * read it through this type.
 */
export type Req = MessagesRequestWithExtension;
