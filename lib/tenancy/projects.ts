import { z } from "zod";
import { inScope, requireRole, type Scope } from "./scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { db } from "../db";
import { notFound } from "../errors";
import { cacheSettings } from "../cache/settings";
import { compileRules, scan, storedRules, type Finding, type GuardrailRule } from "../guardrails/rules";
import type { Prisma } from "../generated/sqlite/client";
import { forgetProject, mergeSettings, modelId, projectSettings, settingsFields } from "./project-settings";

// Guardrails have their own route (PUT /api/projects/{id}/guardrails).
const { guardrails: _guardrails, ...patchableSettings } = settingsFields;

export const projectCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullish(),
  /** Audit rows of this project keep metadata only: no prompts, no answers. */
  keep_metadata_only: z.boolean().optional(),
  /** Embedding model of the project's documents and RAG queries (a catalog model of kind "embedding"); null = the offline default. Changing it re-embeds every document. */
  embedding_model: modelId("baai/bge-m3").nullable().optional(),
  ...patchableSettings,
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
    cache: cacheSettings(st.cache),
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

/**
 * Checks a write may proceed, once the project is found and the caller's role checked and before
 * anything is stored. The layer above passes what this one cannot know (the RAG model settings are
 * checked against the catalog by lib/rag/project-models.ts), so tenancy imports no feature.
 */
export type ProjectWriteCheck = (orgId: string) => Promise<void>;

/** `embedding_model` is the value to store (the caller maps the offline default's own id to null). */
export async function createProject(scope: Scope, input: z.infer<typeof projectCreateSchema>, check?: ProjectWriteCheck) {
  requireRole(scope, "admin");
  await check?.(scope.orgId);
  return db().project.create({
    data: {
      orgId: scope.orgId,
      name: input.name,
      description: input.description ?? null,
      keepMetadataOnly: input.keep_metadata_only ?? false,
      embeddingModel: input.embedding_model ?? null,
      settings: mergeSettings(null, input),
    },
  });
}

/**
 * Writes the name, description, metadata-only flag and settings. `embedding_model` is not written
 * here: switching it re-embeds the documents, which the RAG layer does (lib/rag/project-models.ts);
 * the row returned still carries the embedding model from before.
 */
export async function updateProject(scope: Scope, id: string, input: z.infer<typeof projectUpdateSchema>, check?: ProjectWriteCheck) {
  const project = await getProject(scope, id);
  requireRole(scope, "admin", project.orgId);
  await check?.(project.orgId);
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
  return updated;
}

/**
 * Soft delete: audit rows and ledger entries keep pointing at it; its keys stop working. Its stored
 * /v1/responses go with it (DESIGN §1 "Responses state": deleted with the project).
 */
export async function deleteProject(scope: Scope, id: string) {
  const project = await getProject(scope, id);
  requireRole(scope, "admin", project.orgId);
  const now = new Date();
  await db().$transaction([
    db().apiKey.updateMany({ where: { projectId: project.id, revokedAt: null }, data: { revokedAt: now } }),
    db().storedResponse.deleteMany({ where: { projectId: project.id, orgId: project.orgId } }),
    db().project.update({ where: { id: project.id }, data: { deletedAt: now } }),
  ]);
  forgetProject(project.id);
  return { id: project.id, object: "project.deleted", deleted: true };
}

/** GET /api/projects/{id}/guardrails: the stored rules, in order. */
export async function getGuardrails(scope: Scope, id: string) {
  const p = await getProject(scope, id);
  return { object: "guardrails", project_id: p.id, rules: storedRules(projectSettings(p.settings).guardrails) };
}

/** PUT /api/projects/{id}/guardrails: replaces the rules (validated by guardrailsInput). */
export async function putGuardrails(scope: Scope, id: string, input: { rules: GuardrailRule[] }) {
  requireRole(scope, "admin");
  const p = await getProject(scope, id);
  const settings = { ...projectSettings(p.settings), guardrails: { rules: input.rules } };
  await db().project.update({ where: { id: p.id }, data: { settings: settings as Prisma.InputJsonObject } });
  forgetProject(p.id);
  return { object: "guardrails", project_id: p.id, rules: input.rules };
}

/**
 * POST /api/projects/{id}/guardrails/test: what the stored rules (or `rules`, to try before saving) do
 * to a text on each side. The caller's own text comes back redacted; findings never hold matched text.
 */
export async function testGuardrails(scope: Scope, id: string, input: { text: string; rules?: GuardrailRule[] }) {
  const p = await getProject(scope, id);
  const rules = compileRules(input.rules ?? storedRules(projectSettings(p.settings).guardrails));
  const side = (where: "input" | "output") => {
    const findings: Finding[] = [];
    const r = scan(rules, where, input.text, findings);
    return { text: r.blockedAt === null ? r.text : null, blocked: r.blockedAt !== null, findings };
  };
  return { object: "guardrails_test", input: side("input"), output: side("output") };
}
