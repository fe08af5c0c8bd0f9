import { z } from "zod";
import { inScope, type Scope } from "../api/management";
import { pageArgs, pageQuery, toPage } from "../api/pagination";
import { db } from "../db";
import { notFound } from "../errors";
import { checkModelSetting, storedEmbeddingModel, switchEmbeddingModel } from "../rag/project-models";

const modelId = (example: string) => z.string().regex(/^[a-z0-9][a-z0-9._-]*\/\S+$/, `expected a model id such as ${example}`);

export const projectCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullish(),
  /** Audit rows of this project keep metadata only: no prompts, no answers. */
  keep_metadata_only: z.boolean().optional(),
  /** Chat model that extracts this project's memories (overrides VECSTRUCT_MEMORY_MODEL); null = raw mode. */
  memory_model: modelId("openai/gpt-4o-mini").nullable().optional(),
  /** Embedding model of the project's documents and RAG queries (a catalog model of kind "embedding"); null = the offline default. Changing it re-embeds every document. */
  embedding_model: modelId("baai/bge-m3").nullable().optional(),
  /** Rerank model applied to RAG candidates (a catalog model of kind "rerank"); null = no rerank stage. */
  rerank_model: modelId("cohere/rerank-v3.5").nullable().optional(),
});
export const projectUpdateSchema = projectCreateSchema.partial();
export const projectListQuery = z.strictObject({ ...pageQuery });

type ProjectRow = {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  keepMetadataOnly: boolean;
  embeddingModel: string | null;
  settings: unknown;
  createdAt: Date;
  updatedAt: Date;
};

export interface ProjectSettings {
  memory_model?: string | null;
  rerank_model?: string | null;
}

export function projectSettings(raw: unknown): ProjectSettings {
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as ProjectSettings) : {};
}

export function serializeProject(p: ProjectRow) {
  return {
    id: p.id,
    object: "project",
    org_id: p.orgId,
    name: p.name,
    description: p.description,
    keep_metadata_only: p.keepMetadataOnly,
    memory_model: projectSettings(p.settings).memory_model ?? null,
    embedding_model: p.embeddingModel,
    rerank_model: projectSettings(p.settings).rerank_model ?? null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

/** A live project the caller may address; another tenant's (or a deleted) id is a 404. */
export async function getProject(scope: Scope, id: string, param: string | null = null): Promise<ProjectRow> {
  const project = await db().project.findFirst({ where: { id, deletedAt: null, ...inScope(scope) } });
  if (!project) throw notFound("Project", param);
  return project;
}

export async function listProjects(scope: Scope, page: z.infer<typeof projectListQuery>) {
  const args = pageArgs(page);
  const rows = await db().project.findMany({ ...args, where: { ...args.where, orgId: scope.orgId, deletedAt: null } });
  return toPage(rows, page.limit, serializeProject);
}

/** The settings JSON with the fields of `input` that live there applied (undefined = unchanged). */
function mergedSettings(current: unknown, input: z.infer<typeof projectUpdateSchema>): Record<string, string | null> | undefined {
  if (input.memory_model === undefined && input.rerank_model === undefined) return undefined;
  const next: Record<string, string | null> = { ...(projectSettings(current) as Record<string, string | null>) };
  if (input.memory_model !== undefined) next.memory_model = input.memory_model;
  if (input.rerank_model !== undefined) next.rerank_model = input.rerank_model;
  return next;
}

async function checkRagModels(orgId: string, input: z.infer<typeof projectUpdateSchema>) {
  if (input.embedding_model) await checkModelSetting(orgId, storedEmbeddingModel(input.embedding_model), "embedding", "embedding_model");
  if (input.rerank_model) await checkModelSetting(orgId, input.rerank_model, "rerank", "rerank_model");
}

export async function createProject(scope: Scope, input: z.infer<typeof projectCreateSchema>) {
  await checkRagModels(scope.orgId, input);
  return db().project.create({
    data: {
      orgId: scope.orgId,
      name: input.name,
      description: input.description ?? null,
      keepMetadataOnly: input.keep_metadata_only ?? false,
      embeddingModel: storedEmbeddingModel(input.embedding_model ?? null),
      settings: mergedSettings(null, input),
    },
  });
}

export async function updateProject(scope: Scope, id: string, input: z.infer<typeof projectUpdateSchema>) {
  const project = await getProject(scope, id);
  await checkRagModels(project.orgId, input);
  const updated = await db().project.update({
    where: { id: project.id },
    data: {
      name: input.name,
      description: input.description === undefined ? undefined : input.description,
      keepMetadataOnly: input.keep_metadata_only,
      settings: mergedSettings(project.settings, input),
    },
  });
  const embeddingModel = input.embedding_model === undefined ? project.embeddingModel : storedEmbeddingModel(input.embedding_model);
  if (embeddingModel === project.embeddingModel) return updated;
  // Vectors of two models are never compared: the project's documents are re-embedded with the new one.
  await switchEmbeddingModel(project.id, embeddingModel);
  return { ...updated, embeddingModel, updatedAt: new Date() };
}

/** Soft delete: audit rows and ledger entries keep pointing at it; its keys stop working. */
export async function deleteProject(scope: Scope, id: string) {
  const project = await getProject(scope, id);
  const now = new Date();
  await db().$transaction([
    db().apiKey.updateMany({ where: { projectId: project.id, revokedAt: null }, data: { revokedAt: now } }),
    db().project.update({ where: { id: project.id }, data: { deletedAt: now } }),
  ]);
  return { id: project.id, object: "project.deleted", deleted: true };
}
