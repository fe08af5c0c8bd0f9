// Memories through the management API: list / search / add / edit / delete per project and user,
// each with its source audit entry and history; "forget this user" deletes all of a user's memories.
import { z } from "zod";
import { inScope, type Scope } from "../tenancy/scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { db } from "../db";
import { ApiError, notFound } from "../errors";
import { getProject } from "../tenancy/projects";
import { cancelLearning } from "./learn";
import { addMemory, updateMemory } from "./store";

const userId = z.string().trim().min(1).max(256);
export const memoryListQuery = z.strictObject({ ...pageQuery, user_id: userId.optional(), q: z.string().trim().min(1).max(500).optional() });
export const memoryCreateSchema = z.strictObject({ user_id: userId, content: z.string().trim().min(1).max(4_000) });
export const memoryUpdateSchema = z.strictObject({ content: z.string().trim().min(1).max(4_000) });
export const forgetQuery = z.strictObject({ user_id: userId });

type MemoryRow = { id: string; projectId: string; userId: string; content: string; sourceAuditId: string | null; createdAt: Date; updatedAt: Date };

export function serializeMemory(m: MemoryRow) {
  return {
    id: m.id,
    object: "memory",
    project_id: m.projectId,
    user_id: m.userId,
    content: m.content,
    source_audit_id: m.sourceAuditId,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

const SELECT = { id: true, projectId: true, userId: true, content: true, sourceAuditId: true, createdAt: true, updatedAt: true } as const;

export async function listMemories(scope: Scope, projectId: string, q: z.infer<typeof memoryListQuery>) {
  const project = await getProject(scope, projectId);
  const args = pageArgs(q);
  const rows = await db().memory.findMany({
    ...args,
    select: SELECT,
    where: { ...args.where, projectId: project.id, ...(q.user_id ? { userId: q.user_id } : {}), ...(q.q ? { content: { contains: q.q } } : {}) },
  });
  return toPage(rows, q.limit, serializeMemory);
}

export async function createMemory(scope: Scope, projectId: string, input: z.infer<typeof memoryCreateSchema>) {
  const project = await getProject(scope, projectId);
  const memory = await addMemory({ orgId: project.orgId, projectId: project.id, userId: input.user_id, content: input.content, sourceAuditId: null });
  return serializeMemory(memory);
}

async function getRow(scope: Scope, id: string) {
  const row = await db().memory.findFirst({ where: { id, ...inScope(scope) }, select: SELECT });
  if (!row) throw notFound("Memory");
  return row;
}

export async function getMemory(scope: Scope, id: string) {
  const row = await getRow(scope, id);
  const events = await db().memoryEvent.findMany({ where: { memoryId: id }, orderBy: { createdAt: "asc" } });
  return {
    ...serializeMemory(row),
    history: events.map((e) => ({ action: e.action, before: e.before, after: e.after, audit_log_id: e.auditLogId, created_at: e.createdAt.toISOString() })),
  };
}

export async function editMemory(scope: Scope, id: string, input: z.infer<typeof memoryUpdateSchema>) {
  const row = await getRow(scope, id);
  return serializeMemory(await updateMemory(row.id, input.content, null));
}

export async function deleteMemory(scope: Scope, id: string) {
  const row = await getRow(scope, id);
  const { orgId } = await db().memory.delete({ where: { id: row.id }, select: { orgId: true } });
  await cancelLearning(orgId, row.projectId, row.userId);
  return { id: row.id, object: "memory.deleted", deleted: true };
}

export async function forgetUser(scope: Scope, projectId: string, user: string) {
  const project = await getProject(scope, projectId);
  if (!user) throw new ApiError("missing_required_parameter", "Missing required parameter: 'user_id'.", { param: "user_id" });
  const { count } = await db().memory.deleteMany({ where: { projectId: project.id, userId: user } });
  await cancelLearning(project.orgId, project.id, user);
  return { object: "memory.forgotten", user_id: user, deleted: count };
}
