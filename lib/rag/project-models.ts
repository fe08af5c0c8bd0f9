// A project's RAG model settings: `embedding_model` (which model embeds its chunks and queries) and
// `rerank_model` (an optional rerank stage). Both must name a catalog model of the right kind that
// the organization can use. Changing the embedding model re-embeds every document of the project.
import { findModel, getCatalog } from "../catalog/catalog";
import type { ModelKind } from "../catalog/seed";
import { db } from "../db";
import { ApiError } from "../errors";
import { DEFAULT_EMBEDDING_MODEL } from "./embeddings";
import { enqueueIngestion } from "./ingest";
import { setProjectEmbeddingModel } from "./store";
import type { Scope } from "../tenancy/scope";
import { forgetProject } from "../tenancy/project-settings";
import { createProject, updateProject, type projectCreateSchema, type projectUpdateSchema } from "../tenancy/projects";
import type { z } from "zod";

/** The stored value of an `embedding_model` input: the offline default's own id means "none". */
export const storedEmbeddingModel = (input: string | null): string | null => (input === DEFAULT_EMBEDDING_MODEL ? null : input);

/** 400 unless `id` is a catalog model of `kind` this organization can use (null always passes). */
export async function checkModelSetting(orgId: string, id: string | null, kind: Extract<ModelKind, "embedding" | "rerank">, param: string): Promise<void> {
  if (id === null) return;
  const model = findModel(await getCatalog(), orgId, id);
  if (!model) throw new ApiError("invalid_value", `'${id}' is not a model available to this organization (see GET /api/models).`, { param });
  if (model.kind !== kind) throw new ApiError("invalid_value", `'${id}' is a ${model.kind} model; '${param}' needs a model of kind "${kind}".`, { param });
}

/**
 * Switches the project's embedding model: its chunks and vectors are dropped and every document is
 * queued to be re-extracted from its kept source and re-embedded (status queued → processing →
 * ready, visible in the documents list). Until a document is ready again it is not retrieved.
 * Returns how many documents were queued.
 */
export async function switchEmbeddingModel(projectId: string, model: string | null): Promise<number> {
  const queued = await setProjectEmbeddingModel(projectId, model);
  if (queued.length === 0) return 0;
  const { orgId } = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { orgId: true } });
  await Promise.all(queued.map((id) => enqueueIngestion(id, orgId)));
  return queued.length;
}

type ModelInput = { embedding_model?: string | null; rerank_model?: string | null };

/** The input with `embedding_model` as it is stored (the offline default's own id is null). */
function stored<T extends ModelInput>(input: T): T {
  return input.embedding_model == null ? input : { ...input, embedding_model: storedEmbeddingModel(input.embedding_model) };
}

async function checkRagModels(orgId: string, input: ModelInput): Promise<void> {
  if (input.embedding_model) await checkModelSetting(orgId, input.embedding_model, "embedding", "embedding_model");
  if (input.rerank_model) await checkModelSetting(orgId, input.rerank_model, "rerank", "rerank_model");
}

/** POST /api/projects: the RAG model settings are checked against the catalog before the project is stored. */
export async function createProjectWithModels(scope: Scope, input: z.infer<typeof projectCreateSchema>) {
  const data = stored(input);
  return createProject(scope, data, (orgId) => checkRagModels(orgId, data));
}

/**
 * PATCH /api/projects/{id}: the settings are written by the tenancy layer; a new embedding model
 * then re-embeds the project's documents (vectors of two models are never compared).
 */
export async function updateProjectWithModels(scope: Scope, id: string, input: z.infer<typeof projectUpdateSchema>) {
  const data = stored(input);
  const updated = await updateProject(scope, id, data, (orgId) => checkRagModels(orgId, data));
  if (data.embedding_model === undefined || data.embedding_model === updated.embeddingModel) return updated;
  await switchEmbeddingModel(updated.id, data.embedding_model);
  forgetProject(updated.id);
  return { ...updated, embeddingModel: data.embedding_model, updatedAt: new Date() };
}
