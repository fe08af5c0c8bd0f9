// The one owner of a project's settings: the zod schema of the settings JSON, how a stored value is
// read and merged, and the short-lived cache the hot path reads them from (with its invalidation).
// Domain layer (DESIGN.md §4): the gateway, upstream calls and RAG read settings from here; the
// management write path drops the cache entry here. Nothing below is about HTTP or RAG.
import { z } from "zod";
import { db } from "../db";
import type { Prisma } from "../generated/sqlite/client";
import { processState } from "../process-state";
import { fallbackModels, providerPreferences, type RoutingPrefs } from "./routing-prefs";
import { cacheSettings, projectCacheInput, type CacheSettings } from "../cache/settings";
import { compileRules, guardrailsInput, storedRules, type CompiledRule } from "../guardrails/rules";

export const modelId = (example: string) => z.string().regex(/^[a-z0-9][a-z0-9._-]*\/\S+$/, `expected a model id such as ${example}`);

/** Settings kept in the project's `settings` JSON, as a client writes them (null clears one). */
export const settingsFields = {
  /** Chat model that extracts this project's memories (overrides VECSTRUCT_MEMORY_MODEL); null = raw mode. */
  memory_model: modelId("openai/gpt-4o-mini").nullable().optional(),
  /** Rerank model applied to RAG candidates (a catalog model of kind "rerank"); null = no rerank stage. */
  rerank_model: modelId("cohere/rerank-v3.5").nullable().optional(),
  /** Routing defaults for this project's chat requests; a request's own `models` / `provider` win. */
  fallback_models: fallbackModels.nullable().optional(),
  provider: providerPreferences.nullable().optional(),
  /** Limits shared by every key of the project (each key's own limits apply too). */
  rpm_limit: z.number().int().positive().max(1_000_000_000).nullable().optional(),
  tpm_limit: z.number().int().positive().max(1_000_000_000_000).nullable().optional(),
  max_concurrent: z.number().int().positive().max(100_000).nullable().optional(),
  /** The response cache (docs/policies.md): fields given are merged over the stored ones; null resets to the defaults. */
  cache: projectCacheInput.nullable().optional(),
  /** Guardrail rules: written by PUT /api/projects/{id}/guardrails only (not a PATCH field). */
  guardrails: guardrailsInput.optional(),
};

const SETTINGS_FIELDS = Object.keys(settingsFields) as (keyof typeof settingsFields)[];

// Reading a stored value: each field was validated when written; one that no longer parses (a row
// from an older version) reads as unset instead of failing every request of the project.
const storedSettings = z.object({
  memory_model: settingsFields.memory_model.catch(undefined),
  rerank_model: settingsFields.rerank_model.catch(undefined),
  fallback_models: settingsFields.fallback_models.catch(undefined),
  provider: settingsFields.provider.catch(undefined),
  rpm_limit: settingsFields.rpm_limit.catch(undefined),
  tpm_limit: settingsFields.tpm_limit.catch(undefined),
  max_concurrent: settingsFields.max_concurrent.catch(undefined),
  cache: settingsFields.cache.catch(undefined),
  // Each rule is re-checked when read (storedRules): one bad rule does not drop the others.
  guardrails: z.unknown().optional(),
} satisfies Record<keyof typeof settingsFields, z.ZodType>);

export type ProjectSettings = z.infer<typeof storedSettings>;

/** The project's `settings` JSON, parsed (anything that is not an object reads as no settings). */
export function projectSettings(raw: unknown): ProjectSettings {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const parsed = storedSettings.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The settings an input names, merged over the stored ones (undefined = unchanged, null = cleared). */
export function mergeSettings(stored: unknown, input: Partial<Record<keyof typeof settingsFields, unknown>>): Prisma.InputJsonObject | undefined {
  const named = SETTINGS_FIELDS.filter((f) => input[f] !== undefined);
  if (named.length === 0) return undefined;
  const next: Record<string, unknown> = { ...projectSettings(stored) };
  for (const f of named) next[f] = f === "cache" && input.cache !== null ? { ...(next.cache as object | undefined), ...(input.cache as object) } : input[f];
  return next as Prisma.InputJsonObject;
}

/** What the hot path needs of a project, read through the cache. */
export interface ProjectContext {
  id: string;
  orgId: string;
  keepMetadataOnly: boolean;
  memoryModel: string | null;
  routing: RoutingPrefs;
  limits: { rpm: number | null; tpm: number | null; concurrent: number | null };
  /** RAG: catalog ids; null = the offline embedding default / no rerank stage. */
  embeddingModel: string | null;
  rerankModel: string | null;
  cache: CacheSettings;
  /** Compiled guardrail rules; empty = none. */
  guardrails: CompiledRule[];
}

const TTL_MS = 5_000;
type Entry = { project: ProjectContext | null; at: number };
// One cache per process for the /v1 handlers and the management routes (separate Next bundles),
// so a PATCH can drop the entry the gateway reads.
const cache = processState("tenancy.projectSettings", () => new Map<string, Entry>());

/** After a management write: the next read of the project goes to the database. */
export function forgetProject(id: string): void {
  cache.delete(id);
}

/** A live project's settings, cached for a few seconds so the hot path needs no database round trip. */
export async function loadProject(id: string): Promise<ProjectContext | null> {
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
          cache: cacheSettings(settings.cache),
          guardrails: compileRules(storedRules(settings.guardrails)),
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
export async function keepsMetadataOnly(key: { orgId: string; projectId: string }, raw?: Record<string, unknown>): Promise<boolean> {
  if ((await loadProject(key.projectId))?.keepMetadataOnly) return true;
  const ext = raw?.vecstruct;
  const named = ext && typeof ext === "object" ? (ext as { project_id?: unknown }).project_id : undefined;
  if (typeof named !== "string" || named.length === 0 || named.length > 200) return false;
  const project = await loadProject(named);
  return project !== null && project.orgId === key.orgId && project.keepMetadataOnly;
}
