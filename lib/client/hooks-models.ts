"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { listModels } from "@/lib/catalog/admin";
import { apiFetch } from "./api";

export type CatalogModel = Awaited<ReturnType<typeof listModels>>["data"][number];

export interface ModelInput {
  id?: string;
  kind?: "chat" | "embedding" | "rerank";
  upstream_model?: string;
  input_price_per_mtok?: number;
  output_price_per_mtok?: number;
  cached_input_price_per_mtok?: number | null;
  cache_write_price_per_mtok?: number | null;
  context_window?: number | null;
  enabled?: boolean;
}

const key = (orgId: string | null) => ["models", orgId ?? ""] as const;

export function useCatalog(orgId: string | null) {
  return useQuery({
    queryKey: key(orgId),
    enabled: !!orgId,
    queryFn: () => apiFetch<{ data: CatalogModel[] }>("/api/models", { query: { org_id: orgId ?? undefined } }),
  });
}

export function useCreateModel(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ModelInput) => apiFetch<CatalogModel>("/api/models", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(orgId) }),
  });
}

export function useUpdateModel(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ModelInput & { id: string }) =>
      apiFetch<CatalogModel>(`/api/models/${id.split("/").map(encodeURIComponent).join("/")}`, { method: "PATCH", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(orgId) }),
  });
}
