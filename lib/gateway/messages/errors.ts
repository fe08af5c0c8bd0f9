// The Messages dialect's errors: Anthropic's body `{"type":"error","error":{"type","message"}}` with
// Anthropic's error types and statuses (DESIGN §1 "Three front doors"). One ApiError code table
// (lib/errors.ts) decides the status everywhere; this maps it to what the Anthropic SDKs expect. An
// Anthropic upstream's 529 (overloaded_error) that outlived retries and fallbacks passes through as 529.
import { ApiError, toApiError } from "../../errors";

/** The Anthropic error type and status for one of our errors. */
export function anthropicErrorOf(e: ApiError): { status: number; type: string } {
  if (e.code === "upstream_error" && e.upstreamStatus === 529) return { status: 529, type: "overloaded_error" };
  switch (e.status) {
    case 401:
      return { status: 401, type: "authentication_error" };
    case 402:
      return { status: 402, type: "billing_error" };
    case 403:
      return { status: 403, type: "permission_error" };
    case 404:
      return { status: 404, type: "not_found_error" };
    case 413:
      return { status: 413, type: "request_too_large" };
    case 429:
      return { status: 429, type: "rate_limit_error" };
    case 504:
      return { status: 504, type: "timeout_error" };
    default:
      return e.status < 500 ? { status: e.status, type: "invalid_request_error" } : { status: e.status, type: "api_error" };
  }
}

/** Our `param` has no field in Anthropic's body: it is named in the message instead. */
function message(e: ApiError): string {
  return e.param && !e.message.includes(e.param) ? `${e.param}: ${e.message}` : e.message;
}

export function anthropicErrorBody(err: ApiError): { type: "error"; error: { type: string; message: string } } {
  return { type: "error", error: { type: anthropicErrorOf(err).type, message: message(err) } };
}

/** The dialect's `errorResponse` hook: same headers as chat (Retry-After, x-ratelimit-*, audit id). */
export function anthropicErrorResponse(err: unknown, headers: Record<string, string>, fields: Record<string, unknown>): Response {
  const e = toApiError(err, fields);
  const { status } = anthropicErrorOf(e);
  return Response.json(anthropicErrorBody(e), { status, headers: { ...e.headers, ...headers } });
}

/** One SSE `event: error` (a stream that fails after it started). */
export function anthropicErrorEvent(err: ApiError): string {
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(err))}\n\n`;
}

/**
 * An `error` event an Anthropic upstream sent in a stream before any content: our error, so the
 * router can retry or fall back (overloaded_error counts as its 529, rate_limit_error as its 429).
 */
export function upstreamStreamError(data: unknown): ApiError {
  const error = (data as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const type = typeof error?.type === "string" ? error.type : "api_error";
  const detail = typeof error?.message === "string" ? error.message.slice(0, 500) : "no message";
  const err =
    type === "rate_limit_error"
      ? new ApiError("rate_limit_exceeded", `The anthropic upstream is rate limiting requests (${detail}).`)
      : new ApiError("upstream_error", `The anthropic upstream failed (${type}: ${detail}).`);
  err.upstreamStatus = type === "overloaded_error" ? 529 : type === "rate_limit_error" ? 429 : 500;
  return err;
}
