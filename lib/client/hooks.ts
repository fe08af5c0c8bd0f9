"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { createKey, serializeKey } from "@/lib/tenancy/keys";
import type { serializeOrganization } from "@/lib/tenancy/organizations";
import type { serializeProject } from "@/lib/tenancy/projects";
import { apiFetch, type Page } from "./api";

// Wire types come from the server's serializers (type-only imports: no server code ships).
export type Organization = ReturnType<typeof serializeOrganization>;
export type Project = ReturnType<typeof serializeProject>;
export type ApiKey = ReturnType<typeof serializeKey>;
export type CreatedApiKey = Awaited<ReturnType<typeof createKey>>;

export const queryKeys = {
  orgs: ["orgs"] as const,
  projects: (orgId: string) => ["projects", orgId] as const,
  keys: (orgId: string, projectId: string | null) => ["keys", orgId, projectId] as const,
};

export interface Me {
  user: { id: string; email: string; name: string | null } | null;
  operator: boolean;
  org_id: string;
  role: "owner" | "admin" | "member";
}

/** Who is signed in and their role in `orgId` (the console's current organization when given). */
export function useMe(orgId?: string | null) {
  return useQuery({
    queryKey: ["me", orgId ?? ""],
    queryFn: () => apiFetch<Me>("/api/me", { query: { org_id: orgId ?? undefined } }),
    staleTime: 60_000,
  });
}

/**
 * Whether the caller may manage `orgId` (admin, owner or the operator); `null` while unknown, so
 * neither admin-only controls nor the members' hint flash. The management API enforces the same rule.
 */
export function useIsAdmin(orgId: string | null): boolean | null {
  const me = useMe(orgId);
  if (!me.data) return null;
  return me.data.operator || me.data.role === "admin" || me.data.role === "owner";
}

export function useOrganizations() {
  return useQuery({ queryKey: queryKeys.orgs, queryFn: () => apiFetch<Page<Organization>>("/api/orgs", { query: { limit: "200" } }) });
}

export function useProjects(orgId: string | null) {
  return useQuery({
    queryKey: queryKeys.projects(orgId ?? ""),
    enabled: !!orgId,
    queryFn: () => apiFetch<Page<Project>>("/api/projects", { query: { org_id: orgId ?? undefined, limit: "200" } }),
  });
}

export function useCreateProject(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description?: string; keep_metadata_only?: boolean }) =>
      apiFetch<Project>("/api/projects", { method: "POST", body: { ...input, org_id: orgId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.projects(orgId ?? "") }),
  });
}

export interface ProjectUpdate {
  name?: string;
  description?: string | null;
  embedding_model?: string | null;
  rerank_model?: string | null;
}

export function useUpdateProject(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ProjectUpdate & { id: string }) => apiFetch<Project>(`/api/projects/${id}`, { method: "PATCH", body: input }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.projects(orgId ?? "") });
      // A new embedding model queues every document again: their statuses change.
      void qc.invalidateQueries({ queryKey: ["documents"] });
    },
  });
}

export function useDeleteProject(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(`/api/projects/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.projects(orgId ?? "") });
      void qc.invalidateQueries({ queryKey: ["keys", orgId ?? ""] });
    },
  });
}

export function useApiKeys(orgId: string | null, projectId: string | null) {
  return useQuery({
    queryKey: queryKeys.keys(orgId ?? "", projectId),
    enabled: !!orgId,
    queryFn: () =>
      apiFetch<Page<ApiKey>>("/api/keys", {
        query: { org_id: orgId ?? undefined, project_id: projectId ?? undefined, limit: "200" },
      }),
  });
}

export interface CreateKeyInput {
  name: string;
  project_id: string;
  models?: string[];
  /** Other projects of the organization it may name (`["*"]`: any). */
  projects?: string[];
  rpm_limit?: number;
  tpm_limit?: number;
  budget_usd?: number;
  expires_at?: string;
}

export function useCreateApiKey(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateKeyInput) => apiFetch<CreatedApiKey>("/api/keys", { method: "POST", body: { ...input, org_id: orgId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys", orgId ?? ""] }),
  });
}

export function useRevokeApiKey(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<ApiKey>(`/api/keys/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["keys", orgId ?? ""] }),
  });
}
