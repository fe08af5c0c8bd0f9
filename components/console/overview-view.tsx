"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { BarChart, type BarDatum } from "@/components/ui/bar-chart";
import { Badge, Card, EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/primitives";
import { apiFetch, type Page } from "@/lib/client/api";
import { formatInt, formatUsd, useUsage, type AuditRow, type UsageBucket } from "@/lib/client/hooks-observability";
import { StatCard } from "@/components/ui/stat-card";
import { Table } from "@/components/ui/table";
import { GetStarted } from "./get-started";
import { useScope } from "./scope";

const DAYS = 14;
const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

// Bare UTC dates keep the query key stable between renders (see usage-view.tsx).
function period() {
  const today = Date.parse(isoDay(Date.now()));
  const keys = Array.from({ length: DAYS }, (_, i) => isoDay(today - (DAYS - 1 - i) * DAY_MS));
  return { from: keys[0]!, to: keys[DAYS - 1]!, keys };
}

function series(keys: string[], data: UsageBucket[], pick: (b: UsageBucket) => number): BarDatum[] {
  const byDay = new Map(data.map((b) => [b.key, b]));
  return keys.map((key) => {
    const d = new Date(`${key}T00:00:00Z`);
    const fmt = (o: Intl.DateTimeFormatOptions) => d.toLocaleDateString("en-US", { ...o, timeZone: "UTC" });
    const b = byDay.get(key);
    return { label: fmt({ month: "short", day: "numeric", year: "numeric" }), tick: fmt({ month: "short", day: "numeric" }), value: b ? pick(b) : 0 };
  });
}

function RecentFailures({ orgId, projectId }: { orgId: string; projectId: string }) {
  const failures = useQuery({
    queryKey: ["audit-logs", orgId, { project_id: projectId, status: "error", limit: 8 }],
    queryFn: () => apiFetch<Page<AuditRow>>("/api/audit-logs", { query: { org_id: orgId, project_id: projectId, status: "error", limit: "8" } }),
  });
  if (failures.isPending) return <Loading />;
  if (failures.isError) return <ErrorState error={failures.error} />;
  return (
    <Table
      headless
      flushFirst
      rows={failures.data.data}
      rowKey={(r) => r.id}
      rowTestId="failure-row"
      empty={<EmptyState title="No failed requests">Failures show up here with their error code.</EmptyState>}
      columns={[
        { className: "px-4 py-2 whitespace-nowrap text-zinc-500", cell: (r) => new Date(r.created_at).toLocaleString() },
        { className: "px-4 py-2 font-mono text-xs", cell: (r) => r.model ?? "—" },
        {
          className: "px-4 py-2",
          cell: (r) => (
            <Badge tone="red">
              {r.http_status} {r.error_code}
            </Badge>
          ),
        },
        {
          align: "right",
          className: "px-4 py-2",
          cell: (r) => (
            <Link className="text-blue-700 underline dark:text-blue-400" href={`/audit-logs?id=${encodeURIComponent(r.id)}`}>
              Details
            </Link>
          ),
        },
      ]}
    />
  );
}

export function OverviewView() {
  const { orgId, projectId, projects } = useScope();
  const p = period();
  const usage = useUsage(projectId ? orgId : null, { from: p.from, to: p.to, group_by: "day", project_id: projectId ?? undefined });
  const project = projects.find((x) => x.id === projectId);

  if (!orgId) return <Loading />;
  if (!projectId) {
    return (
      <>
        <PageHeader title="Overview" />
        <GetStarted />
      </>
    );
  }
  const t = usage.data?.totals;
  const data = usage.data?.data ?? [];
  const charts = [
    { title: "Requests per day", series: series(p.keys, data, (b) => b.requests), format: formatInt, integer: true },
    { title: "Tokens per day", series: series(p.keys, data, (b) => b.total_tokens), format: formatInt, integer: true },
    { title: "Spend per day", series: series(p.keys, data, (b) => b.cost_usd), format: formatUsd, integer: false },
    { title: "Error rate per day", series: series(p.keys, data, (b) => (b.requests ? (b.errors / b.requests) * 100 : 0)), format: (v: number) => `${v.toFixed(1)}%`, integer: false },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={`Overview · ${project?.name ?? ""}`} description={`The project's last ${DAYS} days (UTC).`} />
      {usage.isPending ? <Loading /> : usage.isError ? <ErrorState error={usage.error} onRetry={() => void usage.refetch()} /> : null}
      {t && t.requests === 0 ? <GetStarted /> : null}
      {t ? (
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <StatCard label="Requests" value={formatInt(t.requests)} testId="overview-requests" />
          <StatCard label="Tokens" value={formatInt(t.total_tokens)} testId="overview-tokens" />
          <StatCard label="Spend" value={formatUsd(t.cost_usd)} testId="overview-spend" />
          <StatCard label="Error rate" value={t.requests ? `${((t.errors / t.requests) * 100).toFixed(1)}%` : "—"} testId="overview-error-rate" />
        </div>
      ) : null}
      {t ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {charts.map((c) => (
            <Card key={c.title} className="p-4">
              <h2 className="mb-2 text-sm font-medium">{c.title}</h2>
              <BarChart title={c.title} data={c.series} format={c.format} integer={c.integer} noun="days" />
            </Card>
          ))}
        </div>
      ) : null}
      <Card className="overflow-x-auto">
        <h2 className="px-4 pt-4 font-semibold">Recent failures</h2>
        <RecentFailures orgId={orgId} projectId={projectId} />
      </Card>
    </div>
  );
}
