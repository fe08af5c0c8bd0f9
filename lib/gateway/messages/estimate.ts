// Money for a Messages request before and after the upstream: the prompt bound the reservation uses
// (a token covers at least one byte; images at a per-image bound, never their base64 bytes) and the
// tokenizer's estimate when an upstream reports no usage (a stream cut before message_delta).
import { countTokens } from "../../billing/tokens";
import type { Usage } from "../../providers/types";
import type { MessagesRequestWithExtension as MessagesRequest } from "../../wire/messages";

const IMAGE_TOKEN_BOUND = 2_000; // as lib/billing/chat.ts: above any provider's per-image cost

type Req = Pick<MessagesRequest, "messages" | "system" | "tools">;

/** The text a model reads (system, every block, tool definitions) and how many images. */
export function promptText(req: Req): { text: string; images: number } {
  let text = typeof req.system === "string" ? req.system : (req.system ?? []).map((b) => b.text).join("\n");
  let images = 0;
  const walk = (block: Record<string, unknown>) => {
    const source = block.source as { type?: unknown; data?: unknown } | undefined;
    if (block.type === "image") images += 1;
    // A base64 PDF is priced by its pages (text plus a page image): one image bound per 10 KB, never its bytes.
    else if (block.type === "document" && source?.type === "base64" && typeof source.data === "string") images += Math.ceil((source.data.length * 3) / 4 / 10_000) + 1;
    else if (typeof block.text === "string") text += block.text;
    else if (typeof block.thinking === "string") text += block.thinking;
    else if (block.type === "tool_use") text += `${String(block.name)}${JSON.stringify(block.input ?? {})}`;
    else if (block.type === "tool_result") {
      if (typeof block.content === "string") text += block.content;
      else if (Array.isArray(block.content)) for (const b of block.content) walk(b as Record<string, unknown>);
    } else text += JSON.stringify(block);
  };
  for (const m of req.messages) {
    if (typeof m.content === "string") text += m.content;
    else for (const b of m.content) walk(b as Record<string, unknown>);
  }
  if (req.tools) text += JSON.stringify(req.tools);
  return { text, images };
}

/** An upper bound of prompt tokens on any upstream (hidden tool instructions included). */
export function messagesPromptBound(req: Req): number {
  const { text, images } = promptText(req);
  return Buffer.byteLength(text) + images * IMAGE_TOKEN_BOUND + req.messages.length * 8 + 32 + (req.tools?.length ? 600 : 0);
}

/** The tokenizer's count of the prompt. */
export function messagesPromptTokens(req: Req): number {
  const { text, images } = promptText(req);
  return countTokens(text) + images * 765 + req.messages.length * 4;
}

export function estimateMessagesUsage(req: Req, generated: number): Usage {
  const prompt = messagesPromptTokens(req);
  return { prompt_tokens: prompt, completion_tokens: generated, total_tokens: prompt + generated };
}
