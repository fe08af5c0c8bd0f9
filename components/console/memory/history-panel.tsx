"use client";

import { Badge, Button, EmptyState, ErrorState, Loading } from "@/components/ui/primitives";
import { useMemory, type MemoryAction, type MemoryDetail, type MemoryEvent } from "@/lib/client/hooks-memory";
import { AuditLink, formatTime } from "./shared";
import { Drawer } from "@/components/ui/drawer";

const TONE: Record<MemoryAction, "green" | "amber" | "red"> = { add: "green", update: "amber", delete: "red" };
const VERB: Record<MemoryAction, string> = { add: "Added", update: "Updated", delete: "Deleted" };

function Text({ label, tone, children }: { label: string; tone: "before" | "after"; children: string | null }) {
  const box = tone === "before" ? "border-red-200 bg-red-50 dark:border-red-900 dark:bg-red-950" : "border-emerald-200 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950";
  return (
    <div className={`min-w-0 flex-1 rounded-md border px-3 py-2 ${box}`} data-testid={`event-${tone}`}>
      <p className="mb-0.5 text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</p>
      {children === null ? <p className="text-sm text-zinc-400">—</p> : <p className="text-sm whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">{children}</p>}
    </div>
  );
}

function EventItem({ event }: { event: MemoryEvent }) {
  const action = TONE[event.action] ? event.action : "update";
  return (
    <li className="rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="memory-event">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-zinc-100 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-950">
        <span className="flex items-center gap-2">
          <Badge tone={TONE[action]}>{event.action}</Badge>
          <span className="text-zinc-600 dark:text-zinc-400">{formatTime(event.created_at)}</span>
        </span>
        <span className="text-xs">
          <AuditLink id={event.audit_log_id} />
        </span>
      </div>
      <div className="flex flex-col gap-2 p-3 sm:flex-row sm:items-stretch">
        {action === "add" ? (
          <Text label={VERB.add} tone="after">
            {event.after}
          </Text>
        ) : action === "delete" ? (
          <Text label={VERB.delete} tone="before">
            {event.before}
          </Text>
        ) : (
          <>
            <Text label="Before" tone="before">
              {event.before}
            </Text>
            <span className="self-center text-zinc-400" aria-hidden="true">
              <span className="sm:hidden">↓</span>
              <span className="hidden sm:inline">→</span>
            </span>
            <Text label="After" tone="after">
              {event.after}
            </Text>
          </>
        )}
      </div>
    </li>
  );
}

function HistoryBody({ memory }: { memory: MemoryDetail }) {
  return (
    <div className="space-y-5 px-5 pb-6">
      <section>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Now</h3>
        <p className="rounded-md bg-zinc-50 p-3 text-sm whitespace-pre-wrap break-words dark:bg-zinc-950">{memory.content}</p>
      </section>
      <section>
        <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">Changes, oldest first</h3>
        {memory.history.length === 0 ? (
          <EmptyState title="No recorded changes" />
        ) : (
          <ol className="space-y-3" aria-label="Changes">
            {memory.history.map((e, i) => (
              <EventItem key={`${e.created_at}:${i}`} event={e} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export function HistoryPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useMemory(id);
  const memory = detail.data;
  return (
    <Drawer labelledBy="memory-history-title" onClose={onClose}>
      <div className="sticky top-0 z-10 mb-4 flex items-start justify-between gap-4 border-b border-zinc-200 bg-white px-5 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="min-w-0">
          <h2 id="memory-history-title" className="text-lg font-semibold">
            Memory history
          </h2>
          {memory ? (
            <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500">
              <span>
                User <span className="font-mono text-zinc-700 dark:text-zinc-300">{memory.user_id}</span>
              </span>
              <span>· created {formatTime(memory.created_at)}</span>
              <span>
                · source <AuditLink id={memory.source_audit_id} />
              </span>
            </p>
          ) : null}
        </div>
        <Button variant="secondary" onClick={onClose} aria-label="Close history">
          Close
        </Button>
      </div>
      {detail.isPending ? (
        <Loading label="Loading history…" />
      ) : detail.isError ? (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <HistoryBody memory={detail.data} />
      )}
    </Drawer>
  );
}
