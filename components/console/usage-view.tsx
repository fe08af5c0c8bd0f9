"use client";

import { useMemo, useState, type ReactNode } from "react";
import { BarChart, type BarDatum } from "@/components/ui/bar-chart";
import { Button, Card, ErrorState, Loading, PageHeader } from "@/components/ui/primitives";
import { formatCredits, formatInt, formatUsd, useUsage, type Usage, type UsageBucket } from "@/lib/client/hooks-observability";
import { StatCard } from "@/components/ui/stat-card";
import { Table } from "@/components/ui/table";
import { useScope } from "./scope";

const PERIODS = [7, 30, 90] as const;
type Period = (typeof PERIODS)[number];

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The last `days` UTC days, today included. The server buckets by UTC day and reads a bare `to`
 * date as that whole day, so bare dates give whole buckets and a query key that stays stable
 * between renders (a "now" timestamp would refetch forever).
 */
function periodRange(days: Period) {
  const today = Date.parse(isoDay(Date.now()));
  const keys = Array.from({ length: days }, (_, i) => isoDay(today - (days - 1 - i) * DAY_MS));
  return { from: keys[0] ?? isoDay(today), to: isoDay(today), keys };
}

const dayLabel = (key: string, opts: Intl.DateTimeFormatOptions) => new Date(`${key}T00:00:00Z`).toLocaleDateString("en-US", { ...opts, timeZone: "UTC" });
const compact = (v: number) => v.toLocaleString("en-US", { notation: "compact", maximumFractionDigits: 2 });
const compactUsd = (v: number) => (v === 0 ? "$0" : v < 0.01 ? `$${v.toPrecision(2)}` : `$${compact(v)}`);
const errorRate = (t: { requests: number; errors: number }) => (t.requests === 0 ? "—" : `${((t.errors / t.requests) * 100).toFixed(1)}%`);

/** One bar per day of the period: days without traffic are absent from the API, shown as zero. */
function daySeries(keys: string[], data: UsageBucket[], pick: (b: UsageBucket) => number): BarDatum[] {
  const byDay = new Map(data.map((b) => [b.key, b]));
  return keys.map((key) => {
    const bucket = byDay.get(key);
    return { label: dayLabel(key, { month: "short", day: "numeric", year: "numeric" }), tick: dayLabel(key, { month: "short", day: "numeric" }), value: bucket ? pick(bucket) : 0 };
  });
}

function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <div role="group" aria-label="Period" className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5 dark:border-zinc-700 dark:bg-zinc-900">
      {PERIODS.map((p) => (
        <Button key={p} variant={p === value ? "primary" : "ghost"} aria-pressed={p === value} onClick={() => onChange(p)}>
          Last {p} days
        </Button>
      ))}
    </div>
  );
}

function Totals({ totals }: { totals: Usage["totals"] }) {
  return (
    <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard label="Requests" value={formatInt(totals.requests)} testId="usage-total-requests" />
      <StatCard
        label="Tokens"
        value={formatInt(totals.total_tokens)}
        testId="usage-total-tokens"
        detail={`${formatInt(totals.prompt_tokens)} prompt · ${formatInt(totals.completion_tokens)} completion`}
      />
      <StatCard label="Cost (USD)" value={formatUsd(totals.cost_usd)} testId="usage-total-cost" detail={`${formatCredits(totals.credits)} credits`} />
      <StatCard label="Error rate" value={errorRate(totals)} testId="usage-error-rate" detail={`${formatInt(totals.errors)} errors`} />
    </div>
  );
}

function Charts({ keys, data }: { keys: string[]; data: UsageBucket[] }) {
  const charts = [
    { title: "Requests per day", series: daySeries(keys, data, (b) => b.requests), format: formatInt, tick: compact, integer: true },
    { title: "Tokens per day", series: daySeries(keys, data, (b) => b.total_tokens), format: formatInt, tick: compact, integer: true },
    { title: "Cost per day (USD)", series: daySeries(keys, data, (b) => b.cost_usd), format: formatUsd, tick: compactUsd, integer: false },
  ];
  return (
    <div className="mb-6 grid gap-4 xl:grid-cols-3">
      {charts.map((c) => (
        <Card key={c.title} className="p-4">
          <h2 className="mb-2 text-sm font-medium">{c.title}</h2>
          <BarChart title={c.title} data={c.series} format={c.format} formatTick={c.tick} integer={c.integer} noun="days" />
        </Card>
      ))}
    </div>
  );
}

const NUMBERS: [string, (r: UsageBucket) => string][] = [
  ["Requests", (r) => formatInt(r.requests)],
  ["Errors", (r) => formatInt(r.errors)],
  ["Prompt tokens", (r) => formatInt(r.prompt_tokens)],
  ["Completion tokens", (r) => formatInt(r.completion_tokens)],
  ["Total tokens", (r) => formatInt(r.total_tokens)],
  ["Cost (USD)", (r) => formatUsd(r.cost_usd)],
  ["Credits", (r) => formatCredits(r.credits)],
];

function UsageTable({ title, keyLabel, rows, name }: { title: string; keyLabel: string; rows: UsageBucket[]; name: (key: string | null) => ReactNode }) {
  return (
    <Card className="mb-6">
      <h2 className="border-b border-zinc-200 px-4 py-3 text-sm font-medium dark:border-zinc-800">{title}</h2>
      <Table
        scroll
        rows={rows}
        rowKey={(r) => r.key ?? "none"}
        empty={<p className="p-6 text-center text-sm text-zinc-600 dark:text-zinc-400">No requests in this period.</p>}
        columns={[
          { header: keyLabel, cell: (r) => name(r.key) },
          ...NUMBERS.map(([header, value]) => ({
            header,
            align: "right" as const,
            headerClassName: "whitespace-nowrap",
            className: "px-4 py-3 tabular-nums text-zinc-700 dark:text-zinc-300",
            cell: value,
          })),
        ]}
      />
    </Card>
  );
}

export function UsageView() {
  const { orgId, orgsLoading, orgsError, projects } = useScope();
  const [period, setPeriod] = useState<Period>(30);
  const range = useMemo(() => periodRange(period), [period]);
  const byDay = useUsage(orgId, { from: range.from, to: range.to, group_by: "day" });
  const byModel = useUsage(orgId, { from: range.from, to: range.to, group_by: "model" });
  const byProject = useUsage(orgId, { from: range.from, to: range.to, group_by: "project" });
  const queries = [byDay, byModel, byProject];
  const failed = queries.find((q) => q.isError);

  const body = (() => {
    if (orgsError) return <ErrorState error={orgsError} />;
    if (failed) return <ErrorState error={failed.error} onRetry={() => queries.forEach((q) => void q.refetch())} />;
    if (orgsLoading || !byDay.data || !byModel.data || !byProject.data) return <Loading label="Loading usage…" />;
    const projectName = (id: string | null) => (id ? (projects.find((p) => p.id === id)?.name ?? <span className="font-mono text-xs">{id}</span>) : <span className="text-zinc-500">No project</span>);
    return (
      <>
        <Totals totals={byDay.data.totals} />
        <Charts keys={range.keys} data={byDay.data.data} />
        <UsageTable title="By model" keyLabel="Model" rows={byModel.data.data} name={(m) => (m ? <span className="font-mono text-xs">{m}</span> : <span className="text-zinc-500">Unknown model</span>)} />
        <UsageTable title="By project" keyLabel="Project" rows={byProject.data.data} name={projectName} />
      </>
    );
  })();

  return (
    <div>
      <PageHeader
        title="Usage"
        description={`Requests, tokens and cost of the organization, ${dayLabel(range.from, { month: "short", day: "numeric" })} – ${dayLabel(range.to, { month: "short", day: "numeric", year: "numeric" })} (UTC days).`}
        action={<PeriodPicker value={period} onChange={setPeriod} />}
      />
      {body}
    </div>
  );
}
