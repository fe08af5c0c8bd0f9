"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import { Button, FormError, Textarea } from "@/components/ui/primitives";
import { MAX_CONTENT, useDeleteMemory, useUpdateMemory, type Memory } from "@/lib/client/hooks-memory";
import { Table } from "@/components/ui/table";
import { AuditLink, formatTime } from "./shared";

/** Focus once the element exists and is enabled again (buttons stay disabled while a save settles). */
const focusLater = (id: string, frames = 120): void => {
  requestAnimationFrame(() => {
    const el = document.getElementById(id) as HTMLButtonElement | null;
    if (el && !el.disabled) el.focus();
    else if (frames > 0) focusLater(id, frames - 1);
  });
};

function Content({ memory }: { memory: Memory }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <p id={`memory-content-${memory.id}`} className={`break-words text-zinc-800 ${open ? "whitespace-pre-wrap" : "line-clamp-3"}`}>
        {memory.content}
      </p>
      {memory.content.length > 240 ? (
        <button type="button" className="mt-1 text-xs text-zinc-600 underline underline-offset-2 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
          {open ? "Show less" : "Show all"}
        </button>
      ) : null}
    </>
  );
}

/** Inline edit: Save (or Ctrl/⌘+Enter) keeps the change, Cancel (or Escape) drops it. */
function EditForm({ memory, saving, error, onSave, onCancel }: { memory: Memory; saving: boolean; error: unknown; onSave: (content: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(memory.content);
  const unchanged = value.trim() === memory.content.trim() || value.trim() === "";
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!unchanged) onSave(value.trim());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
    } else if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      e.currentTarget.form?.requestSubmit();
    }
  };
  return (
    <form onSubmit={onSubmit} aria-label="Edit memory" className="space-y-2">
      <Textarea
        aria-label="Memory content"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        rows={Math.min(8, Math.max(2, Math.ceil(value.length / 70)))}
        maxLength={MAX_CONTENT}
        required
        autoFocus
        onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={saving || unchanged}>
          {saving ? "Saving…" : "Save"}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <span className="text-xs text-zinc-500">Ctrl+Enter saves · Esc cancels</span>
      </div>
      <FormError error={error} />
    </form>
  );
}

export function MemoryTable({
  orgId,
  projectId,
  rows,
  onHistory,
  onUser,
  canEdit,
}: {
  orgId: string | null;
  projectId: string;
  rows: Memory[];
  onHistory: (m: Memory) => void;
  /** Narrows the list to this end user (the API has no list of users: ids in rows are the way in). */
  onUser: (userId: string) => void;
  /** Editing and deleting memories is an admin's (the API refuses members); members read them and their history. */
  canEdit: boolean;
}) {
  const update = useUpdateMemory(orgId, projectId);
  const remove = useDeleteMemory(orgId, projectId);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const startEdit = (m: Memory) => {
    update.reset();
    setConfirming(null);
    setEditing(m.id);
  };
  const stopEdit = (m: Memory) => {
    setEditing(null);
    focusLater(`memory-edit-${m.id}`);
  };

  return (
    <>
      <div className="px-4 empty:hidden">
        <FormError error={remove.error} />
      </div>
      <Table
        scroll
        rows={rows}
        rowKey={(m) => m.id}
        rowTestId="memory-row"
        rowClassName="align-top"
        columns={[
          {
            header: "User",
            className: "max-w-[12rem] px-4 py-3",
            cell: (m) => (
              <button
                type="button"
                className="max-w-full truncate rounded text-left font-mono text-xs text-zinc-700 underline decoration-zinc-300 decoration-dotted underline-offset-4 hover:text-zinc-900 hover:decoration-zinc-700 focus-visible:outline-2 focus-visible:outline-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100"
                title={`Show only the memories of “${m.user_id}”`}
                onClick={() => onUser(m.user_id)}
              >
                {m.user_id}
              </button>
            ),
          },
          {
            header: "Memory",
            className: "w-full min-w-[16rem] px-4 py-3",
            cell: (m) =>
              editing === m.id ? (
                <EditForm
                  memory={m}
                  saving={update.isPending}
                  error={update.error}
                  onCancel={() => stopEdit(m)}
                  onSave={(content) => update.mutate({ id: m.id, content }, { onSuccess: () => stopEdit(m) })}
                />
              ) : (
                <Content memory={m} />
              ),
          },
          { header: "Source", className: "px-4 py-3 whitespace-nowrap", cell: (m) => <AuditLink id={m.source_audit_id} /> },
          {
            header: "Updated",
            className: "px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400",
            cell: (m) => <span title={`Created ${formatTime(m.created_at)}`}>{formatTime(m.updated_at)}</span>,
          },
          {
            header: <span className="sr-only">Actions</span>,
            className: "px-4 py-2 text-right whitespace-nowrap",
            cell: (m) =>
              confirming === m.id ? (
                <span className="inline-flex gap-2">
                  <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate(m.id, { onSuccess: () => setConfirming(null) })} aria-describedby={`memory-content-${m.id}`}>
                    Delete memory
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirming(null)}>
                    Keep
                  </Button>
                </span>
              ) : (
                <span className="inline-flex gap-1">
                  {canEdit ? (
                    <Button
                      variant="ghost"
                      id={`memory-edit-${m.id}`}
                      className="disabled:bg-transparent disabled:text-zinc-400"
                      disabled={editing === m.id}
                      aria-describedby={`memory-content-${m.id}`}
                      onClick={() => startEdit(m)}
                    >
                      Edit
                    </Button>
                  ) : null}
                  <Button variant="ghost" id={`memory-history-${m.id}`} aria-describedby={`memory-content-${m.id}`} onClick={() => onHistory(m)}>
                    History
                  </Button>
                  {canEdit ? (
                    <Button
                      variant="ghost"
                      aria-describedby={`memory-content-${m.id}`}
                      onClick={() => {
                        remove.reset();
                        if (editing === m.id) setEditing(null);
                        setConfirming(m.id);
                      }}
                    >
                      Delete
                    </Button>
                  ) : null}
                </span>
              ),
          },
        ]}
      />
    </>
  );
}
