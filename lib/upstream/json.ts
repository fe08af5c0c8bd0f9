// The three JSON calls (chat without a stream, embeddings, rerank) as invoke() attempts and prices:
// what /v1/embeddings, /v1/rerank and the gateway's internal work share.
import { countTokens } from "../billing/tokens";
import { estimateUsage, generatedText } from "../billing/chat";
import { randomBase62 } from "../crypto";
import { ApiError } from "../errors";
import type { EmbeddingsResponse, RerankAnswer, RerankInput } from "../providers/capabilities";
import { chatAdapterFor, embeddingsAdapterFor, rerankAdapterFor } from "../providers/registry";
import type { ChatCompletion } from "../providers/types";
import type { ChatRequest } from "../wire/chat";
import type { AuditDraft } from "../audit/draft";
import { callUpstream, readUpstreamJson } from "./call";
import type { Priced, Target } from "./invoke";

const upstreamOf = (t: Target) => ({ baseUrl: t.provider.baseUrl, apiKey: t.provider.apiKey, upstreamModel: t.model.upstreamModel });

/** Upper bound of input tokens: a token covers at least one byte (token-id inputs are exact). */
export function embeddingTokenBound(input: string | readonly (string | number | readonly number[])[]): number {
  if (typeof input === "string") return Buffer.byteLength(input) + 1;
  let n = 0;
  for (const item of input) n += typeof item === "string" ? Buffer.byteLength(item) + 1 : Array.isArray(item) ? item.length : 1;
  return n;
}

export const rerankTokenBound = (query: string, documents: readonly string[]) => documents.reduce((n, d) => n + Buffer.byteLength(d) + Buffer.byteLength(query) + 8, 0);

export const promptOnly = (prompt: number, estimated: boolean): Priced => ({ usage: { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt }, estimated });

export function embeddingsAttempt(audit: AuditDraft, body: Record<string, unknown>, answerModel: string) {
  return async (t: Target): Promise<EmbeddingsResponse> => {
    const adapter = embeddingsAdapterFor(t.provider.protocol);
    const mapError = (status: number, text: string) => adapter.mapError(status, text, t.model.provider);
    const res = await callUpstream({ audit, abort: t.abort }, t.model, adapter.buildRequest(body, upstreamOf(t)), mapError, t.provider);
    return adapter.parseResponse(await readUpstreamJson(res, t.abort), answerModel);
  };
}

/** The upstream's count, else the tokenizer's count of the text inputs. */
export function priceEmbeddings(out: EmbeddingsResponse, inputText: () => string): Priced {
  const prompt = out.usage.prompt_tokens;
  return prompt ? { usage: { prompt_tokens: prompt, completion_tokens: 0, total_tokens: out.usage.total_tokens || prompt }, estimated: false } : promptOnly(countTokens(inputText()), true);
}

export function rerankAttempt(audit: AuditDraft, body: RerankInput) {
  return async (t: Target): Promise<RerankAnswer> => {
    const adapter = rerankAdapterFor(t.provider.protocol);
    const mapError = (status: number, text: string) => adapter.mapError(status, text, t.model.provider);
    const res = await callUpstream({ audit, abort: t.abort }, t.model, adapter.buildRequest(body, upstreamOf(t)), mapError, t.provider);
    return adapter.parseResponse(await readUpstreamJson(res, t.abort), body.documents.length);
  };
}

export function priceRerank(parsed: RerankAnswer, query: string, documents: readonly string[]): Priced {
  if (parsed.totalTokens !== null) return promptOnly(parsed.totalTokens, false);
  return promptOnly(countTokens(query) * documents.length + countTokens(documents.join("\n")), true);
}

/** A chat completion without a stream; the answer's `model` is what the caller names. */
export function chatJsonAttempt(audit: AuditDraft, request: ChatRequest, ctx: { id?: string; created?: number; model?: string } = {}) {
  return async (t: Target): Promise<{ completion: ChatCompletion; warnings: string[] }> => {
    const adapter = chatAdapterFor(t.provider.protocol);
    if (!adapter) throw new ApiError("invalid_value", `'${t.model.id}' cannot serve chat completions.`, { param: "model" });
    const upstream = adapter.buildRequest(request, upstreamOf(t), { stream: false });
    const res = await callUpstream({ audit, abort: t.abort }, t.model, upstream, adapter.mapError, t.provider);
    const completion = adapter.parseResponse(await readUpstreamJson(res, t.abort), {
      id: ctx.id ?? `chatcmpl-${randomBase62(29)}`,
      created: ctx.created ?? Math.floor(Date.now() / 1000),
      model: ctx.model ?? t.model.id,
    });
    return { completion, warnings: upstream.warnings };
  };
}

/** The upstream's usage, else the tokenizer's count of everything every choice generated. */
export function priceChat(request: ChatRequest, completion: ChatCompletion): Priced {
  if (completion.usage) return { usage: completion.usage, estimated: false };
  return { usage: estimateUsage(request, completion.choices.map((c) => generatedText(c.message))), estimated: true };
}
