// One translation per model and protocol for a whole request on a translated front door (Messages,
// Responses): the reservation and each attempt (retries included) share it, warnings and refusals
// alike; and the streaming attempt both dialects make with it.
import type { AuditDraft } from "../audit/draft";
import { GeneratedTokens, reservationMicros } from "../billing/chat";
import type { CatalogModel } from "../catalog/catalog";
import type { Protocol } from "../catalog/providers";
import { ApiError } from "../errors";
import { chatAdapterFor } from "../providers/registry";
import { sseParser } from "../providers/sse";
import type { ChatCompletionChunk, Usage } from "../providers/types";
import { callUpstream } from "../upstream/call";
import type { Target } from "../upstream/invoke";
import type { Candidate } from "../upstream/routing/plan";
import type { ChatRequest } from "../wire/chat";

export type Translate = (model: CatalogModel, protocol: Protocol, warnings: string[]) => ChatRequest;

export class Translations {
  private readonly done = new Map<string, { chat: ChatRequest; warnings: string[] } | { error: unknown }>();

  constructor(private readonly translate: Translate) {}

  get(model: CatalogModel, protocol: Protocol): { chat: ChatRequest; warnings: string[] } {
    const key = `${model.rowId}\u0000${protocol}`;
    let entry = this.done.get(key);
    if (!entry) {
      const warnings: string[] = [];
      try {
        entry = { chat: this.translate(model, protocol, warnings), warnings };
      } catch (error) {
        entry = { error };
      }
      this.done.set(key, entry);
    }
    if ("error" in entry) throw entry.error;
    return { chat: entry.chat, warnings: [...entry.warnings] };
  }

  /** What this candidate can cost on its translated protocols: the translated request's bound. */
  worstCase(c: Candidate, translated: (p: Protocol) => boolean): bigint {
    const protocols = c.credentials.map((p) => p.protocol).filter(translated);
    if (protocols.length === 0) return 0n;
    try {
      return reservationMicros(this.get(c.model, protocols[0]!).chat, c.model, protocols);
    } catch {
      return 0n; // a request this model cannot take: its attempt answers the 400
    }
  }
}

/**
 * One translated streaming attempt up to the chat chunks: the chat request sent through the
 * upstream's adapter, its SSE parsed into chunks, and the upstream's usage and the output counted
 * on the way (for a stream that ends without usage). Each dialect turns the chunks into its events.
 */
export async function translatedChunks(audit: AuditDraft, target: Target, translations: Translations, ctx: { id: string; created: number }) {
  const { chat, warnings } = translations.get(target.model, target.provider.protocol);
  const adapter = chatAdapterFor(target.provider.protocol)!;
  const upstream = adapter.buildRequest(chat, { baseUrl: target.provider.baseUrl, apiKey: target.provider.apiKey, upstreamModel: target.model.upstreamModel }, { stream: true });
  const res = await callUpstream({ audit, abort: target.abort }, target.model, upstream, adapter.mapError, target.provider);
  if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
  let usage: Usage | null = null;
  const generated = new GeneratedTokens();
  const chunks = res.body
    .pipeThrough(sseParser())
    .pipeThrough(adapter.streamTransformer({ ...ctx, model: target.model.id }))
    .pipeThrough(
      new TransformStream<ChatCompletionChunk, ChatCompletionChunk>({
        transform(chunk, c) {
          if (chunk.usage) usage = chunk.usage;
          for (const choice of chunk.choices) if (choice.index === 0) generated.addDelta(0, choice.delta);
          c.enqueue(chunk);
        },
      }),
    );
  return { chat, chunks, usage: () => usage, generated, warnings: [...warnings, ...upstream.warnings] };
}
