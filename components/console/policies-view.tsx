"use client";

import { useState, type FormEvent } from "react";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader, Textarea } from "@/components/ui/primitives";
import { useIsAdmin } from "@/lib/client/hooks";
import {
  useCacheStats,
  useClearCache,
  useGuardrails,
  useSaveCache,
  useSaveGuardrails,
  useTestGuardrails,
  type CacheSettings,
  type GuardrailsTest,
} from "@/lib/client/hooks-policies";
import { useScope } from "./scope";

const SELECT_CLASS = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const EXAMPLE_RULES = `[
  { "detector": "email", "input": "redact", "output": "redact" },
  { "detector": "secret", "input": "block", "output": "block" }
]`;

function CacheForm({
  initial,
  admin,
  save,
  clear,
}: {
  initial: CacheSettings;
  admin: boolean;
  save: ReturnType<typeof useSaveCache>;
  clear: ReturnType<typeof useClearCache>;
}) {
  const [form, setForm] = useState<CacheSettings>(initial);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
        <form onSubmit={onSubmit} className="mt-5 grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end" aria-label="Cache settings">
          <div>
            <Label htmlFor="cache-mode">Mode</Label>
            <select id="cache-mode" className={SELECT_CLASS} value={form.mode} disabled={!admin} onChange={(e) => setForm({ ...form, mode: e.target.value as CacheSettings["mode"] })}>
              <option value="off">Off</option>
              <option value="exact">Exact</option>
              <option value="semantic">Semantic</option>
            </select>
          </div>
          <div>
            <Label htmlFor="cache-ttl">TTL (seconds)</Label>
            <Input id="cache-ttl" type="number" min={1} value={form.ttl_seconds} disabled={!admin} onChange={(e) => setForm({ ...form, ttl_seconds: Number(e.target.value) })} />
          </div>
          <div>
            <Label htmlFor="cache-similarity">Similarity (semantic)</Label>
            <Input id="cache-similarity" type="number" step="0.01" min={0.01} max={1} value={form.similarity} disabled={!admin} onChange={(e) => setForm({ ...form, similarity: Number(e.target.value) })} />
          </div>
          <div className="flex gap-2">
            <Button type="submit" disabled={!admin || save.isPending}>
              Save
            </Button>
            <Button type="button" variant="secondary" disabled={!admin || clear.isPending} onClick={() => clear.mutate()}>
              Clear cache
            </Button>
          </div>
        </form>
  );
}

function CacheCard({ orgId, projectId, admin }: { orgId: string | null; projectId: string; admin: boolean }) {
  const stats = useCacheStats(orgId, projectId);
  const save = useSaveCache(orgId, projectId);
  const clear = useClearCache(orgId, projectId);
  if (stats.isPending) return <Loading label="Loading the cache…" />;
  if (stats.isError) return <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data.stats;
  return (
    <Card className="mb-6 p-5">
      <h2 className="text-base font-semibold">Response cache</h2>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        Repeated chat completions are answered from the cache: no upstream call, no USD. Semantic mode also matches reworded single-turn questions.
      </p>
      <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Cache results, last 30 days">
        <div>
          <dt className="text-zinc-500">Hits</dt>
          <dd className="font-semibold tabular-nums" data-testid="cache-hits">
            {s.hits}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-500">Misses</dt>
          <dd className="font-semibold tabular-nums">{s.misses}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Hit rate</dt>
          <dd className="font-semibold tabular-nums">{s.hit_rate === null ? "—" : `${(s.hit_rate * 100).toFixed(1)}%`}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">USD saved</dt>
          <dd className="font-semibold tabular-nums" data-testid="cache-saved">
            ${s.usd_saved.toFixed(6)}
          </dd>
        </div>
      </dl>
      <CacheForm key={JSON.stringify(stats.data.settings)} initial={stats.data.settings} admin={admin} save={save} clear={clear} />
      {save.isSuccess ? (
        <p role="status" className="mt-2 text-sm text-green-700 dark:text-green-400">
          Cache settings saved.
        </p>
      ) : null}
      {clear.isSuccess ? (
        <p role="status" className="mt-2 text-sm text-green-700 dark:text-green-400">
          {clear.data.deleted} cached answers removed.
        </p>
      ) : null}
      <FormError error={save.error ?? clear.error} />
    </Card>
  );
}

function TestResult({ side, result }: { side: string; result: GuardrailsTest["input"] }) {
  return (
    <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid={`guardrails-test-${side}`}>
      <p className="text-sm font-medium">
        On {side}: {result.blocked ? <Badge tone="red">blocked</Badge> : result.findings.length > 0 ? <Badge tone="amber">matched</Badge> : <Badge tone="green">clean</Badge>}
      </p>
      {result.findings.length > 0 ? (
        <ul className="mt-2 text-sm">
          {result.findings.map((f) => (
            <li key={`${f.detector}-${f.action}`}>
              {f.detector}: {f.action} ({f.count})
            </li>
          ))}
        </ul>
      ) : null}
      {result.text !== null ? <p className="mt-2 whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900">{result.text}</p> : null}
    </div>
  );
}

function GuardrailsCard({ orgId, projectId, admin }: { orgId: string | null; projectId: string; admin: boolean }) {
  const rules = useGuardrails(orgId, projectId);
  const save = useSaveGuardrails(orgId, projectId);
  if (rules.isPending) return <Loading label="Loading the guardrails…" />;
  if (rules.isError) return <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />;
  const initial = rules.data.rules.length > 0 ? JSON.stringify(rules.data.rules, null, 2) : "[]";
  // The save lives here: a saved list remounts the editor (new initial text), and its result must survive that.
  return <RulesEditor key={initial} initial={initial} orgId={orgId} projectId={projectId} admin={admin} save={save} />;
}

function RulesEditor({
  initial,
  orgId,
  projectId,
  admin,
  save,
}: {
  initial: string;
  orgId: string | null;
  projectId: string;
  admin: boolean;
  save: ReturnType<typeof useSaveGuardrails>;
}) {
  const test = useTestGuardrails(orgId, projectId);
  const [draft, setDraft] = useState(initial);
  const [parseError, setParseError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const parsed = (): unknown => {
    try {
      setParseError(null);
      return JSON.parse(draft);
    } catch {
      setParseError("The rules are not valid JSON.");
      return undefined;
    }
  };
  return (
    <Card className="p-5">
      <h2 className="text-base font-semibold">Guardrails</h2>
      <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
        Detectors: email, phone, card (Luhn), iban, ip, secret, regex (with a pattern), deny (with terms); on input and output: redact, block or log.
      </p>
      <form
        className="mt-4"
        aria-label="Guardrail rules"
        onSubmit={(e) => {
          e.preventDefault();
          const value = parsed();
          if (value !== undefined) save.mutate(value);
        }}
      >
        <Label htmlFor="guardrail-rules">Rules (JSON)</Label>
        <Textarea id="guardrail-rules" rows={8} className="font-mono text-xs" value={draft} disabled={!admin} placeholder={EXAMPLE_RULES} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
        <div className="mt-2 flex gap-2">
          <Button type="submit" disabled={!admin || save.isPending}>
            Save rules
          </Button>
          {draft === "[]" ? (
            <Button type="button" variant="secondary" disabled={!admin} onClick={() => setDraft(EXAMPLE_RULES)}>
              Start from an example
            </Button>
          ) : null}
        </div>
        {save.isSuccess ? (
          <p role="status" className="mt-2 text-sm text-green-700 dark:text-green-400">
            Rules saved.
          </p>
        ) : null}
        {parseError ? (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {parseError}
          </p>
        ) : null}
        <FormError error={save.error} />
      </form>
      <form
        className="mt-6"
        aria-label="Test this text"
        onSubmit={(e) => {
          e.preventDefault();
          const value = parsed();
          if (value !== undefined) test.mutate({ text, rules: value });
        }}
      >
        <Label htmlFor="guardrail-test-text">Test this text (with the rules above, saved or not)</Label>
        <Textarea id="guardrail-test-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="Mail me at bob@example.com, my key is sk-proj-…" />
        <Button type="submit" className="mt-2" disabled={test.isPending || text.trim() === ""}>
          Test
        </Button>
        <FormError error={test.error} />
        {test.data ? (
          <div className="mt-3 grid gap-3 sm:grid-cols-2">
            <TestResult side="input" result={test.data.input} />
            <TestResult side="output" result={test.data.output} />
          </div>
        ) : null}
      </form>
    </Card>
  );
}

export function PoliciesView() {
  const { orgId, projectId } = useScope();
  const admin = useIsAdmin(orgId) === true;
  return (
    <>
      <PageHeader title="Policies" description="The project's response cache (chat completions) and guardrails (every front door; streamed output on chat completions only, docs/policies.md)." />
      {!projectId ? (
        <EmptyState title="No project selected">Pick a project in the sidebar.</EmptyState>
      ) : (
        <>
          <CacheCard key={`cache-${projectId}`} orgId={orgId} projectId={projectId} admin={admin} />
          <GuardrailsCard key={`rules-${projectId}`} orgId={orgId} projectId={projectId} admin={admin} />
        </>
      )}
    </>
  );
}
