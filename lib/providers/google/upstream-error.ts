import { ApiError } from "../../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import { isObject, type GeminiError } from "./wire";

/**
 * Gemini answers a bad API key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID): that is our
 * credential, so it must surface as 502 upstream_auth_error, not as the client's 400.
 */
export function mapError(status: number, body: string): ApiError {
  return mapUpstreamStatus(isKeyRejection(body) ? 401 : status, upstreamErrorMessage(body), "google");
}

/** An `error` object inside a 200 body or an SSE event: the stream already started, so upstream_error. */
export function inBandError(error: GeminiError): ApiError {
  return new ApiError("upstream_error", mapUpstreamStatus(error.code ?? 500, error.message, "google").message);
}

function isKeyRejection(body: string): boolean {
  try {
    const details: unknown = (JSON.parse(body) as { error?: { details?: unknown } }).error?.details;
    return Array.isArray(details) && details.some((d) => isObject(d) && typeof d.reason === "string" && d.reason.startsWith("API_KEY_"));
  } catch {
    return false;
  }
}
