// GET /api/cron/jobs: the background jobs' driver where no process lives on (VERCEL=1; Vercel's cron
// calls it as vercel.json declares, with `Authorization: Bearer $CRON_SECRET`). Gives a job to any
// document left without one, runs due ingestion and learning jobs (a dead invocation's job once its
// lease is over, retries, what the after() of a request had no time for) until none is due or the
// budget (VECSTRUCT_JOBS_BUDGET_MS) is spent, writes their audit rows, prunes hourly, and answers what
// it did. Self-hosted it works too (with CRON_SECRET set), next to the in-process poller.
import { db } from "../../db";
import { env } from "../../env";
import { ApiError, errorResponse } from "../../errors";
import { finishInvocation } from "../../invocation";
import { pruneExpired } from "../../lifecycle";
import { runLearningJobs, LEARN_JOB_KIND } from "../../memory/learn";
import { INGEST_JOB_KIND, requeueOrphanDocuments, runIngestionJobs } from "../../rag/ingest";
import { bearerMatches } from "../management";

export async function cronJobsHandler(req: Request): Promise<Response> {
  const e = env();
  if (!bearerMatches(req, e.CRON_SECRET)) {
    const message = e.CRON_SECRET ? "Invalid cron secret: send Authorization: Bearer <CRON_SECRET>." : "The cron route is off: set CRON_SECRET.";
    return errorResponse(new ApiError("unauthenticated", message), { "cache-control": "no-store" });
  }
  const started = Date.now();
  const deadline = started + e.VECSTRUCT_JOBS_BUDGET_MS;
  const documentsPending = await requeueOrphanDocuments();
  const [ingest, learn] = await Promise.all([runIngestionJobs(deadline), runLearningJobs(deadline)]);
  // Audit retention and expired failed jobs: once an hour (at minute 0 of a per-minute schedule).
  const pruned = new Date().getUTCMinutes() === 0 ? await pruneExpired() : null;
  // The jobs' own audit rows (and their settlements) are written before the answer, which reports them done.
  await finishInvocation(Math.max(5_000, deadline - Date.now()));
  const left = await db().job.groupBy({ by: ["kind", "status"], where: { kind: { in: [INGEST_JOB_KIND, LEARN_JOB_KIND] } }, _count: { _all: true } });
  const remaining = (kind: string) =>
    Object.fromEntries(["queued", "running", "failed"].map((status) => [status, left.find((l) => l.kind === kind && l.status === status)?._count._all ?? 0]));
  return Response.json(
    {
      ran: { [INGEST_JOB_KIND]: ingest, [LEARN_JOB_KIND]: learn },
      remaining: { [INGEST_JOB_KIND]: remaining(INGEST_JOB_KIND), [LEARN_JOB_KIND]: remaining(LEARN_JOB_KIND) },
      documents_pending: documentsPending,
      pruned,
      elapsed_ms: Date.now() - started,
    },
    { headers: { "cache-control": "no-store" } },
  );
}
