// The OpenAI wire types every adapter produces, and the adapter contract.
import type { ApiError } from "../errors";
import type { ChatRequest } from "../wire/chat";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** cached_tokens: cache reads; cache_write_tokens: prompt-cache writes (OpenRouter's name), both inside prompt_tokens. */
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; [k: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; [k: string]: unknown };
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: "assistant";
      content: string | null;
      reasoning_content?: string;
      tool_calls?: ToolCall[];
      refusal?: string | null;
      [k: string]: unknown;
    };
    finish_reason: FinishReason | null;
    logprobs: unknown;
  }[];
  usage?: Usage;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: "assistant"; content?: string | null; reasoning_content?: string; tool_calls?: ToolCallDelta[]; [k: string]: unknown };
    finish_reason: FinishReason | null;
    logprobs?: unknown;
  }[];
  usage?: Usage | null;
  [k: string]: unknown;
}

/** One server-sent event from an upstream. */
export interface SseEvent {
  event?: string;
  data: string;
}

export interface UpstreamTarget {
  baseUrl: string; // as the provider's SDK takes it (see DESIGN.md §3)
  apiKey: string;
  upstreamModel: string;
}

/** The HTTP request an adapter wants sent upstream. */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown; // serialised as JSON by the caller
  /** Translations that change meaning (e.g. a clamped temperature), reported to the client. */
  warnings: string[];
}

/** What the response side needs to look like OpenAI's answer to the client's request. */
export interface ResponseContext {
  id: string; // chatcmpl-… id we present
  created: number; // unix seconds
  model: string; // the id the client asked for (openai/gpt-4o)
}

export interface ChatAdapter {
  /** Throws ApiError (400, naming the param) for anything it cannot translate. */
  buildRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamRequest;
  /** Upstream JSON body → OpenAI chat.completion. */
  parseResponse(body: unknown, ctx: ResponseContext): ChatCompletion;
  /** Upstream SSE events → OpenAI chunks; flush emits a final `choices: []` chunk with usage. */
  streamTransformer(ctx: ResponseContext): TransformStream<SseEvent, ChatCompletionChunk>;
  /**
   * The output cap (reasoning included) the upstream request will carry when the adapter sends more
   * than the client's max_tokens; the gateway reserves and caps the charge with it. Absent: the
   * client's own max_tokens is what goes upstream.
   */
  upstreamMaxTokens?(req: ChatRequest, upstreamModel: string): number;
  /** Upstream non-2xx → our error (400 for its 400/422, 502 upstream_auth_error for 401/403, …). */
  mapError(status: number, body: string): ApiError;
}
