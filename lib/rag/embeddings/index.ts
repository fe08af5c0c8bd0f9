// Which model embeds a project's chunks and queries: the project's `embedding_model` (a catalog model
// of kind "embedding", called through the adapter library like /v1/embeddings) or, when it names
// none, the offline default that ships in npm. Both sides of a comparison always use the same one.
import { ApiError } from "../../errors";
import { internalEmbeddings } from "../../upstream/internal";
import { embedLocal, LOCAL_EMBEDDING_MODEL } from "./local";

export const DEFAULT_EMBEDDING_MODEL: string = LOCAL_EMBEDDING_MODEL.id;

/** The model id vectors are tagged with: the project's setting, or the offline default's id. */
export const effectiveEmbeddingModel = (projectModel: string | null | undefined): string => projectModel ?? DEFAULT_EMBEDDING_MODEL;

/** Inputs per upstream call: well under every OpenAI-compatible server's limit (OpenAI: 2048) and request size. */
export const REMOTE_BATCH_SIZE = 64;

export interface EmbedFor {
  orgId: string;
  projectId: string;
  /** effectiveEmbeddingModel() of the project. */
  model: string;
  /** Audit endpoint of remote calls. */
  endpoint: "ingest:embeddings" | "rag:query-embedding";
  metadata?: Record<string, unknown>;
}

export async function embedTexts(ctx: EmbedFor, texts: string[]): Promise<Float32Array[]> {
  // Query embeddings share the project's recent vectors (the memory recall embeds the same text).
  if (ctx.model === DEFAULT_EMBEDDING_MODEL) return embedLocal(texts, ctx.endpoint === "rag:query-embedding" ? ctx.projectId : undefined);
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += REMOTE_BATCH_SIZE) {
    out.push(...(await internalEmbeddings(ctx, texts.slice(i, i + REMOTE_BATCH_SIZE))));
  }
  const dims = out[0]?.length;
  if (out.some((v) => v.length !== dims)) throw new ApiError("upstream_error", `The embedding model ${ctx.model} returned vectors of different widths.`);
  return out;
}
