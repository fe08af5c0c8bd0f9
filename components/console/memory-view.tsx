"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { useIsAdmin, useProjects } from "@/lib/client/hooks";
import { MAX_USER_ID, useForgetUser, useMemories, type ForgetResult, type MemoryFilters } from "@/lib/client/hooks-memory";
import { AddMemoryForm } from "./memory/add-memory-form";
import { HistoryPanel } from "./memory/history-panel";
import { MemoryTable } from "./memory/memory-table";
import { MemoryHint } from "./memory/shared";
import { useScope } from "./scope";

/** Typing settles this long before the list is asked again; Enter applies at once. */
const TYPING_MS = 300;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function toFilters(user: string, q: string): MemoryFilters {
  return { ...(user.trim() ? { user_id: user.trim() } : {}), ...(q.trim() ? { q: q.trim() } : {}) };
}
const sameFilters = (a: MemoryFilters, b: MemoryFilters) => a.user_id === b.user_id && a.q === b.q;

function FiltersBar({
  user,
  q,
  onUser,
  onQ,
  onApply,
  onReset,
}: {
  user: string;
  q: string;
  onUser: (v: string) => void;
  onQ: (v: string) => void;
  onApply: () => void;
  onReset: () => void;
}) {
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onApply();
  };
  return (
    <Card className="mb-4 p-4">
      <form onSubmit={onSubmit} role="search" aria-label="Filter memories" className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-end">
        <div>
          <Label htmlFor="filter-user">Filter by user ID</Label>
          <Input
            id="filter-user"
            value={user}
            onChange={(e) => onUser(e.target.value)}
            maxLength={MAX_USER_ID}
            autoComplete="off"
            spellCheck={false}
            placeholder="Exact id, e.g. user-42"
            className="font-mono"
          />
        </div>
        <div>
          <Label htmlFor="filter-q">Search memories</Label>
          <Input id="filter-q" type="search" value={q} onChange={(e) => onQ(e.target.value)} maxLength={500} placeholder="Text the memory contains" />
        </div>
        <div className="flex gap-2">
          {/* Hidden submit: Enter in either field applies without waiting for typing to settle. */}
          <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true">
            Apply
          </button>
          <Button variant="ghost" disabled={!user && !q} className="disabled:bg-transparent disabled:text-zinc-400" onClick={onReset}>
            Reset
          </Button>
        </div>
      </form>
    </Card>
  );
}

function ForgetConfirm({
  user,
  projectName,
  knownCount,
  searching,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  user: string;
  projectName: string | undefined;
  /** The user's memory count when the list shows all of them, else null. */
  knownCount: number | null;
  searching: boolean;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const what = knownCount !== null ? plural(knownCount, "memory", "memories") : "every memory";
  return (
    <div role="alertdialog" aria-labelledby="forget-title" aria-describedby="forget-body" className="border-b border-red-200 bg-red-50 px-4 py-3 dark:border-red-900 dark:bg-red-950">
      <p id="forget-title" className="text-sm font-medium text-red-900 dark:text-red-300">
        Forget end user “<span className="font-mono">{user}</span>”?
      </p>
      <p id="forget-body" className="mt-1 text-sm text-red-800 dark:text-red-300">
        This deletes {what} of “{user}” in {projectName ? `project “${projectName}”` : "this project"}
        {searching ? ", not only those matching the search" : ""}, history included. Recall stops at once; this cannot be undone.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button variant="danger" disabled={pending} onClick={onConfirm} autoFocus>
          {pending ? "Forgetting…" : `Forget ${user}`}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Keep
        </Button>
        <FormError error={error} />
      </div>
    </div>
  );
}

function Memories({ orgId, projectId }: { orgId: string | null; projectId: string | null }) {
  const { orgsLoading, orgsError, projects } = useScope();
  const projectsQuery = useProjects(orgId);
  const projectName = projects.find((p) => p.id === projectId)?.name;

  // What is typed, and what the list shows (typing settles first).
  const [userText, setUserText] = useState("");
  const [qText, setQText] = useState("");
  const [filters, setFilters] = useState<MemoryFilters>({});
  const memories = useMemories(orgId, projectId, filters);
  const forget = useForgetUser(orgId, projectId);
  // Adding, editing, deleting and forgetting memories is an admin's; members read them.
  const admin = useIsAdmin(orgId);

  const [adding, setAdding] = useState(false);
  const [historyId, setHistoryId] = useState<string | null>(null);
  const [forgetting, setForgetting] = useState<string | null>(null);
  const [forgotten, setForgotten] = useState<ForgetResult | null>(null);

  const apply = useCallback((next: MemoryFilters) => setFilters((prev) => (sameFilters(prev, next) ? prev : next)), []);
  useEffect(() => {
    const timer = setTimeout(() => apply(toFilters(userText, qText)), TYPING_MS);
    return () => clearTimeout(timer);
  }, [userText, qText, apply]);

  const showUser = (user: string) => {
    setUserText(user);
    apply(toFilters(user, qText));
  };
  const reset = () => {
    setUserText("");
    setQText("");
    apply({});
  };

  const closeHistory = useCallback(() => {
    const id = historyId;
    setHistoryId(null);
    requestAnimationFrame(() => document.getElementById(`memory-history-${id}`)?.focus());
  }, [historyId]);

  const confirmForget = (user: string) =>
    forget.mutate(user, {
      onSuccess: (result) => {
        setForgotten(result);
        setForgetting(null);
        setUserText("");
        apply(toFilters("", qText));
      },
    });

  if (orgsError) return <ErrorState error={orgsError} />;
  if (orgsLoading || (orgId && projectsQuery.isPending)) return <Loading label="Loading memories…" />;
  if (!projectId) {
    return (
      <div>
        <PageHeader title="Memory" description="What the gateway remembers about the end users of a project." />
        <Card>
          <EmptyState title="No project selected">Create a project first: memories belong to a project.</EmptyState>
        </Card>
      </div>
    );
  }

  const rows = memories.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = filters.user_id !== undefined || filters.q !== undefined;
  const user = filters.user_id ?? null;

  const table = (() => {
    if (memories.isPending) return <Loading label="Loading memories…" />;
    if (memories.isError) return <ErrorState error={memories.error} onRetry={() => void memories.refetch()} />;
    if (rows.length === 0 && !filtered) {
      return (
        <EmptyState title="No memories in this project yet">
          <p>
            Send <MemoryHint /> with chat requests; memories appear here.
          </p>
          <p className="mt-1">You can also add one by hand.</p>
        </EmptyState>
      );
    }
    if (rows.length === 0) {
      return (
        <EmptyState title="No memories match">
          {user ? `User IDs match exactly, case included: is “${user}” the id sent in metadata.user_id? ` : ""}
          {filters.q ? `The search finds memories containing “${filters.q}”.` : ""}
        </EmptyState>
      );
    }
    return (
      // While a changed filter loads, the previous rows stay, dimmed.
      <div aria-busy={memories.isPlaceholderData} className={memories.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
        <MemoryTable orgId={orgId} projectId={projectId} rows={rows} canEdit={admin === true} onHistory={(m) => setHistoryId(m.id)} onUser={showUser} />
      </div>
    );
  })();

  const listed = memories.data ? `${plural(rows.length, "memory", "memories")}${memories.hasNextPage ? "+" : ""} listed` : null;
  const header =
    user && forgetting === user ? (
      <ForgetConfirm
        user={user}
        projectName={projectName}
        knownCount={!filters.q && memories.data && !memories.hasNextPage ? rows.length : null}
        searching={!!filters.q}
        pending={forget.isPending}
        error={forget.error}
        onConfirm={() => confirmForget(user)}
        onCancel={() => setForgetting(null)}
      />
    ) : (
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0">
          <h2 className="text-sm font-medium">
            {user ? (
              <>
                Memories of <span className="font-mono">{user}</span>
              </>
            ) : (
              "All memories"
            )}
            {filters.q ? <span className="font-normal text-zinc-600 dark:text-zinc-400"> containing “{filters.q}”</span> : null}
          </h2>
          {listed ? <p className="text-xs text-zinc-500">{listed}, newest first</p> : null}
        </div>
        <div className="flex items-center gap-3">
          {user || !admin ? null : <p className="text-xs text-zinc-500">Filter by a user ID to forget that user.</p>}
          {admin ? (
            <Button
              variant="secondary"
              className="text-red-700 disabled:text-zinc-400 dark:text-red-300"
              disabled={!user}
              onClick={() => {
                forget.reset();
                setForgotten(null);
                setForgetting(user);
              }}
            >
              Forget this user
            </Button>
          ) : null}
        </div>
      </div>
    );

  return (
    <div>
      <PageHeader
        title="Memory"
        description={
          projectName
            ? `What the gateway remembers about each end user of project “${projectName}”, recalled in chat requests.`
            : "What the gateway remembers about the end users of a project."
        }
        action={adding || !admin ? null : <Button onClick={() => setAdding(true)}>Add memory</Button>}
      />
      {adding ? <AddMemoryForm orgId={orgId} projectId={projectId} initialUser={user ?? ""} listedUser={user} onClose={() => setAdding(false)} /> : null}
      <FiltersBar user={userText} q={qText} onUser={setUserText} onQ={setQText} onApply={() => apply(toFilters(userText, qText))} onReset={reset} />
      {forgotten ? (
        // Not a Card: its white background would win over the green one.
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-2 shadow-xs dark:border-emerald-800 dark:bg-emerald-950">
          <p role="status" className="text-sm text-emerald-900 dark:text-emerald-300" data-testid="forget-result">
            Forgot “<span className="font-mono">{forgotten.user_id}</span>”: {plural(forgotten.deleted, "memory", "memories")} deleted.
          </p>
          <Button variant="ghost" className="hover:bg-emerald-100" onClick={() => setForgotten(null)}>
            Dismiss
          </Button>
        </div>
      ) : null}
      <Card className="mb-6">
        {rows.length > 0 || filtered ? header : null}
        {table}
        {rows.length > 0 ? (
          <p className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-500 dark:border-zinc-800">
            Recalled by chat requests that send <MemoryHint />. Click a user ID to see only that user&apos;s memories.
          </p>
        ) : null}
      </Card>
      {memories.hasNextPage ? (
        <div className="-mt-2 mb-6 flex justify-center">
          <Button variant="secondary" disabled={memories.isFetchingNextPage} onClick={() => void memories.fetchNextPage()}>
            {memories.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
      {historyId ? <HistoryPanel id={historyId} onClose={closeHistory} /> : null}
    </div>
  );
}

export function MemoryView() {
  const { orgId, projectId } = useScope();
  // Filters, forms and the open panel belong to one project: switching starts afresh.
  return <Memories key={`${orgId ?? ""}:${projectId ?? ""}`} orgId={orgId} projectId={projectId} />;
}
