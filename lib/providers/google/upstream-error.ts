import { z } from "zod";
import { ApiError } from "../../errors";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import type { GeminiError } from "./wire";

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

// google.rpc.Status with ErrorInfo details; a detail of another shape (or another kind) is skipped.
const detailSchema = z.looseObject({ reason: z.string() });
const statusSchema = z.looseObject({ error: z.looseObject({ details: z.array(z.unknown()) }) });

function isKeyRejection(body: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  const parsed = statusSchema.safeParse(json);
  return parsed.success && parsed.data.error.details.some((d) => detailSchema.safeParse(d).data?.reason.startsWith("API_KEY_") === true);
}
