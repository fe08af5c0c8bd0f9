// Shared by the block converters: the context, the 400s, the per-type key check.
import { ApiError } from "../../../errors";
import type { Notes } from "./notes";
import type { Protocol } from "./types";

export type Block = Record<string, unknown> & { type: string };

export interface Ctx {
  protocol: Protocol;
  notes: Notes;
}

export const unsupported = (message: string, param: string) => new ApiError("unsupported_parameter", message, { param });
export const invalid = (message: string, param: string) => new ApiError("invalid_value", message, { param });

/** Keys each block type may carry (Anthropic rejects other keys too); anything else is a 400 naming it. */
const BLOCK_KEYS: Record<string, string[]> = {
  text: ["type", "text", "cache_control", "citations"],
  image: ["type", "source", "cache_control"],
  document: ["type", "source", "title", "context", "citations", "cache_control"],
  tool_use: ["type", "id", "name", "input", "cache_control", "caller"],
  tool_result: ["type", "tool_use_id", "content", "is_error", "cache_control"],
  thinking: ["type", "thinking", "signature"],
  redacted_thinking: ["type", "data"],
};

export function checkKeys(block: Block, at: string, ctx: Ctx): void {
  const allowed = BLOCK_KEYS[block.type];
  if (!allowed) throw unsupported(`Content blocks of type '${block.type}' are not supported for this model.`, at);
  for (const key of Object.keys(block)) {
    if (!allowed.includes(key)) throw unsupported(`Unknown field '${key}' on a ${block.type} block.`, `${at}.${key}`);
  }
  if (block.cache_control != null) ctx.notes.once("cache_control", "cache_control has no effect on this model (its upstream caches prompts on its own, or not at all) and was ignored.");
}

export function textOf(block: Block, at: string, ctx: Ctx): string {
  if (typeof block.text !== "string") throw invalid("A text block needs a string `text`.", `${at}.text`);
  // Citations on earlier answers are references the model made; the upstream cannot use them.
  if (Array.isArray(block.citations) && block.citations.length > 0) ctx.notes.once("citations", "Citations on earlier text blocks have no counterpart on this model and were not sent.");
  return block.text;
}

