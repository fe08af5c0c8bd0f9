import type { Metadata } from "next";
import { AuditLogsView } from "@/components/console/audit-logs-view";

export const metadata: Metadata = { title: "Audit logs" };

// `?id=` opens that request's details (the billing ledger links here).
export default async function AuditLogsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await searchParams;
  return <AuditLogsView initialId={typeof id === "string" && id ? id : null} />;
}
