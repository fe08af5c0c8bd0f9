import { z } from "zod";
import { inScope, requireRole, type Scope } from "./scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { randomBase62, sha256Hex } from "../crypto";
import { db } from "../db";
import { ApiError, notFound } from "../errors";
import { microsToUnitsOrNull, microsToUnits, toMicros } from "../money";
import { getProject } from "./projects";

export const API_KEY_PREFIX = "sk-vs-";
const SECRET_LENGTH = 40;
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

const modelId = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][\w.:@+-]*$/, "expected a model id such as openai/gpt-4o");

/** `["*"]`: any project of the organization; otherwise project ids (DESIGN.md §2). */
export const ANY_PROJECT = "*";
const projectList = z
  .array(z.string().min(1).max(200))
  .max(1000)
  .refine((ids) => !ids.includes(ANY_PROJECT) || ids.length === 1, 'use ["*"] alone for any project of the organization');

export const keyCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  project_id: z.string().min(1),
  projects: projectList.nullish(),
  models: z.array(modelId).max(500).nullish(),
  rpm_limit: z.number().int().positive().max(1_000_000_000).nullish(),
  tpm_limit: z.number().int().positive().max(1_000_000_000_000).nullish(),
  max_concurrent: z.number().int().positive().max(100_000).nullish(),
  budget_usd: z.number().nonnegative().max(1_000_000_000).nullish(),
  expires_at: z.iso.datetime({ offset: true }).nullish(),
});
export const keyListQuery = z.strictObject({ ...pageQuery, project_id: z.string().min(1).optional() });

type KeyRow = {
  id: string;
  orgId: string;
  projectId: string;
  name: string;
  prefix: string;
  models: unknown;
  projects: unknown;
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxConcurrent: number | null;
  budgetMicros: bigint | null;
  spentMicros: bigint;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function keyStatus(k: Pick<KeyRow, "revokedAt" | "expiresAt">, now = new Date()): "active" | "revoked" | "expired" {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  return "active";
}

export function serializeKey(k: KeyRow) {
  return {
    id: k.id,
    object: "api_key",
    org_id: k.orgId,
    project_id: k.projectId,
    name: k.name,
    prefix: k.prefix,
    status: keyStatus(k),
    models: Array.isArray(k.models) ? (k.models as string[]) : null,
    projects: keyProjects(k.projects),
    rpm_limit: k.rpmLimit,
    tpm_limit: k.tpmLimit,
    max_concurrent: k.maxConcurrent,
    budget_usd: microsToUnitsOrNull(k.budgetMicros),
    spent_usd: microsToUnits(k.spentMicros),
    expires_at: iso(k.expiresAt),
    revoked_at: iso(k.revokedAt),
    last_used_at: iso(k.lastUsedAt),
    created_at: k.createdAt.toISOString(),
  };
}

/** The stored `projects` column: null = the key's own project only. */
export function keyProjects(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

/**
 * Every listed project must be a live project of the key's organization: a foreign or unknown id
 * is the same 404, naming its position (nothing about other tenants leaks).
 */
async function checkProjects(orgId: string, ids: string[] | null | undefined): Promise<string[] | null> {
  if (!ids?.length) return null;
  if (ids[0] === ANY_PROJECT) return [ANY_PROJECT];
  const unique = [...new Set(ids)];
  const found = await db().project.findMany({ where: { id: { in: unique }, orgId, deletedAt: null }, select: { id: true } });
  const known = new Set(found.map((p) => p.id));
  const missing = unique.find((id) => !known.has(id));
  if (missing !== undefined) throw notFound("Project", `projects[${ids.indexOf(missing)}]`);
  return unique;
}

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = API_KEY_PREFIX + randomBase62(SECRET_LENGTH);
  return { key, hash: sha256Hex(key), prefix: key.slice(0, VISIBLE_PREFIX_LENGTH) };
}

export async function createKey(scope: Scope, input: z.infer<typeof keyCreateSchema>) {
  const project = await getProject(scope, input.project_id, "project_id");
  requireRole(scope, "admin", project.orgId);
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new ApiError("invalid_value", "Invalid 'expires_at': must be in the future.", { param: "expires_at" });
  }
  const projects = await checkProjects(project.orgId, input.projects);
  const secret = generateApiKey();
  const row = await db().apiKey.create({
    data: {
      orgId: project.orgId,
      projectId: project.id,
      name: input.name,
      keyHash: secret.hash,
      prefix: secret.prefix,
      models: input.models ? [...new Set(input.models)] : undefined,
      projects: projects ?? undefined,
      rpmLimit: input.rpm_limit ?? null,
      tpmLimit: input.tpm_limit ?? null,
      maxConcurrent: input.max_concurrent ?? null,
      budgetMicros: input.budget_usd == null ? null : toMicros(input.budget_usd),
      expiresAt,
      createdById: scope.caller.userId,
    },
  });
  // The only time the secret leaves the server.
  return { ...serializeKey(row), key: secret.key };
}

export async function getKey(scope: Scope, id: string): Promise<KeyRow> {
  const key = await db().apiKey.findFirst({ where: { id, ...inScope(scope) } });
  if (!key) throw notFound("API key");
  return key;
}

export async function listKeys(scope: Scope, query: z.infer<typeof keyListQuery>) {
  if (query.project_id) await getProject(scope, query.project_id, "project_id");
  const args = pageArgs(query);
  const rows = await db().apiKey.findMany({
    ...args,
    where: { ...args.where, orgId: scope.orgId, ...(query.project_id ? { projectId: query.project_id } : {}) },
  });
  return toPage(rows, query.limit, serializeKey);
}

/** Revocation is idempotent and keeps the row (audit rows reference it). */
export async function revokeKey(scope: Scope, id: string) {
  const key = await getKey(scope, id);
  requireRole(scope, "admin", key.orgId);
  if (key.revokedAt) return serializeKey(key);
  return serializeKey(await db().apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } }));
}
