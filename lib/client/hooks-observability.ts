"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { serializeAuditDetail, serializeAuditRow } from "@/lib/audit/query";
import type { getUsage } from "@/lib/audit/usage";
import type { getBilling, serializeLedgerEntry } from "@/lib/billing/ledger";
import { apiFetch, type Page } from "./api";
import { queryKeys } from "./hooks";

// Wire types come from the server's serializers (type-only imports: no server code ships).
export type AuditRow = ReturnType<typeof serializeAuditRow>;
export type AuditDetail = ReturnType<typeof serializeAuditDetail>;
export type Usage = Awaited<ReturnType<typeof getUsage>>;
export type UsageBucket = Usage["data"][number];
export type Billing = Awaited<ReturnType<typeof getBilling>>;
export type LedgerEntry = ReturnType<typeof serializeLedgerEntry>;

/** The list filters the console offers; `from`/`to` are ISO 8601 (`to` exclusive). */
export interface AuditFilters {
  project_id?: string;
  model?: string;
  status?: "success" | "error";
  from?: string;
  to?: string;
}

export interface UsageParams {
  from: string;
  to: string;
  group_by: "day" | "model" | "project";
  project_id?: string;
}

const observabilityKeys = {
  auditLogs: (orgId: string, filters: AuditFilters) => ["audit-logs", orgId, filters] as const,
  auditLog: (id: string) => ["audit-log", id] as const,
  usage: (orgId: string, params: UsageParams) => ["usage", orgId, params] as const,
  billing: (orgId: string) => ["billing", orgId] as const,
};

const PAGE_SIZE = "50";

// Display of wire numbers. Money is exact to 1e-6 on the server, so up to six decimals are shown
// and nothing is rounded away: what the page says is what the API says.
const EN = "en-US";
export const formatInt = (v: number) => v.toLocaleString(EN);
export const formatUsd = (v: number) =>
  `${v < 0 ? "-" : ""}$${Math.abs(v).toLocaleString(EN, { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
export const formatCredits = (v: number) => v.toLocaleString(EN, { maximumFractionDigits: 6 });

/** Query string of a filtered audit listing; shared by the table and the CSV export link. */
function auditQuery(orgId: string | null, filters: AuditFilters): Record<string, string | undefined> {
  return { org_id: orgId ?? undefined, ...filters };
}

export function auditCsvHref(orgId: string | null, filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(auditQuery(orgId, filters))) if (v) params.set(k, v);
  params.set("format", "csv");
  return `/api/audit-logs?${params.toString()}`;
}

export function useAuditLogs(orgId: string | null, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: observabilityKeys.auditLogs(orgId ?? "", filters),
    enabled: !!orgId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<Page<AuditRow>>("/api/audit-logs", { query: { ...auditQuery(orgId, filters), limit: PAGE_SIZE, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Detail of one row; the API scopes ids to every organization of the caller, so no org_id. */
export function useAuditLog(id: string | null) {
  return useQuery({
    queryKey: observabilityKeys.auditLog(id ?? ""),
    enabled: !!id,
    // Rows are immutable once written: no need to refetch a detail we already have.
    staleTime: Infinity,
    queryFn: () => apiFetch<AuditDetail>(`/api/audit-logs/${encodeURIComponent(id ?? "")}`),
  });
}

export function useUsage(orgId: string | null, params: UsageParams) {
  return useQuery({
    queryKey: observabilityKeys.usage(orgId ?? "", params),
    enabled: !!orgId,
    queryFn: () => apiFetch<Usage>("/api/usage", { query: { org_id: orgId ?? undefined, ...params } }),
  });
}

/** Balances come with the first page; further pages only extend the ledger. */
export function useBilling(orgId: string | null) {
  return useInfiniteQuery({
    queryKey: observabilityKeys.billing(orgId ?? ""),
    enabled: !!orgId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => apiFetch<Billing>("/api/billing", { query: { org_id: orgId ?? undefined, limit: PAGE_SIZE, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export interface TopUpInput {
  usd?: number;
  credits?: number;
  note?: string;
}

export function useTopUp(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TopUpInput) =>
      apiFetch<Billing>("/api/billing/topup", { method: "POST", body: { ...input, ...(orgId ? { org_id: orgId } : {}) } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: observabilityKeys.billing(orgId ?? "") });
      // Organizations carry their balances too.
      void qc.invalidateQueries({ queryKey: queryKeys.orgs });
    },
  });
}
