"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState, type FormEvent, type ReactNode } from "react";
import { Badge, Button, Card, EmptyState, ErrorState, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { Table } from "@/components/ui/table";
import {
  auditCsvHref,
  formatCredits,
  formatInt,
  useAuditLog,
  useAuditLogs,
  type AuditDetail,
  type AuditFilters,
  type AuditRow,
} from "@/lib/client/hooks-observability";
import { ExportCsvButton } from "./export-csv-button";
import { useScope } from "./scope";
import { Drawer } from "@/components/ui/drawer";

const SELECT_CLASS = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-zinc-900 focus:outline-none focus:ring-1 focus:ring-zinc-900 dark:border-zinc-700 dark:bg-zinc-900";

const usd6 = (v: number) => `$${v.toFixed(6)}`;
const ms = (v: number | null) => (v === null ? "—" : `${formatInt(v)} ms`);

// ---- JSON from the audit row (stored as the client sent it): narrowed, never trusted ----

const asRecord = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (asRecord(v) !== null && Object.keys(v as object).length === 0);

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) return JSON.stringify(content);
  return content
    .map((part) => {
      const p = asRecord(part);
      if (!p) return JSON.stringify(part);
      if (typeof p.text === "string") return p.text;
      // Images are redacted in the audit copy anyway; a marker says where one was.
      if (typeof p.type === "string" && p.type.includes("image")) return "[image]";
      return `[${typeof p.type === "string" ? p.type : "part"}]`;
    })
    .join("\n");
}

function messageText(m: Record<string, unknown>): string {
  const calls = asArray(m.tool_calls).map((c) => {
    const fn = asRecord(asRecord(c)?.function);
    return `[tool call: ${typeof fn?.name === "string" ? fn.name : "?"}(${typeof fn?.arguments === "string" ? fn.arguments : ""})]`;
  });
  return [contentText(m.content), ...calls].filter(Boolean).join("\n");
}

function Messages({ messages }: { messages: unknown[] }) {
  if (messages.length === 0) return <Dash />;
  return (
    <ol className="space-y-2">
      {messages.map((raw, i) => {
        const m = asRecord(raw);
        return (
          <li key={i} className="rounded-md border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950">
            <p className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">{typeof m?.role === "string" ? m.role : "item"}</p>
            <p className="text-sm whitespace-pre-wrap break-words">{m ? messageText(m) : JSON.stringify(raw)}</p>
          </li>
        );
      })}
    </ol>
  );
}

function sourceLabel(raw: unknown): string {
  const s = asRecord(raw);
  if (!s) return String(raw);
  const name = [s.title, s.document_title, s.document_id, s.id].find((v) => typeof v === "string");
  const score = typeof s.score === "number" ? ` (score ${s.score.toFixed(3)})` : typeof s.similarity === "number" ? ` (similarity ${s.similarity.toFixed(3)})` : "";
  return typeof name === "string" ? `${name}${score}` : JSON.stringify(s);
}

// ---- Small layout pieces ----

const Dash = () => <span className="text-zinc-400">—</span>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</h3>
      {children}
    </section>
  );
}

function Fields({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
      {items.map(([k, v]) => (
        <div key={k} className="min-w-0">
          <dt className="text-xs text-zinc-500">{k}</dt>
          <dd className="break-words">{v === null || v === undefined || v === "" ? <Dash /> : v}</dd>
        </div>
      ))}
    </dl>
  );
}

const Json = ({ value }: { value: unknown }) =>
  isEmpty(value) ? <Dash /> : <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-950">{JSON.stringify(value, null, 2)}</pre>;

function StatusBadge({ row }: { row: AuditRow }) {
  return <Badge tone={row.status === "success" ? "green" : "red"}>{row.status}</Badge>;
}

// ---- Detail drawer ----

function DetailBody({ d }: { d: AuditDetail }) {
  const request = asRecord(d.request);
  const { messages, ...params } = request ?? {};
  return (
    <>
      <Section title="Outcome">
        <Fields
          items={[
            ["Status", <StatusBadge key="s" row={d} />],
            ["HTTP status", <span key="h" data-testid="detail-http-status">{d.http_status}</span>],
            ["Error", d.error_code ? <span key="e" className="font-mono text-xs" data-testid="detail-error-code">{d.error_code}</span> : null],
          ]}
        />
        {d.error_message ? <p className="mt-2 text-sm text-red-700 dark:text-red-300">{d.error_message}</p> : null}
      </Section>
      <Section title="Request">
        <Fields
          items={[
            ["Model", d.model ? <span className="font-mono text-xs">{d.model}</span> : null],
            ["Provider", d.provider],
            ["Endpoint", <span key="ep" className="font-mono text-xs">{d.endpoint}</span>],
            ["Origin", d.origin],
            ["Stream", d.stream ? "yes" : "no"],
            ["Time", new Date(d.created_at).toLocaleString()],
            ["Project", d.project_id ? <span className="font-mono text-xs">{d.project_id}</span> : null],
            ["API key", d.api_key_id ? <span className="font-mono text-xs">{d.api_key_id}</span> : null],
          ]}
        />
      </Section>
      <Section title="Tokens, cost and timing">
        <Fields
          items={[
            ["Prompt tokens", formatInt(d.prompt_tokens)],
            ["Completion tokens", formatInt(d.completion_tokens)],
            ["Reasoning tokens", formatInt(d.reasoning_tokens)],
            ["Cached tokens", formatInt(d.cached_tokens)],
            ["Cost (USD)", usd6(d.cost_usd)],
            ["Credits", formatCredits(d.credits)],
            ["Latency", ms(d.latency_ms)],
            ["Time to first token", ms(d.ttft_ms)],
          ]}
        />
        {d.usage_estimated ? <p className="mt-2 text-xs text-zinc-500">Token counts are estimated: the provider reported no usage.</p> : null}
      </Section>
      <Section title="Metadata">
        <Json value={d.metadata} />
      </Section>
      <Section title="Attempts">
        <AttemptsTable attempts={asArray(d.attempts)} />
      </Section>
      <Section title="Context">
        <Fields
          items={[
            ["RAG sources", asArray(d.rag_sources).length ? <ul className="list-disc pl-4">{asArray(d.rag_sources).map((s, i) => <li key={i}>{sourceLabel(s)}</li>)}</ul> : null],
            ["Memory used", d.memory_used ? `yes (${asArray(d.memory_ids).length} memories)` : null],
          ]}
        />
      </Section>
      <Section title="Request messages">
        <Messages messages={asArray(messages)} />
        {request && Object.keys(params).length > 0 ? (
          <div className="mt-3">
            <p className="mb-1 text-xs text-zinc-500">Parameters</p>
            <Json value={params} />
          </div>
        ) : null}
      </Section>
      <Section title="Injected context">
        <Messages messages={asArray(d.injected)} />
      </Section>
      <Section title="Response">
        {d.response_text ? <p className="rounded-md bg-zinc-50 p-3 text-sm whitespace-pre-wrap break-words dark:bg-zinc-950">{d.response_text}</p> : <Dash />}
      </Section>
    </>
  );
}

function AttemptsTable({ attempts }: { attempts: unknown[] }) {
  if (attempts.length === 0) return <Dash />;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs text-zinc-500">
        <tr>
          <th className="py-1 pr-3 font-medium">Provider</th>
          <th className="py-1 pr-3 font-medium">Model</th>
          <th className="py-1 pr-3 font-medium">Status</th>
          <th className="py-1 pr-3 font-medium">Error</th>
          <th className="py-1 text-right font-medium">Latency</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((raw, i) => {
          const a = asRecord(raw) ?? {};
          const cell = (v: unknown) => (v === null || v === undefined ? "—" : String(v));
          return (
            <tr key={i} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="py-1 pr-3">{cell(a.provider)}</td>
              <td className="py-1 pr-3 font-mono text-xs">{cell(a.model)}</td>
              <td className="py-1 pr-3">{cell(a.status)}</td>
              <td className="py-1 pr-3 font-mono text-xs">{cell(a.error_code)}</td>
              <td className="py-1 text-right">{typeof a.latency_ms === "number" ? ms(a.latency_ms) : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function AuditDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useAuditLog(id);
  return (
    <Drawer labelledBy="audit-detail-title" onClose={onClose}>
      <div className="sticky top-0 z-10 flex items-start justify-between gap-4 bg-white px-5 py-4 dark:bg-zinc-900">
        <div className="min-w-0">
          <h2 id="audit-detail-title" className="text-lg font-semibold">
            Request details
          </h2>
          <p className="truncate font-mono text-xs text-zinc-500">{id}</p>
        </div>
        <Button variant="secondary" onClick={onClose} aria-label="Close details">
          Close
        </Button>
      </div>
      {detail.isPending ? <Loading label="Loading request…" /> : detail.isError ? <ErrorState error={detail.error} onRetry={() => void detail.refetch()} /> : <DetailBody d={detail.data} />}
    </Drawer>
  );
}

// ---- Filters and table ----

/** A local calendar day as the ISO instant of its start; `to` is exclusive, so the day after. */
function localDayStart(day: string, plusDays = 0): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

interface FilterForm {
  status: "" | "success" | "error";
  model: string;
  project_id: string;
  from: string;
  to: string;
}
const NO_FILTERS: FilterForm = { status: "", model: "", project_id: "", from: "", to: "" };

function toApiFilters(f: FilterForm): AuditFilters {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(f.project_id ? { project_id: f.project_id } : {}),
    ...(f.from ? { from: localDayStart(f.from) } : {}),
    ...(f.to ? { to: localDayStart(f.to, 1) } : {}),
  };
}

function FiltersBar({ value, onApply }: { value: FilterForm; onApply: (f: FilterForm) => void }) {
  const { projects } = useScope();
  // The model is typed, so it is applied on Enter or "Apply"; the pickers apply as they change.
  const [model, setModel] = useState(value.model);
  const set = (patch: Partial<FilterForm>) => onApply({ ...value, model, ...patch });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    set({});
  };
  return (
    <Card className="mb-4 p-4">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1.5fr_1fr_1fr_auto] lg:items-end" aria-label="Filter requests">
        <div>
          <Label htmlFor="filter-status">Status</Label>
          <select id="filter-status" className={SELECT_CLASS} value={value.status} onChange={(e) => set({ status: e.target.value as FilterForm["status"] })}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="error">Error</option>
          </select>
        </div>
        <div>
          <Label htmlFor="filter-project">Project</Label>
          <select id="filter-project" className={SELECT_CLASS} value={value.project_id} onChange={(e) => set({ project_id: e.target.value })}>
            <option value="">All projects</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="filter-model">Model</Label>
          <Input id="filter-model" value={model} onChange={(e) => setModel(e.target.value)} placeholder="e.g. openai/gpt-4o" />
        </div>
        <div>
          <Label htmlFor="filter-from">From</Label>
          <Input id="filter-from" type="date" value={value.from} max={value.to || undefined} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div>
          <Label htmlFor="filter-to">To</Label>
          <Input id="filter-to" type="date" value={value.to} min={value.from || undefined} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="flex gap-2">
          <Button type="submit">Apply</Button>
          <Button
            variant="ghost"
            onClick={() => {
              setModel("");
              onApply(NO_FILTERS);
            }}
          >
            Reset
          </Button>
        </div>
      </form>
    </Card>
  );
}

function AuditTable({ rows, projectName, onOpen }: { rows: AuditRow[]; projectName: (id: string | null) => string; onOpen: (id: string) => void }) {
  const numbers = "px-4 py-3 whitespace-nowrap tabular-nums text-zinc-600 dark:text-zinc-400";
  return (
    <Table
      scroll
      rows={rows}
      rowKey={(r) => r.id}
      rowTestId="audit-row"
      rowClassName="cursor-pointer hover:bg-zinc-50 dark:hover:bg-zinc-800"
      rowProps={(r) => ({ onClick: () => onOpen(r.id) })}
      columns={[
        {
          header: "Time",
          className: "px-4 py-3 whitespace-nowrap",
          cell: (r) => (
            // The button makes each row reachable by keyboard; its click bubbles to the row.
            <button type="button" id={`audit-open-${r.id}`} className="rounded text-left text-zinc-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-zinc-900 dark:text-zinc-300">
              {new Date(r.created_at).toLocaleString()}
            </button>
          ),
        },
        {
          header: "Status",
          className: "px-4 py-3 whitespace-nowrap",
          cell: (r) => (
            <>
              <StatusBadge row={r} /> <span className="text-zinc-600 dark:text-zinc-400">{r.http_status}</span>
              {r.error_code ? <span className="block font-mono text-xs text-zinc-500">{r.error_code}</span> : null}
            </>
          ),
        },
        {
          header: "Model",
          className: "px-4 py-3 font-mono text-xs",
          // The front door under the model: /v1/chat/completions, /v1/messages, … (and internal work).
          cell: (r) => (
            <>
              {r.model ?? <Dash />}
              <span className="block text-zinc-500" data-testid="audit-endpoint">
                {r.endpoint}
              </span>
            </>
          ),
        },
        { header: "Project", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (r) => projectName(r.project_id) },
        {
          header: "Tokens",
          align: "right",
          className: numbers,
          cell: (r) => (
            <>
              {formatInt(r.prompt_tokens)} / {formatInt(r.completion_tokens)}
            </>
          ),
        },
        { header: "Cost (USD)", align: "right", className: "px-4 py-3 tabular-nums text-zinc-600 dark:text-zinc-400", cell: (r) => usd6(r.cost_usd) },
        { header: "Latency", align: "right", className: numbers, cell: (r) => ms(r.latency_ms) },
      ]}
    />
  );
}

function AuditLogs({ orgId, initialId }: { orgId: string | null; initialId: string | null }) {
  const { orgsLoading, orgsError, projects } = useScope();
  const router = useRouter();
  const [form, setForm] = useState<FilterForm>(NO_FILTERS);
  const filters = toApiFilters(form);
  const logs = useAuditLogs(orgId, filters);
  const [selected, setSelected] = useState<string | null>(initialId);
  const filtered = Object.keys(filters).length > 0;
  const projectName = (id: string | null) => (id ? (projects.find((p) => p.id === id)?.name ?? id) : "—");

  const close = useCallback(() => {
    const id = selected;
    setSelected(null);
    // A deep link (?id=… from billing) should not reopen the drawer on reload.
    if (initialId) router.replace("/audit-logs", { scroll: false });
    requestAnimationFrame(() => document.getElementById(`audit-open-${id}`)?.focus());
  }, [selected, initialId, router]);

  const body = (() => {
    if (orgsError) return <ErrorState error={orgsError} />;
    if (orgsLoading || logs.isPending) return <Loading label="Loading requests…" />;
    if (logs.isError) return <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />;
    const rows = logs.data.pages.flatMap((p) => p.data);
    if (rows.length === 0) {
      return filtered ? (
        <EmptyState title="No requests match these filters">Widen the date range or reset the filters.</EmptyState>
      ) : (
        <EmptyState title="No requests yet — send one to /v1/chat/completions or /v1/messages with an API key" />
      );
    }
    return <AuditTable rows={rows} projectName={projectName} onOpen={setSelected} />;
  })();

  return (
    <div>
      <PageHeader
        title="Audit logs"
        description="Every authenticated /v1 request and the gateway's own work, newest first."
        action={
          <ExportCsvButton href={auditCsvHref(orgId, filters)} />
        }
      />
      <FiltersBar value={form} onApply={setForm} />
      <Card>{body}</Card>
      {logs.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" disabled={logs.isFetchingNextPage} onClick={() => void logs.fetchNextPage()}>
            {logs.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
      {selected ? <AuditDrawer id={selected} onClose={close} /> : null}
    </div>
  );
}

export function AuditLogsView({ initialId }: { initialId: string | null }) {
  const { orgId } = useScope();
  // Filters name projects of one organization: switching organization starts afresh.
  return <AuditLogs key={orgId ?? ""} orgId={orgId} initialId={initialId} />;
}
