// Hybrid retrieval: vector search, lexical search, and lexical search for the question's words in the
// other language (Chinese ↔ English, from a dictionary) over the project's chunks, fused by reciprocal
// rank fusion (k = 60), then, when the project names a rerank model, reordered by it.
//
// `similarity` is the relevance the final order was made by, in [0, 1], so it never increases down the
// list and `rag_min_similarity` keeps a prefix of it (docs/rag.md, "Similarity"):
//   - fused order: the RRF score over the best score possible with the lists searched (the
//     cross-lingual one when it found anything), Σ 1/(60 + rank) × 61 / lists — 1 for a chunk first
//     in every list, 0.5 first in one of two;
//   - reranked order: the reranker's relevance_score clipped to [0, 1]; passages it did not score
//     follow with at most the last scored one's value.
// It used to be the cosine while the order was the fused one: 128 of 150 answers of a held-out set
// listed sources out of `similarity` order (issue 19). The raw signals stay on every chunk: `cosine`
// (clipped to [0, 1], null when the query could not be embedded), `vector_rank`, `lexical_rank`,
// `crosslingual_rank`, `score`.
//
// Degraded, never failed: when the query embedding fails (a remote model down, say) retrieval is
// lexical only, and when the reranker fails the fused order stands. Both say so in `warnings` (the
// chat response's vecstruct.warnings) and in the server log; the request itself goes on.
import { db } from "../db";
import { ApiError } from "../errors";
import { internalRerank } from "../upstream/internal";
import { projectSettings } from "../tenancy/project-settings";
import { DEFAULT_EMBEDDING_MODEL, effectiveEmbeddingModel, embedTexts } from "./embeddings";
import { bufferToVector, cosineSimilarity } from "../vector-codec";
import { crossLingualSearch, lexicalSearch, vectorSearch, type CrossLingualHit, type RankedHit } from "./store";
import { log } from "../log";
import { crossLingualGroups } from "../text/crosslingual";
import { mostlyCjk } from "../text/segment";

export type RetrievalMode = "hybrid" | "vector" | "lexical";

/** What retrieval needs to know about the project (the gateway passes its cached copy). */
export interface RagSettings {
  orgId: string;
  /** Catalog id; null = the offline default. */
  embeddingModel: string | null;
  /** Catalog id of a rerank model; null = no rerank stage. */
  rerankModel: string | null;
}

export interface RetrieveOptions {
  projectId: string;
  query: string;
  topK: number;
  sourceIds?: string[];
  minSimilarity?: number;
  mode?: RetrievalMode;
  /** Read from the project when absent. */
  settings?: RagSettings;
  /** false skips the project's rerank stage (the console compares both). Default true. */
  rerank?: boolean;
  /** Receives a sentence per degraded step (query embedding or rerank failed). */
  warnings?: string[];
  /** Stored on the audit rows of the embedding and rerank calls made for this retrieval. */
  metadata?: Record<string, unknown>;
}

export interface RetrievedChunk {
  chunk_id: string;
  document_id: string;
  title: string;
  heading: string | null;
  content: string;
  /** The ranking's relevance in [0, 1] (see the top of this file); non-increasing down the list. */
  similarity: number;
  /** Cosine of query and chunk vectors clipped to [0, 1]; null when the query was not embedded. */
  cosine: number | null;
  /** The fused RRF score. */
  score: number;
  vector_rank: number | null;
  lexical_rank: number | null;
  /** Position in the keyword search for the question's words in the other language (Chinese ↔ English); null when not found there. */
  crosslingual_rank: number | null;
  /** Position (1-based) and score the reranker gave; null without a rerank stage or when it failed. */
  rerank_rank: number | null;
  rerank_score: number | null;
}

const RRF_K = 60;

export function reciprocalRankFusion(lists: RankedHit[][]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) for (const h of list) scores.set(h.chunkId, (scores.get(h.chunkId) ?? 0) + 1 / (RRF_K + h.rank));
  return scores;
}

/** The fused score as a share of the best one possible with `lists` ranked lists (first in each). */
export const fusedSimilarity = (score: number, lists: number) => (lists > 0 ? Math.min(1, (score * (RRF_K + 1)) / lists) : 0);

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Each similarity at most the one before it: the order is the ranking's, and so must the numbers be. */
function monotonic(chunks: RetrievedChunk[]): RetrievedChunk[] {
  let prev = 1;
  return chunks.map((c) => {
    const similarity = round6(Math.max(0, Math.min(prev, c.similarity)));
    prev = similarity;
    return similarity === c.similarity ? c : { ...c, similarity };
  });
}

export async function loadRagSettings(projectId: string): Promise<RagSettings> {
  const p = await db().project.findUnique({ where: { id: projectId }, select: { orgId: true, embeddingModel: true, settings: true } });
  if (!p) throw new Error(`project ${projectId} not found`);
  return { orgId: p.orgId, embeddingModel: p.embeddingModel, rerankModel: projectSettings(p.settings).rerank_model ?? null };
}

/** Passages the reranker sees: the best fused candidates, enough for it to matter, bounded in cost. */
export const rerankPoolSize = (topK: number) => Math.min(100, Math.max(20, topK * 2));

// Our own errors' messages only: anything else may carry internals.
const problem = (err: unknown) => (err instanceof ApiError ? err.message : "internal error");

export async function retrieve(opts: RetrieveOptions): Promise<RetrievedChunk[]> {
  const mode = opts.mode ?? "hybrid";
  const query = opts.query.trim();
  if (!query || opts.sourceIds?.length === 0) return [];
  const settings = opts.settings ?? (await loadRagSettings(opts.projectId));
  const model = effectiveEmbeddingModel(settings.embeddingModel);
  const base = { orgId: settings.orgId, projectId: opts.projectId, ...(opts.metadata ? { metadata: opts.metadata } : {}) };
  // Candidates beyond top_k give fusion, the similarity threshold and the reranker room to work.
  const depth = Math.min(200, Math.max(20, opts.topK * 4));
  let queryVector: Float32Array | undefined;
  if (mode !== "lexical") {
    try {
      [queryVector] = await embedTexts({ ...base, model, endpoint: "rag:query-embedding" }, [query]);
    } catch (err) {
      log.warn("RAG query embedding failed; lexical retrieval only", { model }, err);
      opts.warnings?.push(`rag: the query could not be embedded with ${model} (${problem(err)}); passages were retrieved by keywords only`);
    }
  }
  const [vector, lexical, other] = await Promise.all([
    queryVector ? vectorSearch(opts.projectId, queryVector, depth, opts.sourceIds) : [],
    mode === "vector" ? [] : lexicalSearch(opts.projectId, query, depth, opts.sourceIds),
    mode === "vector" ? { hits: [], groups: 0 } : searchOtherLanguage(opts.projectId, query, depth, opts.sourceIds, opts.warnings),
  ]);
  const bridged = other.hits;
  const scores = reciprocalRankFusion([vector, lexical, bridged]);
  if (scores.size === 0) return [];
  // By primary key, the project checked on the rows: with `projectId` in the WHERE, SQLite (no ANALYZE
  // statistics) walked the project's index, reading every chunk of the project, blobs included, to
  // find ~40 ids (bench/rag: 25 ms at 10k chunks, ~0.2 s at 100k; 2.5 ms by primary key).
  // Only chunks embedded by the model the query was embedded with: a project that just switched models
  // may still have a document committed under the old one for a moment.
  const rows = (
    await db().chunk.findMany({
      where: { id: { in: [...scores.keys()] }, document: { status: "ready", embeddingModel: model } },
      select: { id: true, projectId: true, documentId: true, heading: true, content: true, embedding: true, document: { select: { title: true } } },
    })
  ).filter((r) => r.projectId === opts.projectId);
  const vRank = new Map(vector.map((h) => [h.chunkId, h.rank]));
  const lRank = new Map(lexical.map((h) => [h.chunkId, h.rank]));
  const xHit = new Map(bridged.map((h) => [h.chunkId, h]));
  // The lists that were searched (a query that could not be embedded is ranked by keywords alone); the
  // cross-lingual list counts when it found something, so a question with no translation to search
  // keeps the scale of the other two.
  const lists = (queryVector ? 1 : 0) + (mode === "vector" ? 0 : 1) + (bridged.length > 0 ? 1 : 0);
  // The offline model embeds English only. It ranks an English question's English passages, but its
  // cosine with a Chinese passage means nothing (bench:rag, multilingual set: vector ranks 50–120 for
  // the answer), so fusion preferred any English passage both lists rank mid-way. For a Chinese passage
  // that matches at least half of the English question's words and codes in translation (and two of
  // them), the rank of that match stands in for its vector rank. A Chinese question gets no such help:
  // the model ranks none of the passages for it, so every language competes on keywords alone.
  const blind = queryVector !== undefined && model === DEFAULT_EMBEDDING_MODEL && other.groups > 0 && !mostlyCjk(query);
  const enough = Math.max(2, Math.ceil(other.groups / 2));
  const fused = rows
    .map((r): RetrievedChunk => {
      let score = scores.get(r.id) ?? 0;
      const x = xHit.get(r.id);
      if (blind && x !== undefined && x.cover >= enough && mostlyCjk(r.heading ? `${r.heading}\n${r.content}` : r.content)) {
        const v = vRank.get(r.id);
        score += 1 / (RRF_K + x.rank) - (v === undefined ? 0 : 1 / (RRF_K + v));
      }
      return {
        chunk_id: r.id,
        document_id: r.documentId,
        title: r.document.title,
        heading: r.heading,
        content: r.content,
        similarity: fusedSimilarity(score, lists),
        cosine: queryVector && r.embedding && r.embedding.byteLength === queryVector.length * 4 ? round6(cosineSimilarity(queryVector, bufferToVector(r.embedding))) : null,
        score,
        vector_rank: vRank.get(r.id) ?? null,
        lexical_rank: lRank.get(r.id) ?? null,
        crosslingual_rank: xHit.get(r.id)?.rank ?? null,
        rerank_rank: null,
        rerank_score: null,
      };
    })
    .sort((a, b) => b.score - a.score || (b.cosine ?? 0) - (a.cosine ?? 0));
  const ordered = settings.rerankModel && opts.rerank !== false && fused.length > 0 ? await rerank({ ...base, model: settings.rerankModel, endpoint: "rag:rerank" }, query, fused, opts) : fused;
  const min = opts.minSimilarity ?? 0;
  return monotonic(ordered)
    .filter((c) => c.similarity >= min)
    .slice(0, opts.topK);
}

/**
 * The third list: keyword search for the question's words translated (Chinese ↔ English) with the
 * glossary (lib/text/glossary.ts). The offline embedding model is English-only, so without it a
 * question in one language finds nothing in the other (bench:rag multilingual set, cross-lingual:
 * 22% → 59% passage recall@5; docs/rag.md).
 */
async function searchOtherLanguage(
  projectId: string,
  query: string,
  k: number,
  documentIds: string[] | undefined,
  warnings: string[] | undefined,
): Promise<{ hits: CrossLingualHit[]; groups: number }> {
  let groups: Awaited<ReturnType<typeof crossLingualGroups>>;
  try {
    groups = await crossLingualGroups(query);
  } catch (err) {
    log.warn("cross-lingual glossary unavailable; keyword search in the question's language only", {}, err);
    warnings?.push("rag: the cross-lingual dictionary could not be loaded; passages in another language were searched by vector only");
    return { hits: [], groups: 0 };
  }
  return groups.translated.length > 0 ? crossLingualSearch(projectId, groups, k, documentIds) : { hits: [], groups: 0 };
}

/** The pool in the reranker's order (passages it did not score keep their fused order after the scored ones); the fused order when it fails. */
async function rerank(call: Parameters<typeof internalRerank>[0], query: string, fused: RetrievedChunk[], opts: RetrieveOptions): Promise<RetrievedChunk[]> {
  const pool = fused.slice(0, rerankPoolSize(opts.topK));
  try {
    const results = await internalRerank(
      call,
      query,
      pool.map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content)),
    );
    const seen = new Set<number>();
    const ordered: RetrievedChunk[] = [];
    for (const r of results) {
      if (seen.has(r.index)) continue;
      seen.add(r.index);
      const score = round6(r.relevance_score);
      ordered.push({ ...pool[r.index]!, rerank_rank: ordered.length + 1, rerank_score: score, similarity: Math.max(0, Math.min(1, score)) });
    }
    return [...ordered, ...pool.filter((_, i) => !seen.has(i)), ...fused.slice(pool.length)];
  } catch (err) {
    log.warn("RAG rerank failed; keeping the fused order", { model: call.model }, err);
    opts.warnings?.push(`rag: reranking with ${call.model} failed (${problem(err)}); passages are in hybrid-search order`);
    return fused;
  }
}
