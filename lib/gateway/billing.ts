// Money for one chat request: the worst-case reservation before the upstream call, and the charge
// after it (never more than was reserved, so settlement can never overdraw a balance).
import type { CatalogModel } from "../catalog/catalog";
import { costMicros } from "../billing/cost";
import { countTokens } from "../billing/tokens";
import type { Usage } from "../providers/types";
import type { ChatRequest } from "./schema";

const IMAGE_TOKEN_BOUND = 2_000; // above any provider's per-image cost (Anthropic's largest is ~1,600)
const DEFAULT_MAX_OUTPUT = 4_096;

function textOf(content: unknown): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  let text = "";
  let images = 0;
  if (Array.isArray(content)) {
    for (const part of content as { type?: string; text?: unknown }[]) {
      if (part?.type === "image_url") images += 1;
      else if (typeof part?.text === "string") text += part.text;
      else text += JSON.stringify(part);
    }
  }
  return { text, images };
}

/** Text the model reads (messages, tools, schema) and how many images. */
function promptParts(req: ChatRequest): { text: string; images: number } {
  let text = "";
  let images = 0;
  for (const m of req.messages) {
    const c = textOf(m.content);
    text += c.text;
    images += c.images;
    if (m.role === "assistant" && m.tool_calls) text += JSON.stringify(m.tool_calls);
  }
  if (req.tools) text += JSON.stringify(req.tools);
  if (req.response_format) text += JSON.stringify(req.response_format);
  return { text, images };
}

/** An upper bound of prompt tokens: a BPE token covers at least one byte, plus overhead per message. */
export function promptTokenBound(req: ChatRequest): number {
  const { text, images } = promptParts(req);
  // Providers add hidden tool-use instructions (Anthropic: a few hundred tokens).
  return Buffer.byteLength(text) + images * IMAGE_TOKEN_BOUND + req.messages.length * 8 + 16 + (req.tools?.length ? 600 : 0);
}

export function maxOutputTokens(req: ChatRequest, model: CatalogModel): number {
  return req.max_completion_tokens ?? req.max_tokens ?? model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT;
}

export function reservationMicros(req: ChatRequest, model: CatalogModel): bigint {
  const completion = maxOutputTokens(req, model) * (req.n ?? 1);
  const prompt = promptTokenBound(req);
  return costMicros(model, { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
}

/** Usage counted with the tokenizer, for an upstream that reported none (aborted or failed streams). */
export function estimateUsage(req: ChatRequest, generated: string): Usage {
  const { text, images } = promptParts(req);
  const prompt = countTokens(text) + images * 765 + req.messages.length * 4;
  const completion = countTokens(generated);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function chargeMicros(model: CatalogModel, usage: Usage | null, reserved: bigint): bigint {
  const cost = costMicros(model, usage);
  return cost < reserved ? cost : reserved;
}
