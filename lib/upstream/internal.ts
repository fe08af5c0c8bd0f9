// Work the gateway does on a project's behalf (document ingestion and RAG query embeddings, the RAG
// rerank stage, memory extraction): the same invoke() as /v1, with origin "internal" (one row per
// invocation, retries and all), billed to the project's organization at the catalog's prices.
import { AuditDraft } from "../audit/draft";
import { reservationMicros } from "../billing/chat";
import { costMicros } from "../billing/cost";
import type { ModelKind } from "../catalog/seed";
import { ApiError } from "../errors";
import type { KeyContext } from "../wire/key";
import { keepsMetadataOnly } from "../tenancy/project-settings";
import type { ChatRequest } from "../wire/chat";
import type { EmbeddingsResponse, RerankAnswer, RerankResult } from "../providers/capabilities";
import type { ChatCompletion } from "../providers/types";
import { invoke, type Invocation } from "./invoke";
import { chatJsonAttempt, embeddingTokenBound, embeddingsAttempt, priceChat, priceEmbeddings, priceRerank, rerankAttempt, rerankTokenBound } from "./json";
import { singleModel } from "./routing/plan";

export interface InternalCall {
  orgId: string;
  projectId: string;
  /** Catalog id of the model. */
  model: string;
  /** Audit endpoint, e.g. "ingest:embeddings". */
  endpoint: string;
  metadata?: Record<string, unknown>;
}

/** An internal caller acts with the organization's rights and no key budget. */
const internalKey = (c: InternalCall): KeyContext => ({ id: "internal", orgId: c.orgId, projectId: c.projectId, models: null, projects: null, rpmLimit: null, tpmLimit: null, maxConcurrent: null, budgetMicros: null, expiresAt: null });

/** The audit row of internal work done without an upstream call (the offline embedding model). */
export function internalAudit(c: Omit<InternalCall, "model"> & { model: string }): AuditDraft {
  const audit = new AuditDraft(internalKey(c), c.endpoint, "internal");
  audit.model = c.model;
  audit.metadata = c.metadata ?? null;
  return audit;
}

/** Opens the internal row, then one invoke(); a failure before it (unknown model) is audited too. */
async function internal<T>(
  c: InternalCall,
  kind: ModelKind,
  request: Record<string, unknown>,
  spec: (audit: AuditDraft) => Pick<Invocation<T>, "worstCase" | "attempt" | "price">,
): Promise<T> {
  const key = internalKey(c);
  const audit = internalAudit(c);
  try {
    // A rerank query, texts to embed and a conversation are the user's words: a metadata-only project keeps none.
    if (await keepsMetadataOnly(key)) audit.keepMetadataOnly();
    audit.setRequest(request);
    const candidate = await singleModel(key, c.model, kind);
    const { result } = await invoke({ audit, key, abort: new AbortController(), candidates: [candidate], ...spec(audit) });
    return result;
  } catch (err) {
    audit.failure(err); // once: a no-op when invoke() committed it
    throw err;
  }
}

function toVector(embedding: number[] | string, what: string): Float32Array {
  if (typeof embedding === "string") {
    // base64 of little-endian float32, what encoding_format "base64" returns.
    const bytes = Buffer.from(embedding, "base64");
    if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) throw new ApiError("upstream_error", `The upstream returned a malformed ${what}.`);
    const out = new Float32Array(bytes.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
    return out;
  }
  if (!Array.isArray(embedding) || embedding.length === 0 || embedding.some((x) => typeof x !== "number" || !Number.isFinite(x))) {
    throw new ApiError("upstream_error", `The upstream returned a malformed ${what}.`);
  }
  return Float32Array.from(embedding);
}

/** The answer's vectors in input order, all of one width; a malformed answer fails the call. */
function vectorsOf(out: EmbeddingsResponse, count: number): Float32Array[] {
  if (out.data.length !== count) throw new ApiError("upstream_error", `The upstream returned ${out.data.length} embeddings for ${count} inputs.`);
  const vectors: Float32Array[] = new Array(count);
  for (const d of out.data) {
    if (!Number.isInteger(d.index) || d.index < 0 || d.index >= count || vectors[d.index]) throw new ApiError("upstream_error", "The upstream returned embeddings with invalid indexes.");
    vectors[d.index] = toVector(d.embedding, "embedding");
  }
  const dims = vectors[0]!.length;
  if (vectors.some((v) => v.length !== dims)) throw new ApiError("upstream_error", "The upstream returned embeddings of different widths.");
  return vectors;
}

/** Embeds texts with a catalog embedding model; vectors in input order, all of one width. */
export async function internalEmbeddings(c: InternalCall, input: string[]): Promise<Float32Array[]> {
  let vectors: Float32Array[] = [];
  const bound = embeddingTokenBound(input);
  await internal<EmbeddingsResponse>(c, "embedding", { model: c.model, input: `[${input.length} texts]` }, (audit) => ({
    worstCase: ({ model }) => costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }),
    attempt: embeddingsAttempt(audit, { model: c.model, input, encoding_format: "float" }, c.model),
    // Checked before the row is committed: a malformed answer is an error row, not a success.
    price: (out) => {
      vectors = vectorsOf(out, input.length);
      return priceEmbeddings(out, () => input.join("\n"));
    },
  }));
  return vectors;
}

/** Scores documents against a query with a catalog rerank model; results best first. */
export async function internalRerank(c: InternalCall, query: string, documents: string[]): Promise<RerankResult[]> {
  const parsed = await internal<RerankAnswer>(c, "rerank", { model: c.model, query, documents: `[${documents.length} passages]` }, (audit) => ({
    worstCase: ({ model }) => {
      const bound = rerankTokenBound(query, documents);
      return costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound });
    },
    attempt: rerankAttempt(audit, { query, documents }),
    price: (p) => priceRerank(p, query, documents),
  }));
  return parsed.results;
}

/** A chat completion (memory extraction), no stream; the answer's text is on the row unless metadata-only. */
export async function internalChat(opts: { orgId: string; projectId: string; endpoint: string; request: ChatRequest; metadata?: Record<string, unknown> }): Promise<ChatCompletion> {
  const { request } = opts;
  const c: InternalCall = { orgId: opts.orgId, projectId: opts.projectId, endpoint: opts.endpoint, model: request.model, metadata: opts.metadata };
  const out = await internal<{ completion: ChatCompletion; warnings: string[] }>(c, "chat", request as Record<string, unknown>, (audit) => ({
    worstCase: ({ model, credentials }) => reservationMicros(request, model, credentials.map((p) => p.protocol)),
    attempt: chatJsonAttempt(audit, request, { model: request.model }),
    price: ({ completion }) => {
      audit.appendText(completion.choices[0]?.message.content ?? "");
      return priceChat(request, completion);
    },
  }));
  return out.completion;
}
