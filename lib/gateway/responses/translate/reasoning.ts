// A reasoning item's `encrypted_content` when a translated model reasoned. Clients that do not store
// responses (Codex sends `store: false` and `include: ["reasoning.encrypted_content"]`) send the item
// back unchanged on the next turn, so it carries what the upstream needs again: the reasoning text
// (DeepSeek-style upstreams want `reasoning_content` back) and Anthropic's signed thinking blocks
// (Anthropic verifies their signatures). Gemini's thought signatures ride in the call ids instead.
//
//   vecstruct.<base64url JSON {"v":1,"t"?: reasoning text,"b"?: thinking blocks}>
const PREFIX = "vecstruct.";

export type ThinkingBlock = { type: "thinking"; thinking: string; signature: string } | { type: "redacted_thinking"; data: string };

export interface ReasoningPayload {
  v: 1;
  t?: string;
  b?: ThinkingBlock[];
}

export function sealReasoning(text: string, blocks: ThinkingBlock[]): string {
  const payload: ReasoningPayload = { v: 1 };
  if (text) payload.t = text;
  if (blocks.length > 0) payload.b = blocks;
  return PREFIX + Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/** Our payload, or null for anything else (OpenAI's own encrypted reasoning, a client's string). */
export function openReasoning(encrypted: string | null | undefined): ReasoningPayload | null {
  if (!encrypted?.startsWith(PREFIX)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), "base64url").toString("utf8")) as Partial<ReasoningPayload> | null;
    if (typeof parsed !== "object" || parsed === null || parsed.v !== 1) return null;
    const out: ReasoningPayload = { v: 1 };
    if (typeof parsed.t === "string") out.t = parsed.t;
    if (Array.isArray(parsed.b)) out.b = parsed.b.filter(isBlock);
    return out;
  } catch {
    return null;
  }
}

function isBlock(b: unknown): b is ThinkingBlock {
  const o = b as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null) return false;
  if (o.type === "thinking") return typeof o.thinking === "string" && typeof o.signature === "string";
  return o.type === "redacted_thinking" && typeof o.data === "string";
}

/** Anthropic's blocks as the adapter returns them (`thinking_blocks` on a message or a delta). */
export function thinkingBlocksOf(o: Record<string, unknown>): ThinkingBlock[] {
  return Array.isArray(o.thinking_blocks) ? (o.thinking_blocks as unknown[]).filter(isBlock) : [];
}
