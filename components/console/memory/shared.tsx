import Link from "next/link";
import { auditHref } from "@/lib/client/hooks-memory";

export const formatTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The request option that makes the gateway recall and learn memories. */
export const MemoryHint = () => (
  <code className="rounded bg-zinc-100 px-1 font-mono text-xs whitespace-nowrap dark:bg-zinc-800">vecstruct: {"{use_memory: true, metadata: {user_id}}"}</code>
);

/** The audit entry a memory (or one of its changes) came from; none when it was written by hand. */
export function AuditLink({ id, label = "View request" }: { id: string | null; label?: string }) {
  if (!id) {
    return (
      <span className="text-zinc-500" title="Added or changed in the console or through the management API, not by a chat request.">
        Manual
      </span>
    );
  }
  return (
    <Link href={auditHref(id)} title={`Audit entry ${id}`} className="text-zinc-700 underline underline-offset-2 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">
      {label}
    </Link>
  );
}
