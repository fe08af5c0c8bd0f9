// The response cache's settings: the project's `cache` object (PATCH /api/projects/{id}) and the
// request's `vecstruct.cache` (docs/policies.md). Domain layer: no HTTP here.
import { z } from "zod";

export const CACHE_MODES = ["off", "exact", "semantic"] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** At most 30 days: an answer older than that is not what a cache is for. */
const MAX_TTL_SECONDS = 30 * 86_400;

export const projectCacheInput = z.strictObject({
  mode: z.enum(CACHE_MODES).optional(),
  ttl_seconds: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
  similarity: z.number().gt(0).max(1).optional(),
});

export interface CacheSettings {
  mode: CacheMode;
  ttl_seconds: number;
  similarity: number;
}

export const DEFAULT_CACHE: CacheSettings = { mode: "off", ttl_seconds: 3600, similarity: 0.95 };

/** The stored object (or a partial input) over the defaults. */
export function cacheSettings(stored: unknown): CacheSettings {
  const parsed = projectCacheInput.safeParse(stored ?? {});
  return parsed.success ? { ...DEFAULT_CACHE, ...parsed.data } : DEFAULT_CACHE;
}

/** `vecstruct.cache`: false bypasses; true or {ttl_seconds} opts in (exact mode when the project's cache is off). */
export type RequestCacheOption = boolean | { ttl_seconds: number };
const ttlOnly = z.strictObject({ ttl_seconds: z.number().int().min(1).max(MAX_TTL_SECONDS) });
// One check for the whole value, so that every bad form is reported as `vecstruct.cache` itself.
export const requestCacheOption = z.custom<RequestCacheOption>((v) => typeof v === "boolean" || ttlOnly.safeParse(v).success, {
  message: `vecstruct.cache must be true, false or {"ttl_seconds": <integer from 1 to ${MAX_TTL_SECONDS}>}`,
});

/** How a request is cached: null when the cache does not apply, "bypass" for `vecstruct.cache: false`. */
export type CachePlan = null | "bypass" | { mode: "exact" | "semantic"; ttlSeconds: number; similarity: number };

export function planCache(project: CacheSettings, option: RequestCacheOption | undefined, metadataOnly: boolean): CachePlan {
  // A metadata-only project was promised that no response text is kept: nothing to cache.
  if (metadataOnly) return null;
  if (option === false) return "bypass";
  const optedIn = option === true || typeof option === "object";
  if (project.mode === "off" && !optedIn) return null;
  const mode = project.mode === "off" ? "exact" : project.mode;
  const ttlSeconds = typeof option === "object" ? option.ttl_seconds : project.ttl_seconds;
  return { mode, ttlSeconds, similarity: project.similarity };
}
