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

/** `{"error": {"message": …}}` (OpenAI, Anthropic, Gemini all nest it so), else the raw text. */
export function upstreamErrorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "object" && typeof parsed.error?.message === "string") return parsed.error.message;
    if (typeof parsed.error === "string") return parsed.error;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON
  }
  const text = body.trim();
  return text ? text.slice(0, 500) : undefined;
}
