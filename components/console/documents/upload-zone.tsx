"use client";

import { useRef, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/primitives";
import { formatBytes, MAX_UPLOAD_BYTES, SUPPORTED_TYPES_LABEL, UPLOAD_ACCEPT, uploadProblem, useUploadDocument } from "@/lib/client/hooks-documents";

type ItemState = "waiting" | "uploading" | "done" | "error" | "rejected" | "cancelled";

interface UploadItem {
  key: number;
  file: File;
  progress: number;
  state: ItemState;
  message: string | null;
}

/** How long a finished upload stays listed; its row in the table takes over from there. */
const DONE_LINGER_MS = 2500;

const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";
const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes("Files");

function ProgressRow({ item, onCancel, onDismiss }: { item: UploadItem; onCancel: () => void; onDismiss: () => void }) {
  const pct = Math.round(item.progress * 100);
  const status = (() => {
    switch (item.state) {
      case "waiting":
        return "Waiting…";
      case "uploading":
        return item.progress >= 1 ? "Saving…" : `${pct}%`;
      case "done":
        return "Uploaded: ingestion started";
      case "cancelled":
        return "Cancelled";
      default:
        return null;
    }
  })();
  const failed = item.state === "error" || item.state === "rejected";
  const active = item.state === "waiting" || item.state === "uploading";
  return (
    <li className="py-2" data-testid="upload-item">
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="min-w-0 truncate font-medium" title={item.file.name}>
          {item.file.name} <span className="font-normal text-zinc-500">· {formatBytes(item.file.size)}</span>
        </span>
        <span className="flex shrink-0 items-center gap-2">
          {status ? <span className={`tabular-nums ${item.state === "done" ? "text-emerald-700 dark:text-emerald-300" : "text-zinc-600 dark:text-zinc-400"}`}>{status}</span> : null}
          {active ? (
            <Button variant="ghost" className="px-2 py-0.5" aria-label={`Cancel upload of ${item.file.name}`} onClick={onCancel}>
              Cancel
            </Button>
          ) : item.state !== "done" ? (
            <Button variant="ghost" className="px-2 py-0.5" aria-label={`Dismiss ${item.file.name}`} onClick={onDismiss}>
              Dismiss
            </Button>
          ) : null}
        </span>
      </div>
      {item.state === "uploading" || item.state === "waiting" || item.state === "done" ? (
        <div
          role="progressbar"
          aria-label={`Upload of ${item.file.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
        >
          <div className={`h-full rounded-full transition-[width] ${item.state === "done" ? "bg-emerald-500" : "bg-zinc-900"}`} style={{ width: `${pct}%` }} />
        </div>
      ) : null}
      {failed && item.message ? (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
          {item.message}
        </p>
      ) : null}
    </li>
  );
}

/** Drag-and-drop (or pick) several files; each is checked here, then uploaded in turn with its own progress bar. */
export function UploadZone({ orgId, projectId }: { orgId: string | null; projectId: string }) {
  const upload = useUploadDocument(orgId, projectId);
  const input = useRef<HTMLInputElement>(null);
  const nextKey = useRef(0);
  const controllers = useRef(new Map<number, AbortController>());
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);

  const patch = (key: number, change: Partial<UploadItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i)));
  const drop = (key: number) => setItems((list) => list.filter((i) => i.key !== key));

  async function start(files: File[]) {
    const added: UploadItem[] = files.map((file) => {
      const problem = uploadProblem(file);
      return { key: nextKey.current++, file, progress: 0, state: problem ? "rejected" : "waiting", message: problem };
    });
    // Each file gets its controller now, so "Cancel" works while it still waits its turn.
    for (const item of added) if (item.state === "waiting") controllers.current.set(item.key, new AbortController());
    setItems((list) => [...list, ...added]);
    for (const item of added) {
      const controller = controllers.current.get(item.key);
      if (!controller) continue;
      if (controller.signal.aborted) {
        controllers.current.delete(item.key);
        continue;
      }
      patch(item.key, { state: "uploading" });
      try {
        await upload.mutateAsync({ file: item.file, onProgress: (progress) => patch(item.key, { progress }), signal: controller.signal });
        patch(item.key, { state: "done", progress: 1 });
        setTimeout(() => drop(item.key), DONE_LINGER_MS);
      } catch (err) {
        patch(item.key, isAbort(err) ? { state: "cancelled" } : { state: "error", message: err instanceof Error ? err.message : "Upload failed." });
      } finally {
        controllers.current.delete(item.key);
      }
    }
  }

  function cancel(item: UploadItem) {
    controllers.current.get(item.key)?.abort();
    if (item.state === "waiting") patch(item.key, { state: "cancelled" });
  }

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    void start(Array.from(e.dataTransfer.files));
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    setDragging(true);
  };
  const onDragLeave = (e: DragEvent<HTMLDivElement>) => {
    // Moving onto a child fires dragleave on the zone too: only leaving the zone counts.
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
  };

  return (
    <div>
      <div
        onDragOver={onDragOver}
        onDragEnter={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        data-testid="upload-zone"
        className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors ${
          dragging ? "border-zinc-900 bg-zinc-100 dark:border-zinc-100 dark:bg-zinc-800" : "border-zinc-300 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-950"
        }`}
      >
        <p className="text-sm font-medium">{dragging ? "Drop to upload" : "Drag and drop files here"}</p>
        <p className="text-xs text-zinc-500">
          {SUPPORTED_TYPES_LABEL}, up to {formatBytes(MAX_UPLOAD_BYTES)} each
        </p>
        <Button variant="secondary" className="mt-1" onClick={() => input.current?.click()}>
          Choose files
        </Button>
        {/* Hidden from the eye and the Tab order: "Choose files" is the control. */}
        <input
          ref={input}
          type="file"
          multiple
          accept={UPLOAD_ACCEPT}
          aria-label="Upload documents"
          tabIndex={-1}
          className="sr-only"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = ""; // choosing the same file again still fires change
            if (files.length) void start(files);
          }}
        />
      </div>
      {items.length > 0 ? (
        <ul aria-label="Uploads" aria-live="polite" className="mt-3 divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((item) => (
            <ProgressRow key={item.key} item={item} onCancel={() => cancel(item)} onDismiss={() => drop(item.key)} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
