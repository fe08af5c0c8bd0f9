"use client";

import { useState, type FormEvent } from "react";
import { Button, Card, EmptyState, FormError, Input, Label } from "@/components/ui/primitives";
import { useSearch, type SearchHit, type SearchInput, type SearchMode } from "@/lib/client/hooks-documents";

const SELECT_CLASS = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-zinc-900 focus:outline-none focus:ring-1 focus:ring-zinc-900 dark:border-zinc-700 dark:bg-zinc-900";

const MODES: { value: SearchMode; label: string }[] = [
  { value: "hybrid", label: "Hybrid" },
  { value: "vector", label: "Vector" },
  { value: "lexical", label: "Lexical" },
];

const rank = (r: number | null) => (r === null ? "—" : `#${r}`);

function Why({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div title={hint}>
      <dt className="text-zinc-500">{label}</dt>
      <dd className="font-medium tabular-nums text-zinc-800 dark:text-zinc-200">{value}</dd>
    </div>
  );
}

function Hit({ hit, position }: { hit: SearchHit; position: number }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="border-t border-zinc-100 px-4 py-3 first:border-t-0 dark:border-zinc-800" data-testid="search-hit">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <p className="text-sm">
            <span className="mr-2 font-mono text-xs text-zinc-500">{position}.</span>
            <span className="font-medium">{hit.title}</span>
          </p>
          {hit.heading ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{hit.heading}</p> : null}
        </div>
        <p className="shrink-0 text-sm whitespace-nowrap">
          <span className="text-zinc-500">similarity </span>
          <span className="font-semibold tabular-nums" data-testid="hit-similarity">
            {hit.similarity.toFixed(3)}
          </span>
        </p>
      </div>
      <dl className="mt-2 grid grid-cols-3 gap-2 text-xs sm:max-w-2xl sm:grid-cols-5" aria-label="Why this chunk ranks here">
        <Why label="Vector rank" value={rank(hit.vector_rank)} hint="Position among the chunks closest in meaning (— = not among the candidates)." />
        <Why label="Lexical rank" value={rank(hit.lexical_rank)} hint="Position in the full-text match on the query's words (— = no match)." />
        {hit.crosslingual_rank !== null ? (
          <Why label="Cross-lingual rank" value={rank(hit.crosslingual_rank)} hint="Position in the full-text match on the query's words translated (Chinese ↔ English) with the built-in dictionary." />
        ) : null}
        <Why label="Cosine" value={hit.cosine === null ? "—" : hit.cosine.toFixed(3)} hint="Cosine of the query's and the chunk's embeddings (clipped to 0–1; — = the query was not embedded)." />
        <Why
          label="Fused score"
          value={hit.score.toFixed(4)}
          hint="Reciprocal rank fusion: the sum of 1 / (60 + rank) over the lists (vector, lexical, and cross-lingual when it found anything); without a reranker, hits are ordered by it, and similarity is it as a share of the best possible (first in every list)."
        />
        {hit.rerank_rank !== null ? (
          <Why
            label="Rerank"
            value={`${rank(hit.rerank_rank)} · ${(hit.rerank_score ?? 0).toFixed(3)}`}
            hint="Position and relevance score the project's rerank model gave this chunk; hits are ordered by it."
          />
        ) : null}
      </dl>
      {/* Collapsed, paragraphs run together so three lines hold as much text as they can. */}
      <p className={`mt-2 text-sm break-words text-zinc-700 dark:text-zinc-300 ${open ? "whitespace-pre-wrap" : "line-clamp-3"}`}>{hit.content}</p>
      {hit.content.length > 240 ? (
        <button type="button" className="mt-1 text-xs text-zinc-600 underline underline-offset-2 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
          {open ? "Show less" : "Show all"}
        </button>
      ) : null}
    </li>
  );
}

/** Empty fields are left out so the API's defaults apply (top_k 5, no threshold). */
function readInput(form: FormData): SearchInput {
  const num = (name: string) => {
    const raw = String(form.get(name) ?? "").trim();
    return raw === "" ? undefined : Number(raw);
  };
  const topK = num("top_k");
  const min = num("min_similarity");
  return {
    query: String(form.get("query") ?? ""),
    mode: (String(form.get("mode") ?? "hybrid") as SearchMode) || "hybrid",
    rerank: form.get("rerank") === "on",
    ...(topK !== undefined ? { top_k: topK } : {}),
    ...(min !== undefined ? { min_similarity: min } : {}),
  };
}

/** "Test a query": what retrieval would put in front of the model for this project, and why. */
export function SearchBox({ orgId, projectId, readyCount }: { orgId: string | null; projectId: string; readyCount: number }) {
  const search = useSearch(orgId, projectId);
  const [asked, setAsked] = useState<SearchInput | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = readInput(new FormData(e.currentTarget));
    setAsked(input);
    await search.mutateAsync(input);
  }

  const hits = search.data?.data;
  const warnings = search.data?.warnings ?? [];
  return (
    <Card>
      <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-medium">Test a query</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          See which chunks a chat request with <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">vecstruct: {"{rag: true}"}</code> would retrieve, and why.
          {readyCount === 0 ? " Only ready documents are searched." : null}
        </p>
      </div>
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[3fr_0.7fr_1.5fr_1fr_auto] lg:items-end" aria-label="Test a query">
        <div className="sm:col-span-2 lg:col-span-1">
          <Label htmlFor="search-query">Query</Label>
          <Input id="search-query" name="query" required maxLength={10_000} placeholder="How do I limit upload bandwidth?" />
        </div>
        <div>
          <Label htmlFor="search-top-k">Top k</Label>
          <Input id="search-top-k" name="top_k" type="number" min={1} max={50} step={1} defaultValue={5} />
        </div>
        <div>
          <Label htmlFor="search-mode">Mode</Label>
          <select id="search-mode" name="mode" className={SELECT_CLASS} defaultValue="hybrid">
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="search-min">Min similarity</Label>
          <Input id="search-min" name="min_similarity" type="number" min={0} max={1} step="0.01" placeholder="0–1" />
        </div>
        <Button type="submit" disabled={search.isPending}>
          {search.isPending ? "Searching…" : "Search"}
        </Button>
        <label className="flex items-center gap-2 text-sm text-zinc-700 sm:col-span-2 lg:col-span-5 dark:text-zinc-300">
          <input type="checkbox" name="rerank" defaultChecked className="h-4 w-4" />
          Rerank (when the retrieval settings name a reranker)
        </label>
        <div className="sm:col-span-2 lg:col-span-5">
          <FormError error={search.error} />
        </div>
      </form>
      {hits && asked ? (
        <div className="border-t border-zinc-200 dark:border-zinc-800" aria-live="polite">
          {warnings.map((w) => (
            <p key={w} role="status" className="mx-4 mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-300">
              {w}
            </p>
          ))}
          {hits.length === 0 ? (
            <EmptyState title="No chunk matched">
              {asked.min_similarity !== undefined ? "Lower the minimum similarity, " : "Try other words, "}or switch the mode. Documents still being processed are not searched.
            </EmptyState>
          ) : (
            <>
              <p className="px-4 pt-3 text-xs text-zinc-500">
                {hits.length} {hits.length === 1 ? "hit" : "hits"} for “{asked.query}”,{" "}
                {hits.some((h) => h.rerank_rank !== null) ? "ordered by the rerank model over the best fused candidates." : "ordered by fused score = 1 / (60 + vector rank) + 1 / (60 + lexical rank)."}
              </p>
              <ol aria-label="Search results">
                {hits.map((h, i) => (
                  <Hit key={h.chunk_id} hit={h} position={i + 1} />
                ))}
              </ol>
            </>
          )}
        </div>
      ) : null}
    </Card>
  );
}
