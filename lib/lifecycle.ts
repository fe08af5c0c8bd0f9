// Work the server does on its own once it starts (called from instrumentation.ts).
import { flushAudit } from "./audit/writer";
import { warmTokenizer } from "./billing/tokens";
import { db } from "./db";
import { env } from "./env";
import { resumeIngestion } from "./rag/ingest";
import { pruneOrphanIndexRows } from "./rag/store";

const HOUR_MS = 3_600_000;

/** Deletes audit rows older than the retention period; ledger entries stay (their link is cleared). */
export async function pruneAuditLogs(now = new Date()): Promise<number> {
  const days = env().VECSTRUCT_AUDIT_RETENTION_DAYS;
  if (days <= 0) return 0;
  const { count } = await db().auditLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - days * 86_400_000) } } });
  return count;
}

let started = false;

export function startBackgroundWork(): void {
  if (started) return;
  started = true;
  void warmTokenizer();
  // Documents queued or half-processed when the last process stopped.
  void resumeIngestion().catch((err) => console.error("[vecstruct] could not resume ingestion", err));
  const prune = () => pruneAuditLogs().catch((err) => console.error("[vecstruct] audit retention failed", err));
  setTimeout(prune, 60_000).unref();
  setInterval(prune, HOUR_MS).unref();
  // SQLite's vec0 and FTS5 tables cannot carry foreign keys: rows whose chunk went with a cascading
  // delete are swept here (PostgreSQL cascades them itself).
  const sweep = () => pruneOrphanIndexRows().catch((err) => console.error("[vecstruct] RAG index sweep failed", err));
  setTimeout(sweep, 90_000).unref();
  setInterval(sweep, HOUR_MS).unref();
  // Rows queued in memory are written before the process goes away.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void flushAudit().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  }
}
