"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { useMe } from "@/lib/client/hooks";
import { formatCredits, formatUsd, useBilling, useTopUp, type Billing, type LedgerEntry, type TopUpInput } from "@/lib/client/hooks-observability";
import { StatCard } from "@/components/ui/stat-card";
import { Table } from "@/components/ui/table";
import { useScope } from "./scope";

const KIND_TONE: Record<string, "zinc" | "green" | "red" | "amber"> = { grant: "green", topup: "green", usage: "zinc", adjustment: "amber" };

const formatAmount = (e: LedgerEntry) => {
  const sign = e.amount > 0 ? "+" : e.amount < 0 ? "−" : "";
  const abs = Math.abs(e.amount);
  return `${sign}${e.currency === "usd" ? formatUsd(abs) : `${formatCredits(abs)} credits`}`;
};

function Balances({ billing }: { billing: Billing }) {
  return (
    <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
      <StatCard label="USD balance" value={formatUsd(billing.usd)} testId="balance-usd" detail="Pays for model tokens." />
      <StatCard label="Credits" value={formatCredits(billing.credits)} testId="balance-credits" detail="Pay for RAG retrievals and memory lookups." />
      <StatCard
        label="Reserved in flight"
        value={formatUsd(billing.reserved_usd)}
        testId="reserved-usd"
        detail={
          <>
            <span data-testid="reserved-credits">{formatCredits(billing.reserved_credits)}</span> credits held by requests still running.
          </>
        }
      />
    </div>
  );
}

/** Empty fields are left out; the API decides what is valid, so its message is what we show. */
function readAmount(form: FormData, name: string): number | undefined {
  const raw = String(form.get(name) ?? "").trim();
  return raw === "" ? undefined : Number(raw);
}

function TopUpForm() {
  const { orgId } = useScope();
  const topUp = useTopUp(orgId);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const note = String(form.get("note") ?? "").trim();
    const input: TopUpInput = { usd: readAmount(form, "usd"), credits: readAmount(form, "credits"), ...(note ? { note } : {}) };
    setDone(null);
    const billing = await topUp.mutateAsync(input);
    formEl.reset();
    setDone(`Balance updated: ${formatUsd(billing.usd)} and ${formatCredits(billing.credits)} credits.`);
  }

  return (
    <Card className="mb-6 p-4">
      <h2 className="text-sm font-medium">Top up or adjust</h2>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Operator only. A negative amount is an adjustment; a balance never goes below zero.</p>
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-[1fr_1fr_2fr_auto] md:items-end">
        <div>
          <Label htmlFor="topup-usd">USD</Label>
          <Input id="topup-usd" name="usd" type="number" step="any" inputMode="decimal" placeholder="10.00" />
        </div>
        <div>
          <Label htmlFor="topup-credits">Credits</Label>
          <Input id="topup-credits" name="credits" type="number" step="any" inputMode="decimal" placeholder="100" />
        </div>
        <div>
          <Label htmlFor="topup-note">Note</Label>
          <Input id="topup-note" name="note" maxLength={500} placeholder="Invoice 2024-031" />
        </div>
        <Button type="submit" disabled={topUp.isPending}>
          {topUp.isPending ? "Applying…" : "Apply"}
        </Button>
        <div className="md:col-span-4">
          <FormError error={topUp.error} />
          {done ? (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
              {done}
            </p>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

function LedgerTable({ entries }: { entries: LedgerEntry[] }) {
  return (
    <Table
      scroll
      rows={entries}
      rowKey={(e) => e.id}
      rowTestId="ledger-row"
      empty={<EmptyState title="No ledger entries yet">Grants, top-ups and usage charges appear here.</EmptyState>}
      columns={[
        { header: "Date", className: "px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400", cell: (e) => new Date(e.created_at).toLocaleString() },
        { header: "Kind", cell: (e) => <Badge tone={KIND_TONE[e.kind] ?? "zinc"}>{e.kind}</Badge> },
        { header: "Currency", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (e) => (e.currency === "usd" ? "USD" : "Credits") },
        {
          header: "Amount",
          align: "right",
          className: (e) => `px-4 py-3 whitespace-nowrap tabular-nums ${e.amount < 0 ? "text-red-700 dark:text-red-300" : "text-emerald-700 dark:text-emerald-300"}`,
          cell: formatAmount,
        },
        { header: "Note", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (e) => e.note ?? "—" },
        {
          header: "Request",
          cell: (e) =>
            e.audit_log_id ? (
              <Link href={`/audit-logs?id=${encodeURIComponent(e.audit_log_id)}`} className="font-mono text-xs text-zinc-700 underline hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">
                {e.audit_log_id}
              </Link>
            ) : (
              <span className="text-zinc-400">—</span>
            ),
        },
      ]}
    />
  );
}

export function BillingView() {
  const { orgId, orgsLoading, orgsError } = useScope();
  const me = useMe();
  const billing = useBilling(orgId);
  const pages = billing.data?.pages ?? [];
  const first = pages[0];

  const body = (() => {
    if (orgsError) return <ErrorState error={orgsError} />;
    if (billing.isError) return <ErrorState error={billing.error} onRetry={() => void billing.refetch()} />;
    if (orgsLoading || !first) return <Loading label="Loading billing…" />;
    const entries = pages.flatMap((p) => p.ledger);
    return (
      <>
        <Balances billing={first} />
        {me.data?.operator ? <TopUpForm /> : null}
        <Card>
          <h2 className="border-b border-zinc-200 px-4 py-3 text-sm font-medium dark:border-zinc-800">Ledger</h2>
          <LedgerTable entries={entries} />
        </Card>
        {billing.hasNextPage ? (
          <div className="mt-4 flex justify-center">
            <Button variant="secondary" disabled={billing.isFetchingNextPage} onClick={() => void billing.fetchNextPage()}>
              {billing.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </>
    );
  })();

  return (
    <div>
      <PageHeader title="Billing" description="Balances of the organization and every movement of money, newest first." />
      {body}
    </div>
  );
}
