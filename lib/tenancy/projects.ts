import { z } from "zod";
import { inScope, requireRole, type Scope } from "../api/management";
import { pageArgs, pageQuery, toPage } from "../api/pagination";
import { db } from "../db";
import { notFound } from "../errors";
import type { Prisma } from "../generated/sqlite/client";
import { fallbackModels, providerPreferences, type ProviderPreferences } from "../upstream/routing/prefs";
import { checkModelSetting, storedEmbeddingModel, switchEmbeddingModel } from "../rag/project-models";
import { forgetProject } from "../gateway/projects";

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
  /** Routing defaults for this project's chat requests; a request's own `models` / `provider` win. */
  fallback_models: fallbackModels.nullable().optional(),
  provider: providerPreferences.nullable().optional(),
  /** Limits shared by every key of the project (each key's own limits apply too). */
  rpm_limit: z.number().int().positive().max(1_000_000_000).nullable().optional(),
  tpm_limit: z.number().int().positive().max(1_000_000_000_000).nullable().optional(),
  max_concurrent: z.number().int().positive().max(100_000).nullable().optional(),
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
  fallback_models?: string[] | null;
  provider?: ProviderPreferences | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_concurrent?: number | null;
}

const SETTINGS_FIELDS = ["memory_model", "rerank_model", "fallback_models", "provider", "rpm_limit", "tpm_limit", "max_concurrent"] as const satisfies readonly (keyof ProjectSettings)[];

/** The settings an input names, merged over the stored ones (undefined = unchanged, null = cleared). */
function mergeSettings(stored: unknown, input: Partial<Record<(typeof SETTINGS_FIELDS)[number], unknown>>): Prisma.InputJsonObject | undefined {
  const named = SETTINGS_FIELDS.filter((f) => input[f] !== undefined);
  if (named.length === 0) return undefined;
  const next: Record<string, unknown> = { ...projectSettings(stored) };
  for (const f of named) next[f] = input[f];
  return next as Prisma.InputJsonObject;
}

export function projectSettings(raw: unknown): ProjectSettings {
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as ProjectSettings) : {};
}

export function serializeProject(p: ProjectRow) {
  const st = projectSettings(p.settings);
  return {
    id: p.id,
    object: "project",
    org_id: p.orgId,
    name: p.name,
    description: p.description,
    keep_metadata_only: p.keepMetadataOnly,
    embedding_model: p.embeddingModel,
    memory_model: st.memory_model ?? null,
    rerank_model: st.rerank_model ?? null,
    fallback_models: st.fallback_models ?? null,
    provider: st.provider ?? null,
    rpm_limit: st.rpm_limit ?? null,
    tpm_limit: st.tpm_limit ?? null,
    max_concurrent: st.max_concurrent ?? null,
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

async function checkRagModels(orgId: string, input: z.infer<typeof projectUpdateSchema>) {
  if (input.embedding_model) await checkModelSetting(orgId, storedEmbeddingModel(input.embedding_model), "embedding", "embedding_model");
  if (input.rerank_model) await checkModelSetting(orgId, input.rerank_model, "rerank", "rerank_model");
}

export async function createProject(scope: Scope, input: z.infer<typeof projectCreateSchema>) {
  requireRole(scope, "admin");
  await checkRagModels(scope.orgId, input);
  return db().project.create({
    data: {
      orgId: scope.orgId,
      name: input.name,
      description: input.description ?? null,
      keepMetadataOnly: input.keep_metadata_only ?? false,
      embeddingModel: storedEmbeddingModel(input.embedding_model ?? null),
      settings: mergeSettings(null, input),
    },
  });
}

export async function updateProject(scope: Scope, id: string, input: z.infer<typeof projectUpdateSchema>) {
  const project = await getProject(scope, id);
  requireRole(scope, "admin", project.orgId);
  await checkRagModels(project.orgId, input);
  const updated = await db().project.update({
    where: { id: project.id },
    data: {
      name: input.name,
      description: input.description === undefined ? undefined : input.description,
      keepMetadataOnly: input.keep_metadata_only,
      settings: mergeSettings(project.settings, input),
    },
  });
  forgetProject(project.id);
  const embeddingModel = input.embedding_model === undefined ? project.embeddingModel : storedEmbeddingModel(input.embedding_model);
  if (embeddingModel === project.embeddingModel) return updated;
  // Vectors of two models are never compared: the project's documents are re-embedded with the new one.
  await switchEmbeddingModel(project.id, embeddingModel);
  return { ...updated, embeddingModel, updatedAt: new Date() };
}

/** Soft delete: audit rows and ledger entries keep pointing at it; its keys stop working. */
export async function deleteProject(scope: Scope, id: string) {
  const project = await getProject(scope, id);
  requireRole(scope, "admin", project.orgId);
  const now = new Date();
  await db().$transaction([
    db().apiKey.updateMany({ where: { projectId: project.id, revokedAt: null }, data: { revokedAt: now } }),
    db().project.update({ where: { id: project.id }, data: { deletedAt: now } }),
  ]);
  forgetProject(project.id);
  return { id: project.id, object: "project.deleted", deleted: true };
}
