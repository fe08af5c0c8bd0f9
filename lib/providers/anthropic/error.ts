import { z } from "zod";
import type { ApiError } from "../../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";

/**
 * Anthropic error bodies are `{"type": "error", "error": {"type", "message"}}`. 529 (overloaded_error)
 * falls in the generic 5xx branch: 502 upstream_error, retryable by the gateway.
 */
export function mapAnthropicError(status: number, body: string): ApiError {
  return mapUpstreamStatus(status, upstreamErrorMessage(body), "anthropic");
}

// A field of the wrong type is read as absent: the event still ends the stream, with what can be said.
const text = z.string().optional().catch(undefined);
const streamErrorSchema = z.looseObject({ error: z.looseObject({ type: text, message: text }).optional().catch(undefined) });

/** An `error` event inside a stream that had already started (e.g. overloaded_error). */
export function streamErrorMessage(data: unknown): string {
  const parsed = streamErrorSchema.safeParse(data);
  const error = parsed.success ? parsed.data.error : undefined;
  const type = error?.type ?? "error";
  const message = error?.message !== undefined ? `: ${error.message.slice(0, 500)}` : "";
  return `The anthropic upstream failed mid-stream (${type}${message}).`;
}
