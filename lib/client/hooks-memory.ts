"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { forgetUser, getMemory, serializeMemory } from "@/lib/memory/api";
import { apiFetch, type Page } from "./api";

// Wire types come from the server's serializers (type-only imports: no server code ships).
/** A remembered fact about one end user (vecstruct.metadata.user_id) of a project. */
export type Memory = ReturnType<typeof serializeMemory>;
export type MemoryAction = "add" | "update" | "delete";
type Detail = Awaited<ReturnType<typeof getMemory>>;
/** One change of a memory; the server types `action` as string, the API knows three. */
export type MemoryEvent = Omit<Detail["history"][number], "action"> & { action: MemoryAction };
export type MemoryDetail = Omit<Detail, "history"> & { history: MemoryEvent[] };
export type ForgetResult = Awaited<ReturnType<typeof forgetUser>>;

/** The list filters: `user_id` is an exact end-user id, `q` a substring of the content. */
export interface MemoryFilters {
  user_id?: string;
  q?: string;
}

const memoryKeys = {
  project: (orgId: string, projectId: string) => ["memories", orgId, projectId] as const,
  list: (orgId: string, projectId: string, filters: MemoryFilters) => ["memories", orgId, projectId, filters] as const,
  detail: (id: string) => ["memory", id] as const,
};

const PAGE_SIZE = "50";
export const MAX_USER_ID = 256;
export const MAX_CONTENT = 4_000;

const projectPath = (projectId: string | null) => `/api/projects/${encodeURIComponent(projectId ?? "")}/memories`;
const memoryPath = (id: string) => `/api/memories/${encodeURIComponent(id)}`;

/** Where an audit entry opens in the console (the audit log page takes `?id=`). */
export const auditHref = (auditId: string) => `/audit-logs?id=${encodeURIComponent(auditId)}`;

// ---- Queries ----

/** The project's memories, newest first, optionally of one end user and/or containing `q`. */
export function useMemories(orgId: string | null, projectId: string | null, filters: MemoryFilters) {
  return useInfiniteQuery({
    queryKey: memoryKeys.list(orgId ?? "", projectId ?? "", filters),
    enabled: !!orgId && !!projectId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<Page<Memory>>(projectPath(projectId), {
        query: { org_id: orgId ?? undefined, ...filters, limit: PAGE_SIZE, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // A changed filter keeps the rows on screen until the new ones arrive (no flash of "Loading").
    placeholderData: keepPreviousData,
  });
}

/** One memory with its history (ids are scoped to every organization of the caller, so no org_id). */
export function useMemory(id: string | null) {
  return useQuery({
    queryKey: memoryKeys.detail(id ?? ""),
    enabled: !!id,
    queryFn: () => apiFetch<MemoryDetail>(memoryPath(id ?? "")),
  });
}

// ---- Mutations ----

/** Adds a memory by hand. org_id goes in the query: the body is strict. */
export function useCreateMemory(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { user_id: string; content: string }) =>
      apiFetch<Memory>(projectPath(projectId), { method: "POST", body: input, query: { org_id: orgId ?? undefined } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: memoryKeys.project(orgId ?? "", projectId ?? "") }),
  });
}

export function useUpdateMemory(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, content }: { id: string; content: string }) => apiFetch<Memory>(memoryPath(id), { method: "PATCH", body: { content } }),
    onSuccess: (_res, { id }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: memoryKeys.project(orgId ?? "", projectId ?? "") }),
        qc.invalidateQueries({ queryKey: memoryKeys.detail(id) }),
      ]),
  });
}

export function useDeleteMemory(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string; deleted: boolean }>(memoryPath(id), { method: "DELETE" }),
    onSuccess: (_res, id) => {
      qc.removeQueries({ queryKey: memoryKeys.detail(id) });
      return qc.invalidateQueries({ queryKey: memoryKeys.project(orgId ?? "", projectId ?? "") });
    },
  });
}

/** "Forget this user": deletes every memory of one end user in the project; answers how many. */
export function useForgetUser(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      apiFetch<ForgetResult>(projectPath(projectId), { method: "DELETE", query: { org_id: orgId ?? undefined, user_id: userId } }),
    onSuccess: (_res, userId) => {
      // Details of the forgotten memories are gone on the server: drop them here too.
      qc.removeQueries({
        queryKey: ["memory"],
        predicate: (query) => {
          const m = query.state.data as MemoryDetail | undefined;
          return m?.project_id === projectId && m.user_id === userId;
        },
      });
      return qc.invalidateQueries({ queryKey: memoryKeys.project(orgId ?? "", projectId ?? "") });
    },
  });
}
