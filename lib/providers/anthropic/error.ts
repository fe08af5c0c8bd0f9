import type { ApiError } from "../../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";

/**
 * Anthropic error bodies are `{"type": "error", "error": {"type", "message"}}`. 529 (overloaded_error)
 * falls in the generic 5xx branch: 502 upstream_error, retryable by the gateway.
 */
export function mapAnthropicError(status: number, body: string): ApiError {
  return mapUpstreamStatus(status, upstreamErrorMessage(body), "anthropic");
}

/** An `error` event inside a stream that had already started (e.g. overloaded_error). */
export function streamErrorMessage(data: unknown): string {
  const error = (data as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const type = typeof error?.type === "string" ? error.type : "error";
  const message = typeof error?.message === "string" ? `: ${error.message.slice(0, 500)}` : "";
  return `The anthropic upstream failed mid-stream (${type}${message}).`;
}
