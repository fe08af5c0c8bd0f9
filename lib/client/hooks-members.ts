"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { createInvitation, listInvitations, listMembers } from "@/lib/tenancy/members";
import { apiFetch } from "./api";

export type Member = Awaited<ReturnType<typeof listMembers>>["data"][number];
export type Invitation = Awaited<ReturnType<typeof listInvitations>>["data"][number];
export type CreatedInvitation = Awaited<ReturnType<typeof createInvitation>>;

const keys = { members: (orgId: string) => ["members", orgId] as const, invitations: (orgId: string) => ["invitations", orgId] as const };

export function useMembers(orgId: string | null) {
  return useQuery({ queryKey: keys.members(orgId ?? ""), enabled: !!orgId, queryFn: () => apiFetch<{ data: Member[] }>("/api/members", { query: { org_id: orgId ?? undefined } }) });
}

export function useInvitations(orgId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: keys.invitations(orgId ?? ""),
    enabled: !!orgId && enabled,
    queryFn: () => apiFetch<{ data: Invitation[] }>("/api/invitations", { query: { org_id: orgId ?? undefined } }),
  });
}

export function useUpdateMember(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: string }) => apiFetch<Member>(`/api/members/${id}`, { method: "PATCH", body: { role } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.members(orgId ?? "") });
      void qc.invalidateQueries({ queryKey: ["me"] });
    },
  });
}

export function useRemoveMember(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/members/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.members(orgId ?? "") }),
  });
}

export function useCreateInvitation(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { role: string; email?: string; expires_in_days?: number }) =>
      apiFetch<CreatedInvitation>("/api/invitations", { method: "POST", body: { ...input, org_id: orgId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.invitations(orgId ?? "") }),
  });
}

export function useRevokeInvitation(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/invitations/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.invitations(orgId ?? "") }),
  });
}
