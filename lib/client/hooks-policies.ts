"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { cacheStats } from "@/lib/cache/store";
import type { CacheSettings } from "@/lib/cache/settings";
import type { GuardrailRule } from "@/lib/guardrails/rules";
import type { testGuardrails } from "@/lib/tenancy/projects";
import { apiFetch } from "./api";

export type CacheStats = Awaited<ReturnType<typeof cacheStats>>;
export type GuardrailsTest = Awaited<ReturnType<typeof testGuardrails>>;
export type { CacheSettings, GuardrailRule };

const keys = {
  cache: (projectId: string) => ["policies", "cache", projectId] as const,
  rules: (projectId: string) => ["policies", "guardrails", projectId] as const,
};
const path = (projectId: string | null, rest: string) => `/api/projects/${encodeURIComponent(projectId ?? "")}${rest}`;
const q = (orgId: string | null) => (orgId ? { org_id: orgId } : {});

export function useCacheStats(orgId: string | null, projectId: string | null) {
  return useQuery({
    queryKey: keys.cache(projectId ?? ""),
    enabled: !!projectId,
    queryFn: () => apiFetch<{ settings: CacheSettings; stats: CacheStats }>(path(projectId, "/cache"), { query: q(orgId) }),
  });
}

export function useSaveCache(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (cache: Partial<CacheSettings>) => apiFetch(path(projectId, ""), { method: "PATCH", query: q(orgId), body: { cache } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.cache(projectId ?? "") }),
  });
}

export function useClearCache(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ deleted: number }>(path(projectId, "/cache"), { method: "DELETE", query: q(orgId) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.cache(projectId ?? "") }),
  });
}

export function useGuardrails(orgId: string | null, projectId: string | null) {
  return useQuery({
    queryKey: keys.rules(projectId ?? ""),
    enabled: !!projectId,
    queryFn: () => apiFetch<{ rules: GuardrailRule[] }>(path(projectId, "/guardrails"), { query: q(orgId) }),
  });
}

export function useSaveGuardrails(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (rules: unknown) => apiFetch<{ rules: GuardrailRule[] }>(path(projectId, "/guardrails"), { method: "PUT", query: q(orgId), body: { rules } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.rules(projectId ?? "") }),
  });
}

export function useTestGuardrails(orgId: string | null, projectId: string | null) {
  return useMutation({
    mutationFn: (input: { text: string; rules?: unknown }) => apiFetch<GuardrailsTest>(path(projectId, "/guardrails/test"), { method: "POST", query: q(orgId), body: input }),
  });
}
