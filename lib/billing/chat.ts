// Money for one chat request: the worst-case reservation before the upstream call (prompt bound plus
// every choice's output cap) and the usage estimate when the upstream reports none. The charge, capped
// at the reservation, is lib/upstream/invoke.ts's.
import type { CatalogModel } from "../catalog/catalog";
import { costMicros } from "./cost";
import { countTokens } from "./tokens";
import type { Protocol } from "../catalog/providers";
import { chatAdapterFor } from "../providers/registry";
import type { Usage } from "../providers/types";
import type { ChatRequest } from "../wire/chat";

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

/**
 * The output cap a request may really use on this model: an adapter may send more than the client
 * asked (Anthropic raises max_tokens to fit its minimum thinking budget), and what is sent is what
 * the upstream can bill us for, so the larger of the two is reserved (DESIGN.md §3b).
 */
export function outputTokenCap(req: ChatRequest, model: CatalogModel, protocols: readonly Protocol[] = []): number {
  let cap = maxOutputTokens(req, model);
  for (const protocol of protocols) {
    const sent = chatAdapterFor(protocol)?.upstreamMaxTokens?.(req, model.upstreamModel);
    if (sent !== undefined && sent > cap) cap = sent;
  }
  return cap;
}

/** Worst case of one request on one model: the prompt bound plus every choice's output cap. */
export function reservationMicros(req: ChatRequest, model: CatalogModel, protocols: readonly Protocol[] = []): bigint {
  const completion = outputTokenCap(req, model, protocols) * (req.n ?? 1);
  return worstCaseMicros(model, promptTokenBound(req), completion);
}

/** A prompt bound and an output cap at the model's prices, every prompt token at the dearer of input and cache write. */
export function worstCaseMicros(model: CatalogModel, prompt: number, completion: number): bigint {
  const writes = (model.cacheWriteMicrosPerMtok ?? 0n) > model.inputMicrosPerMtok ? prompt : 0;
  return costMicros(model, { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cache_write_tokens: writes } });
}

/** Everything a choice generated that the upstream bills: text, refusal, reasoning, tool calls. */
export function generatedText(message: { content?: unknown; refusal?: unknown; reasoning_content?: unknown; tool_calls?: unknown }): string {
  let out = "";
  for (const v of [message.content, message.refusal, message.reasoning_content]) if (typeof v === "string") out += v;
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls as { function?: { name?: unknown; arguments?: unknown } }[]) {
      if (typeof call?.function?.name === "string") out += call.function.name;
      if (typeof call?.function?.arguments === "string") out += call.function.arguments;
    }
  }
  return out;
}

const FLUSH_CHARS = 16 * 1024;

/**
 * Counts what a stream generated, every choice apart (n > 1), for the estimate of a stream that ends
 * without upstream usage. Text is tokenized in slices of a few KB, so memory stays bounded however
 * long the stream runs.
 */
export class GeneratedTokens {
  private readonly pending = new Map<number, string>();
  private counted = 0;

  add(choice: number, text: string): void {
    if (!text) return;
    const buf = (this.pending.get(choice) ?? "") + text;
    if (buf.length < FLUSH_CHARS) {
      this.pending.set(choice, buf);
      return;
    }
    this.counted += countTokens(buf);
    this.pending.delete(choice);
  }

  /** One streamed delta: its content, refusal, reasoning and tool-call fragments. */
  addDelta(choice: number, delta: { content?: unknown; refusal?: unknown; reasoning_content?: unknown; tool_calls?: unknown }): void {
    this.add(choice, generatedText(delta));
  }

  total(): number {
    let n = this.counted;
    for (const buf of this.pending.values()) n += countTokens(buf);
    return n;
  }
}

/** Usage counted with the tokenizer, for an upstream that reported none (aborted or failed streams). */
export function estimateUsage(req: ChatRequest, generated: string | string[] | number): Usage {
  const { text, images } = promptParts(req);
  const prompt = countTokens(text) + images * 765 + req.messages.length * 4;
  const completion =
    typeof generated === "number" ? generated : typeof generated === "string" ? countTokens(generated) : generated.reduce((n, g) => n + countTokens(g), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
