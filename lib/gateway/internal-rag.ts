// Embeddings and rerank calls the gateway makes on a project's behalf (document ingestion, RAG query
// embeddings, the RAG rerank stage): the same adapter functions, upstream call, reservation and
// settlement as /v1/embeddings and /v1/rerank, audited with origin "internal" (one row per upstream
// call) and billed to the project's organization at the catalog's prices.
import { costMicros } from "../billing/cost";
import { reserve } from "../billing/reserve";
import { countTokens } from "../billing/tokens";
import { ApiError } from "../errors";
import { embeddingsError, embeddingsRequest, parseEmbeddings } from "../providers/embeddings";
import { parseRerank, rerankRequest, type RerankResult } from "../providers/rerank";
import { AuditDraft } from "./audit-draft";
import type { KeyContext } from "./auth";
import type { ProviderRuntime } from "../catalog/providers";
import { keepsMetadataOnly } from "./projects";
import { routeJson, singleModel } from "./target";

export interface InternalCall {
  orgId: string;
  projectId: string;
  /** Catalog id of the model. */
  model: string;
  /** Audit endpoint, e.g. "ingest:embeddings". */
  endpoint: string;
  metadata?: Record<string, unknown>;
}

/** An internal caller acts with the organization's rights and no key budget (as lib/gateway/internal.ts). */
const internalKey = (c: InternalCall): KeyContext => ({ id: "internal", orgId: c.orgId, projectId: c.projectId, models: null, projects: null, rpmLimit: null, tpmLimit: null, maxConcurrent: null, budgetMicros: null, expiresAt: null });

async function audited<T>(c: InternalCall, request: Record<string, unknown>, run: (audit: AuditDraft, key: KeyContext, abort: AbortController) => Promise<T>): Promise<T> {
  const key = internalKey(c);
  const audit = new AuditDraft(key, c.endpoint, "internal");
  audit.model = c.model;
  audit.metadata = c.metadata ?? null;
  try {
    // The query of a RAG rerank is the user's words: a metadata-only project keeps none.
    if (await keepsMetadataOnly(key)) audit.keepMetadataOnly();
    audit.setRequest(request);
    const out = await run(audit, key, new AbortController());
    audit.markFirstToken();
    audit.success();
    return out;
  } catch (err) {
    audit.failure(err);
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

/** Embeds texts with a catalog embedding model; vectors in input order, all of one width. */
export function internalEmbeddings(c: InternalCall, input: string[]): Promise<Float32Array[]> {
  return audited(c, { model: c.model, input: `[${input.length} texts]` }, async (audit, key, abort) => {
    const target = await singleModel(key, c.model, "embedding");
    const { model } = target;
    audit.provider = model.provider;
    audit.catalogModel = model.id;
    const bound = input.reduce((n, t) => n + Buffer.byteLength(t) + 1, 0);
    audit.reservation = await reserve(key, costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }), 0n);
    const build = (p: ProviderRuntime) => embeddingsRequest(p.protocol, { model: c.model, input, encoding_format: "float" }, { baseUrl: p.baseUrl, apiKey: p.apiKey, upstreamModel: model.upstreamModel });
    const out = parseEmbeddings(await routeJson({ audit, abort }, target, build, embeddingsError(model.provider)), c.model);
    if (out.data.length !== input.length) throw new ApiError("upstream_error", `The upstream returned ${out.data.length} embeddings for ${input.length} inputs.`);
    const vectors: Float32Array[] = new Array(input.length);
    for (const d of out.data) {
      if (!Number.isInteger(d.index) || d.index < 0 || d.index >= input.length || vectors[d.index]) throw new ApiError("upstream_error", "The upstream returned embeddings with invalid indexes.");
      vectors[d.index] = toVector(d.embedding, "embedding");
    }
    const dims = vectors[0]!.length;
    if (vectors.some((v) => v.length !== dims)) throw new ApiError("upstream_error", "The upstream returned embeddings of different widths.");
    let prompt = out.usage.prompt_tokens;
    if (!prompt) {
      prompt = countTokens(input.join("\n"));
      audit.usageEstimated = true;
    }
    audit.usage = { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt };
    const cost = costMicros(model, audit.usage);
    audit.costMicros = cost < audit.reservation.usd ? cost : audit.reservation.usd;
    return vectors;
  });
}

/** Scores documents against a query with a catalog rerank model; results best first. */
export function internalRerank(c: InternalCall, query: string, documents: string[]): Promise<RerankResult[]> {
  return audited(c, { model: c.model, query, documents: `[${documents.length} passages]` }, async (audit, key, abort) => {
    const target = await singleModel(key, c.model, "rerank");
    const { model } = target;
    audit.provider = model.provider;
    audit.catalogModel = model.id;
    const bound = documents.reduce((n, d) => n + Buffer.byteLength(d) + Buffer.byteLength(query) + 8, 0);
    audit.reservation = await reserve(key, costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }), 0n);
    const build = (p: ProviderRuntime) => rerankRequest(p.protocol, { query, documents }, { baseUrl: p.baseUrl, apiKey: p.apiKey, upstreamModel: model.upstreamModel });
    const parsed = parseRerank(await routeJson({ audit, abort }, target, build, embeddingsError(model.provider)), documents.length);
    const prompt = parsed.totalTokens ?? countTokens(query) * documents.length + countTokens(documents.join("\n"));
    audit.usageEstimated = parsed.totalTokens === null;
    audit.usage = { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt };
    const cost = costMicros(model, audit.usage);
    audit.costMicros = cost < audit.reservation.usd ? cost : audit.reservation.usd;
    return parsed.results;
  });
}
