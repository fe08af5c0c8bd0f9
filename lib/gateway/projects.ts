// vecstruct.project_id → the project, checked against the key's organization; cached briefly so
// the hot path reads project settings without a database round trip.
import { db } from "../db";
import { ApiError } from "../errors";
import { projectSettings } from "../tenancy/projects";
import type { KeyContext } from "./auth";
import type { Check } from "./ratelimit";
import type { RoutingPrefs } from "../upstream/routing/prefs";
import { processState } from "../process-state";

const TTL_MS = 5_000;

export interface ProjectContext {
  id: string;
  orgId: string;
  keepMetadataOnly: boolean;
  memoryModel: string | null;
  routing: RoutingPrefs;
  limits: Check;
  /** RAG: catalog ids; null = the offline embedding default / no rerank stage. */
  embeddingModel: string | null;
  rerankModel: string | null;
}

type Entry = { project: ProjectContext | null; at: number };
// On globalThis: one cache for the /v1 handlers and the management routes (separate Next bundles),
// so a PATCH can drop the entry the gateway reads.
const cache = processState("gateway.projects", () => new Map<string, Entry>());

/** After a management write: the gateway reads the project again on its next request. */
export function forgetProject(id: string): void {
  cache.delete(id);
}

async function loadProject(id: string): Promise<ProjectContext | null> {
  const now = Date.now();
  let entry = cache.get(id);
  if (!entry || now - entry.at > TTL_MS) {
    const row = await db().project.findFirst({ where: { id, deletedAt: null }, select: { id: true, orgId: true, keepMetadataOnly: true, embeddingModel: true, settings: true } });
    const settings = projectSettings(row?.settings);
    const project = row
      ? {
          id: row.id,
          orgId: row.orgId,
          keepMetadataOnly: row.keepMetadataOnly,
          memoryModel: settings.memory_model ?? null,
          embeddingModel: row.embeddingModel,
          rerankModel: settings.rerank_model ?? null,
          routing: { models: settings.fallback_models ?? undefined, provider: settings.provider ?? undefined },
          limits: { rpm: settings.rpm_limit ?? null, tpm: settings.tpm_limit ?? null, concurrent: settings.max_concurrent ?? null },
        }
      : null;
    entry = { project, at: now };
    if (cache.size > 10_000) cache.clear();
    cache.set(id, entry);
  }
  return entry.project;
}

/**
 * Whether a request's audit row must keep metadata only, known before its body is validated: the
 * key's project, or the project the body names (when it is one of the organization's), keeps no text.
 * A request refused by validation must not store the prompt a metadata-only project was promised not to.
 */
export async function keepsMetadataOnly(key: Pick<KeyContext, "orgId" | "projectId">, raw?: Record<string, unknown>): Promise<boolean> {
  if ((await loadProject(key.projectId))?.keepMetadataOnly) return true;
  const ext = raw?.vecstruct;
  const named = ext && typeof ext === "object" ? (ext as { project_id?: unknown }).project_id : undefined;
  if (typeof named !== "string" || named.length === 0 || named.length > 200) return false;
  const project = await loadProject(named);
  return project !== null && project.orgId === key.orgId && project.keepMetadataOnly;
}

/** A key serves its own project, and others only when it lists them (DESIGN.md §1). */
function mayName(key: KeyContext, id: string): boolean {
  return id === key.projectId || (key.projects !== null && (key.projects.includes("*") || key.projects.includes(id)));
}

export async function resolveProject(key: KeyContext, requested: string | undefined): Promise<ProjectContext> {
  const id = requested ?? key.projectId;
  // Decided before any lookup: the same answer whether the project exists, here or elsewhere.
  if (!mayName(key, id)) {
    throw new ApiError("permission_denied", "This API key serves its own project only: list other projects in the key's 'projects' to name them in vecstruct.project_id.", {
      param: "vecstruct.project_id",
    });
  }
  const project = await loadProject(id);
  // One answer whether it exists elsewhere or not: nothing about other tenants leaks.
  if (!project || project.orgId !== key.orgId) {
    if (!requested) throw new ApiError("invalid_api_key", "This API key's project no longer exists.");
    throw new ApiError("permission_denied", "The project does not belong to this API key's organization.", { param: "vecstruct.project_id" });
  }
  return project;
}
