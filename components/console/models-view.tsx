"use client";

import { useState, type FormEvent } from "react";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { Table, type Column } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useMe } from "@/lib/client/hooks";
import { useCatalog, useCreateModel, useUpdateModel, type CatalogModel } from "@/lib/client/hooks-models";
import { AdminOnlyNote } from "./admin-only";
import { useScope } from "./scope";

const usd = (v: number | null) => (v === null ? "—" : `$${v.toFixed(v < 1 ? 3 : 2)}`);
const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? undefined : Number(v));

function PriceEditor({ model, onDone }: { model: CatalogModel; onDone: () => void }) {
  const { orgId } = useScope();
  const update = useUpdateModel(orgId);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const cached = num(f.get("cached"));
    const cacheWrite = num(f.get("cacheWrite"));
    await update.mutateAsync({
      id: model.id,
      input_price_per_mtok: num(f.get("input")),
      output_price_per_mtok: num(f.get("output")),
      cached_input_price_per_mtok: cached === undefined ? null : cached,
      cache_write_price_per_mtok: cacheWrite === undefined ? null : cacheWrite,
    });
    onDone();
  }
  return (
    <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="flex flex-wrap items-end gap-2" aria-label={`Prices of ${model.id}`}>
      {(
        [
          ["input", "Input", model.input_price_per_mtok],
          ["output", "Output", model.output_price_per_mtok],
          ["cached", "Cached input", model.cached_input_price_per_mtok],
          ["cacheWrite", "Cache write", model.cache_write_price_per_mtok],
        ] as const
      ).map(([name, label, value]) => (
        <div key={name} className="w-28">
          <Label htmlFor={`${model.id}-${name}`} className="text-xs">
            {label} $/M
          </Label>
          <Input id={`${model.id}-${name}`} name={name} type="number" min={0} step="any" defaultValue={value ?? ""} />
        </div>
      ))}
      <Button type="submit" disabled={update.isPending}>
        Save
      </Button>
      <Button variant="secondary" onClick={onDone}>
        Cancel
      </Button>
      <FormError error={update.error} />
    </form>
  );
}

function AddModelForm({ onDone }: { onDone: () => void }) {
  const { orgId } = useScope();
  const toast = useToast();
  const create = useCreateModel(orgId);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    await create.mutateAsync({
      id: String(f.get("id") ?? ""),
      kind: String(f.get("kind")) as "chat" | "embedding" | "rerank",
      upstream_model: String(f.get("upstream") ?? "") || undefined,
      input_price_per_mtok: num(f.get("input")) ?? 0,
      output_price_per_mtok: num(f.get("output")) ?? 0,
      context_window: num(f.get("context")) ?? null,
    });
    toast(`Model ${String(f.get("id"))} added.`);
    onDone();
  }
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-3">
        <div>
          <Label htmlFor="model-id">Model id (provider/model)</Label>
          <Input id="model-id" name="id" required placeholder="groq/llama-3.3-70b" autoFocus />
        </div>
        <div>
          <Label htmlFor="model-upstream">Upstream model (default: after the slash)</Label>
          <Input id="model-upstream" name="upstream" />
        </div>
        <div>
          <Label htmlFor="model-kind">Kind</Label>
          <select id="model-kind" name="kind" className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900">
            <option value="chat">chat</option>
            <option value="embedding">embedding</option>
            <option value="rerank">rerank</option>
          </select>
        </div>
        <div>
          <Label htmlFor="model-input">Input $ per 1M tokens</Label>
          <Input id="model-input" name="input" type="number" min={0} step="any" />
        </div>
        <div>
          <Label htmlFor="model-output">Output $ per 1M tokens</Label>
          <Input id="model-output" name="output" type="number" min={0} step="any" />
        </div>
        <div>
          <Label htmlFor="model-context">Context window (tokens)</Label>
          <Input id="model-context" name="context" type="number" min={1} step={1} />
        </div>
        <div className="flex gap-2 md:col-span-3">
          <Button type="submit" disabled={create.isPending}>
            Add model
          </Button>
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <FormError error={create.error} />
        </div>
      </form>
    </Card>
  );
}

/** The catalog; `embedded` on the Providers & models page (a section heading, not the page's). */
export function ModelsView({ embedded = false }: { embedded?: boolean }) {
  const { orgId } = useScope();
  const me = useMe(orgId);
  const catalog = useCatalog(orgId);
  const update = useUpdateModel(orgId);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const operator = me.data?.operator === true;
  // Org admins add and edit their organization's own models; instance-wide rows are the operator's.
  const admin = operator || me.data?.role === "admin" || me.data?.role === "owner";
  const canEdit = (m: CatalogModel) => operator || (admin && m.scope === "organization");

  const body = (() => {
    if (catalog.isPending) return <Loading label="Loading the catalog…" />;
    if (catalog.isError) return <ErrorState error={catalog.error} onRetry={() => void catalog.refetch()} />;
    const rows = catalog.data.data;
    if (rows.length === 0)
      return <EmptyState title="No models yet">Add a provider above, then add the models it serves (e.g. openai/gpt-4o-mini) with their prices.</EmptyState>;
    const columns: Column<CatalogModel>[] = [
      {
        header: "Model",
        cell: (m) => (
          <>
            <p className="font-mono text-xs font-medium">{m.id}</p>
            <p className="text-xs text-zinc-500">upstream: {m.upstream_model}</p>
          </>
        ),
      },
      { header: "Kind", cell: (m) => m.kind },
      {
        header: "Input / output / cached / cache write ($ per 1M tokens)",
        cell: (m) =>
          editing === m.id ? (
            <PriceEditor model={m} onDone={() => setEditing(null)} />
          ) : (
            `${usd(m.input_price_per_mtok)} / ${usd(m.output_price_per_mtok)} / ${usd(m.cached_input_price_per_mtok)} / ${usd(m.cache_write_price_per_mtok)}`
          ),
      },
      {
        header: "Context / max output",
        className: "px-4 py-3 text-zinc-600 dark:text-zinc-400",
        cell: (m) => (
          <>
            {m.context_window?.toLocaleString() ?? "—"} / {m.max_output_tokens?.toLocaleString() ?? "—"}
          </>
        ),
      },
      {
        header: "Status",
        cell: (m) => (
          <div className="flex flex-wrap gap-1">
            {!m.enabled ? <Badge tone="red">disabled</Badge> : m.available ? <Badge tone="green">available</Badge> : <Badge tone="amber">no provider</Badge>}
            {m.scope === "organization" ? <Badge>custom</Badge> : null}
          </div>
        ),
      },
    ];
    if (admin) {
      columns.push({
        className: "px-4 py-3 text-right whitespace-nowrap",
        cell: (m) =>
          canEdit(m) ? (
            <>
              <Button variant="ghost" onClick={() => setEditing(m.id)} aria-label={`Edit prices of ${m.id}`}>
                Edit prices
              </Button>
              <Button variant="ghost" onClick={() => update.mutate({ id: m.id, enabled: !m.enabled })}>
                {m.enabled ? "Disable" : "Enable"}
              </Button>
            </>
          ) : null,
      });
    }
    return <Table rows={rows} rowKey={(m) => `${m.scope}-${m.id}`} rowTestId="model-row" columns={columns} />;
  })();

  return (
    <div>
      {embedded ? (
        <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
          <div>
            <h2 className="text-lg font-semibold tracking-tight">Models &amp; pricing</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">The catalog API keys can use, with the prices requests are billed at (USD per million tokens).</p>
          </div>
          {admin && !adding ? <Button onClick={() => setAdding(true)}>Add model</Button> : null}
        </div>
      ) : (
        <PageHeader
          title="Models & pricing"
          description="The catalog API keys can use, with the prices requests are billed at (USD per million tokens)."
          action={admin && !adding ? <Button onClick={() => setAdding(true)}>Add model</Button> : null}
        />
      )}
      {me.data && !admin ? <AdminOnlyNote>Only admins can add models or change prices.</AdminOnlyNote> : null}
      {adding ? <AddModelForm onDone={() => setAdding(false)} /> : null}
      <FormError error={update.error} />
      <Card className="overflow-x-auto">{body}</Card>
    </div>
  );
}
