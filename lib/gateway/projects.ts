// vecstruct.project_id → the project, checked against the key's organization; cached briefly.
import { db } from "../db";
import { ApiError } from "../errors";
import type { KeyContext } from "./auth";

const TTL_MS = 5_000;
const cache = new Map<string, { orgId: string | null; at: number }>();

export async function resolveProject(key: KeyContext, requested: string | undefined): Promise<string> {
  if (!requested || requested === key.projectId) return key.projectId;
  const now = Date.now();
  let entry = cache.get(requested);
  if (!entry || now - entry.at > TTL_MS) {
    const row = await db().project.findFirst({ where: { id: requested, deletedAt: null }, select: { orgId: true } });
    entry = { orgId: row?.orgId ?? null, at: now };
    if (cache.size > 10_000) cache.clear();
    cache.set(requested, entry);
  }
  // One answer whether it exists elsewhere or not: nothing about other tenants leaks.
  if (entry.orgId !== key.orgId) {
    throw new ApiError("permission_denied", "The project does not belong to this API key's organization.", { param: "vecstruct.project_id" });
  }
  return requested;
}
