import { z } from "zod";
import { inScope, type Scope } from "../api/management";
import { pageArgs, pageQuery, toPage } from "../api/pagination";
import { db } from "../db";
import { notFound } from "../errors";

export const projectCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullish(),
  /** Audit rows of this project keep metadata only: no prompts, no answers. */
  keep_metadata_only: z.boolean().optional(),
});
export const projectUpdateSchema = projectCreateSchema.partial();
export const projectListQuery = z.strictObject({ ...pageQuery });

type ProjectRow = {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  keepMetadataOnly: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export function serializeProject(p: ProjectRow) {
  return {
    id: p.id,
    object: "project",
    org_id: p.orgId,
    name: p.name,
    description: p.description,
    keep_metadata_only: p.keepMetadataOnly,
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

export function createProject(scope: Scope, input: z.infer<typeof projectCreateSchema>) {
  return db().project.create({
    data: { orgId: scope.orgId, name: input.name, description: input.description ?? null, keepMetadataOnly: input.keep_metadata_only ?? false },
  });
}

export async function updateProject(scope: Scope, id: string, input: z.infer<typeof projectUpdateSchema>) {
  const project = await getProject(scope, id);
  return db().project.update({
    where: { id: project.id },
    data: { name: input.name, description: input.description === undefined ? undefined : input.description, keepMetadataOnly: input.keep_metadata_only },
  });
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
