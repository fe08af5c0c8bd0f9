"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { testCredential } from "@/lib/upstream/credential-test";
import type { listCredentials } from "@/lib/upstream/credentials-admin";
import { apiFetch } from "./api";

export type Credential = Awaited<ReturnType<typeof listCredentials>>["data"][number];
export type CredentialTest = Awaited<ReturnType<typeof testCredential>>;

export interface CredentialInput {
  provider?: string;
  protocol?: string;
  name?: string;
  base_url?: string;
  api_key?: string;
  weight?: number;
  enabled?: boolean;
  scope?: "organization" | "instance";
}

const key = (orgId: string | null) => ["providers", orgId ?? ""] as const;

export function useCredentials(orgId: string | null) {
  return useQuery({
    queryKey: key(orgId),
    enabled: !!orgId,
    queryFn: () => apiFetch<{ data: Credential[] }>("/api/providers", { query: { org_id: orgId ?? undefined } }),
  });
}

function useInvalidate(orgId: string | null) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: key(orgId) });
    // Availability of catalog models depends on the credentials.
    void qc.invalidateQueries({ queryKey: ["models", orgId ?? ""] });
  };
}

export function useCreateCredential(orgId: string | null) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: (input: CredentialInput) => apiFetch<Credential>("/api/providers", { method: "POST", body: { ...input, org_id: orgId } }),
    onSuccess: invalidate,
  });
}

export function useUpdateCredential(orgId: string | null) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: ({ id, ...input }: CredentialInput & { id: string }) =>
      apiFetch<Credential>(`/api/providers/${encodeURIComponent(id)}`, { method: "PATCH", body: { ...input, org_id: orgId } }),
    onSuccess: invalidate,
  });
}

export function useTestCredential(orgId: string | null) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: (id: string) => apiFetch<CredentialTest>(`/api/providers/${encodeURIComponent(id)}/test`, { method: "POST", body: { org_id: orgId } }),
    onSettled: invalidate,
  });
}
