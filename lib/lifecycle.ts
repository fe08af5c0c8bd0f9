// Work the server does on its own once it starts (called from instrumentation.ts).
import { flushAudit, pendingAuditRows } from "./audit/writer";
import { pendingLearning, releaseLearning, resumeLearning } from "./memory/learn";
import { registerQueue } from "./observability/metrics";
import { stopTracing } from "./observability/tracing";
import { db } from "./db";
import { env } from "./env";
import { pendingIngestion, releaseIngestion, resumeIngestion } from "./rag/ingest";
import { processState } from "./process-state";
import { pruneOrphanIndexRows } from "./rag/store";
import { purgeExpiredResponses } from "./gateway/responses/store";
import { purgeExpiredCache } from "./cache/store";
import { log } from "./log";
import { serverless } from "./invocation";

const HOUR_MS = 3_600_000;

/** Deletes audit rows older than the retention period; ledger entries stay (their link is cleared). */
export async function pruneAuditLogs(now = new Date()): Promise<number> {
  const days = env().VECSTRUCT_AUDIT_RETENTION_DAYS;
  if (days <= 0) return 0;
  const { count } = await db().auditLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - days * 86_400_000) } } });
  return count;
}

/** The hourly housekeeping: the cron route's (serverless) and the timer's below (self-hosted). */
export async function pruneExpired(now = new Date()): Promise<{ audit_logs: number; failed_jobs: number; stored_responses: number; response_cache: number }> {
  const [auditLogs, failedJobs, storedResponses, responseCache] = await Promise.all([pruneAuditLogs(now), pruneFailedJobs(now), purgeExpiredResponses(now), purgeExpiredCache(now)]);
  return { audit_logs: auditLogs, failed_jobs: failedJobs, stored_responses: storedResponses, response_cache: responseCache };
}

/** Background jobs that failed every attempt are kept a week for inspection (lastError), then dropped. */
export async function pruneFailedJobs(now = new Date()): Promise<number> {
  const { count } = await db().job.deleteMany({ where: { status: "failed", updatedAt: { lt: new Date(now.getTime() - 7 * 86_400_000) } } });
  return count;
}

const once = processState("lifecycle", () => ({ started: false }));

export function startBackgroundWork(): void {
  if (once.started) return;
  once.started = true;
  // No tokenizer warm-up: its tables are ~45 MB of RSS that a gateway whose upstreams report usage
  // barely needs; the first count loads it (lib/billing/tokens.ts, an approximation until then).
  registerQueue("audit", pendingAuditRows);
  registerQueue("ingestion", pendingIngestion);
  registerQueue("learning", pendingLearning);
  // Serverless (VERCEL=1): no poller or timer outlives a response. Jobs run in the after() of the
  // request that queued them and from the cron route (lib/api/handlers/cron.ts), which also prunes;
  // each request's rows are written before its invocation ends (lib/invocation.ts).
  if (serverless()) {
    log.info("serverless mode (VERCEL=1): background jobs run from GET /api/cron/jobs and after each response");
    if (!env().REDIS_URL) log.warn("VERCEL=1 without REDIS_URL: rate limits and sign-in throttling are counted per function instance (best effort)");
    handOverOnSignal();
    return;
  }
  // Documents queued or half-processed when the last process stopped (ingestion jobs, and documents
  // queued before ingestion ran from the jobs table).
  void resumeIngestion().catch((err) => log.error("could not resume ingestion", {}, err));
  // Memory learning jobs (the jobs table) a previous process left queued or running.
  void resumeLearning().catch((err) => log.error("could not resume memory learning", {}, err));
  const prune = () => pruneExpired().catch((err) => log.error("retention (audit rows, failed jobs, stored responses) failed", {}, err));
  setTimeout(prune, 60_000).unref();
  setInterval(prune, HOUR_MS).unref();
  // SQLite's vec0 and FTS5 tables cannot carry foreign keys: rows whose chunk went with a cascading
  // delete are swept here (PostgreSQL cascades them itself).
  const sweep = () => pruneOrphanIndexRows().catch((err) => log.error("RAG index sweep failed", {}, err));
  setTimeout(sweep, 90_000).unref();
  setInterval(sweep, HOUR_MS).unref();
  handOverOnSignal();
}

/** Rows queued in memory are written, and the jobs in progress (documents, learning) handed back, before the process goes away. */
function handOverOnSignal(): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void Promise.allSettled([flushAudit(), releaseLearning(), releaseIngestion()])
        .then(stopTracing)
        .finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  }
}
