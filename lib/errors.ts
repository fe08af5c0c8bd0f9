// One error type for every surface, one mapper to the OpenAI error body.
// Status and type are derived from the code so call sites cannot disagree with DESIGN.md §1.
import { log } from "./log";

const CODES = {
  invalid_value: [400, "invalid_request_error"],
  missing_required_parameter: [400, "invalid_request_error"],
  unsupported_parameter: [400, "invalid_request_error"],
  invalid_json: [400, "invalid_request_error"],
  // A project guardrail refused the request (docs/policies.md).
  content_policy_violation: [400, "invalid_request_error"],
  // OpenAI's code for an unknown (or another tenant's) previous_response_id on /v1/responses.
  previous_response_not_found: [400, "invalid_request_error"],
  invalid_api_key: [401, "invalid_request_error"],
  unauthenticated: [401, "invalid_request_error"],
  insufficient_quota: [402, "insufficient_quota"],
  budget_exceeded: [402, "insufficient_quota"],
  permission_denied: [403, "permission_error"],
  model_not_allowed: [403, "permission_error"],
  not_found: [404, "invalid_request_error"],
  model_not_found: [404, "invalid_request_error"],
  method_not_allowed: [405, "invalid_request_error"],
  conflict: [409, "invalid_request_error"],
  request_too_large: [413, "invalid_request_error"],
  unsupported_media_type: [415, "invalid_request_error"],
  rate_limit_exceeded: [429, "rate_limit_error"],
  internal_error: [500, "api_error"],
  upstream_error: [502, "api_error"],
  upstream_auth_error: [502, "api_error"],
  service_unavailable: [503, "api_error"],
  upstream_timeout: [504, "api_error"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof CODES;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  /** Set when the error stands for an upstream's answer: its HTTP status (routing reads it). */
  upstreamStatus: number | null = null;
  /** The upstream's Retry-After, in ms, when it sent one. */
  retryAfterMs: number | null = null;

  constructor(code: ErrorCode, message: string, opts: { param?: string | null; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  get status(): number {
    return CODES[this.code][0];
  }

  get type(): string {
    return CODES[this.code][1];
  }

  toBody() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const notFound = (what: string, param: string | null = null) =>
  new ApiError("not_found", `${what} not found.`, { param });

/** Unknown errors become a generic 500 and are logged, never echoed. */
export function toApiError(err: unknown, fields: Record<string, unknown> = {}): ApiError {
  if (err instanceof ApiError) return err;
  log.error("unexpected error", fields, err);
  return new ApiError("internal_error", "The server had an error while processing your request.");
}

export function errorResponse(err: unknown, extraHeaders?: Record<string, string>, fields?: Record<string, unknown>): Response {
  const e = toApiError(err, fields);
  return Response.json(e.toBody(), { status: e.status, headers: { ...e.headers, ...extraHeaders } });
}
