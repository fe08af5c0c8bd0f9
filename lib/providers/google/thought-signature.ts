// Gemini returns a `thoughtSignature` on function-call parts and Gemini 3 refuses a later turn whose
// function calls come back without it. OpenAI clients only send back what OpenAI defined, so the
// signature travels inside the one field every client echoes verbatim: the tool call id.
//
//   call_<nonce>                      no signature
//   call_<nonce>_gts_<base64url sig>  signature, base64url without padding
//
// The nonce is alphanumeric, so the first `_gts_` is ours. The id stays within [A-Za-z0-9_-], which
// every OpenAI-compatible upstream (and Anthropic's tool_use ids) accepts if the client switches
// models mid-conversation. The signature is proto `bytes`; Google accepts standard and URL-safe
// base64 alike, so re-encoding it changes no byte.
import { createHash } from "node:crypto";

const SIGNATURE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const ENCODED_ID = /^call_[A-Za-z0-9]+_gts_([A-Za-z0-9_-]+)$/;

/** Google's documented stand-in for a function call whose signature was lost (history from another model). */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";

/** Deterministic per (response, candidate, call): unique across a conversation, stable in tests. */
export function toolCallId(responseId: string, candidate: number, call: number, signature?: string): string {
  const nonce = createHash("sha256")
    .update(`${responseId}/${candidate}/${call}`)
    .digest("base64url")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 24);
  const id = `call_${nonce}`;
  if (!signature || !SIGNATURE.test(signature)) return id;
  return `${id}_gts_${signature.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}`;
}

export function signatureFromToolCallId(id: string): string | undefined {
  const match = ENCODED_ID.exec(id);
  if (!match?.[1] || match[1].length % 4 === 1) return undefined;
  const standard = match[1].replace(/-/g, "+").replace(/_/g, "/");
  return standard + "=".repeat((4 - (standard.length % 4)) % 4);
}

/** Gemini 3 and later validate signatures on replayed function calls; older models do not. */
export function validatesSignatures(upstreamModel: string): boolean {
  const major = /(?:^|\/)gemini-(\d+)/.exec(upstreamModel)?.[1];
  return major !== undefined && Number(major) >= 3;
}
