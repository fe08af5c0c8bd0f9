import { z } from "zod";
import { ApiError } from "../errors";

/**
 * Upstream HTTP failure → our error. Adapters extract the upstream's message; this decides what the
 * client sees: their 400/422 as a 400 with the message, our refused credential as a 502 (never a
 * 401 to the client, never the upstream's text about our key), 429 as 429, the rest as 502.
 */
export function mapUpstreamStatus(status: number, upstreamMessage: string | undefined, provider: string): ApiError {
  const detail = upstreamMessage?.slice(0, 2000);
  if (status === 400 || status === 422 || status === 413) {
    return new ApiError("invalid_value", detail || `The ${provider} upstream rejected the request.`);
  }
  if (status === 401 || status === 403) {
    return new ApiError("upstream_auth_error", `The ${provider} upstream refused the gateway's credentials.`);
  }
  if (status === 429) {
    return new ApiError("rate_limit_exceeded", `The ${provider} upstream is rate limiting requests. Retry later.`);
  }
  if (status === 404) {
    return new ApiError("upstream_error", detail ? `The ${provider} upstream answered 404: ${detail}` : `The ${provider} upstream answered 404.`);
  }
  return new ApiError("upstream_error", `The ${provider} upstream failed (HTTP ${status}).`);
}

// A field of the wrong type counts as absent (the next place a message may be is tried).
const text = z.string().optional().catch(undefined);
const errorBodySchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ message: text })]).optional().catch(undefined),
  message: text,
});

/** `{"error": {"message": …}}` (OpenAI, Anthropic, Gemini all nest it so), else the raw text. */
export function upstreamErrorMessage(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // not JSON
  }
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) {
    const { error, message } = parsed.data;
    if (typeof error === "object" && error.message !== undefined) return error.message;
    if (typeof error === "string") return error;
    if (message !== undefined) return message;
  }
  const raw = body.trim();
  return raw ? raw.slice(0, 500) : undefined;
}
