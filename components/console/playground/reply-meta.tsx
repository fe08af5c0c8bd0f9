"use client";

import Link from "next/link";
import { useState } from "react";
import type { RagSource, Usage, VecstructInfo } from "@/lib/client/chat-stream";

export interface ReplyStats {
  auditId: string | null;
  usage: Usage | null;
  vecstruct: VecstructInfo | null;
  latencyMs: number | null;
  ttftMs: number | null;
  /** The response cache's result for this reply (hit, miss, bypass); null when it did not apply. */
  cache?: string | null;
}

const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6).replace(/0+$/, "").replace(/\.$/, "") : n.toFixed(4)}`;

function Sources({ sources }: { sources: RagSource[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <ol className="mt-2 space-y-1" aria-label="RAG sources" data-testid="rag-sources">
      {sources.map((s, i) => (
        <li key={`${s.document_id}-${i}`} className="rounded border border-zinc-200 bg-zinc-50 text-xs dark:border-zinc-700 dark:bg-zinc-900">
          <button
            type="button"
            aria-expanded={open === i}
            className="flex w-full items-center justify-between gap-2 px-2 py-1 text-left"
            onClick={() => setOpen(open === i ? null : i)}
          >
            <span className="truncate font-medium">
              [{i + 1}] {s.title}
            </span>
            <span className="shrink-0 tabular-nums text-zinc-500">{s.similarity.toFixed(2)}</span>
          </button>
          {open === i ? <p className="border-t border-zinc-200 px-2 py-1 whitespace-pre-wrap text-zinc-700 dark:border-zinc-700 dark:text-zinc-300">{s.content}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/** What this reply cost and used, beside it: tokens, cost, latency, RAG sources, memory, audit link. */
export function ReplyMeta({ stats }: { stats: ReplyStats }) {
  const v = stats.vecstruct;
  const items: [string, string][] = [];
  if (stats.usage) items.push(["tokens", `${stats.usage.prompt_tokens} in · ${stats.usage.completion_tokens} out`]);
  if (v?.balance_consumed_usd !== undefined) items.push(["cost", usd(v.balance_consumed_usd)]);
  if (v?.credits_consumed) items.push(["credits", String(v.credits_consumed)]);
  if (stats.latencyMs !== null) items.push(["latency", `${(stats.latencyMs / 1000).toFixed(2)} s${stats.ttftMs !== null ? ` (first token ${stats.ttftMs} ms)` : ""}`]);
  if (v?.memory_used !== undefined) items.push(["memory", v.memory_used ? "used" : "none recalled"]);
  if (stats.cache) items.push(["cache", stats.cache === "hit" ? "hit (no upstream call)" : stats.cache]);
  return (
    <div className="mt-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid="reply-meta">
      <dl className="flex flex-wrap gap-x-4 gap-y-1">
        {items.map(([k, val]) => (
          <div key={k} className="flex gap-1">
            <dt>{k}</dt>
            <dd className="font-medium text-zinc-700 tabular-nums dark:text-zinc-300" data-testid={`reply-${k}`}>
              {val}
            </dd>
          </div>
        ))}
        {stats.auditId ? (
          <Link href={`/audit-logs?id=${encodeURIComponent(stats.auditId)}`} className="text-blue-700 underline dark:text-blue-400">
            Audit entry
          </Link>
        ) : null}
      </dl>
      {v?.warnings?.length ? <p className="mt-1 text-amber-700 dark:text-amber-400">{v.warnings.join("; ")}</p> : null}
      {v?.rag_sources?.length ? <Sources sources={v.rag_sources} /> : null}
    </div>
  );
}
