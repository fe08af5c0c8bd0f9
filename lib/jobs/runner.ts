// The one background-job runner: work the server does on its own (document ingestion, memory
// learning) is a row of the `jobs` table, not process memory, so a restart or a crash loses none.
//
// - Any instance may run any job. A claim is a compare-and-set on (status, attempts) that sets a lease
//   (`runAt` = now + VECSTRUCT_JOB_LEASE_MS); the runner renews the lease while the job runs, so a job
//   whose lease ran out belongs to an instance that died, and another instance takes it over (polling
//   every lease period). On SQLite (one instance by definition) running jobs are taken back at start.
// - Fair across organizations: the organization served least recently goes first, and a kind may keep
//   one running job per organization (a live lease of another instance counts too), so one tenant's
//   backlog never stalls another's.
// - SIGTERM hands this process's running jobs back at once (release), for the next process.
// - Serverless (VERCEL=1, lib/invocation.ts): no poller, pump or retry timer; a request's jobs are
//   written before its invocation ends and run in its after() (runDue with their ids), and the cron
//   route (GET /api/cron/jobs) runs whatever else is due within its budget.
// - The state (what runs, the counters of the gauge) is per process (lib/process-state.ts): Next's
//   route bundles enqueue, the instrumentation bundle resumes and releases, and both must see the same.
import { db } from "../db";
import { env } from "../env";
import { onInvocationEnd, serverless } from "../invocation";
import { log } from "../log";
import { processState } from "../process-state";

export interface JobContext {
  id: string;
  orgId: string | null;
  /** 1 on the first run. */
  attempt: number;
}

export interface JobKind<P> {
  kind: string;
  /** Jobs of this kind this process runs at once. */
  concurrency: () => number;
  /** At most one running job of an organization at a time. */
  onePerOrg: boolean;
  maxAttempts: number;
  /** Wait before a failed job runs again. */
  retryDelayMs: (attempt: number) => number;
  run: (payload: P, job: JobContext) => Promise<void>;
  /** The job's row was deleted while it ran (cancelled): take back what it did. */
  onCancelled?: (payload: P, job: JobContext, startedAt: Date) => Promise<void>;
}

interface KindState {
  running: Map<string, JobContext>;
  /** Organization → when it was last served (a sequence number): the smallest goes first. */
  served: Map<string, number>;
  seq: number;
  pumping: boolean;
  wake: boolean;
  retryTimers: number;
  /** Jobs queued or running as last counted from the table, plus the ones this process added since. */
  knownQueued: number;
  /** Rows being written (enqueued, not in the table yet). */
  writing: Set<Promise<unknown>>;
  polling: boolean;
  /** Serverless: jobs this process wrote that have not been run or handed to the cron route yet. */
  kicked: Set<string>;
}

type JobOutcome = "done" | "failed" | "retried";
/** What a foreground run did: jobs done, failed for good, and failed but queued again. */
export interface JobRunReport {
  done: number;
  failed: number;
  retried: number;
}

const MAX_SERVED = 10_000;
const CANDIDATES = 500;

export interface JobQueue<P> {
  /** Writes the job (off the caller's path) and starts it when a slot is free. */
  enqueue(orgId: string | null, payload: P): void;
  /** Resolves once the job's row is written (callers that must know it is durable). */
  enqueueDurably(orgId: string | null, payload: P): Promise<void>;
  /** At start: jobs a previous process left; then polls for leases that ran out. Returns the number pending. */
  resume(): Promise<number>;
  /** Shutdown: this process's running jobs go back to the queue. */
  release(): Promise<void>;
  /** Resolves when this process has nothing being written, running or waiting for a retry. */
  idle(): Promise<void>;
  /** Resolves once the rows being written so far are in the table. */
  written(): Promise<void>;
  /** Queued or running (metrics). */
  pending(): number;
  /** Runs due jobs now (after rows were added or changed behind the queue's back). */
  kick(): void;
  /** Runs due jobs in the foreground until none is due or the deadline (epoch ms) passes (cron, serverless). */
  runDue(opts: { deadline: number; ids?: string[] }): Promise<JobRunReport>;
}

export function jobQueue<P>(def: JobKind<P>): JobQueue<P> {
  const s = processState<KindState>(`jobs.${def.kind}`, () => ({
    running: new Map(),
    served: new Map(),
    seq: 0,
    pumping: false,
    wake: false,
    retryTimers: 0,
    knownQueued: 0,
    writing: new Set(),
    polling: false,
    kicked: new Set(),
  }));
  const leaseMs = () => env().VECSTRUCT_JOB_LEASE_MS;

  function write(orgId: string | null, payload: P): Promise<void> {
    const p: Promise<void> = db()
      .job.create({ data: { orgId, kind: def.kind, payload: payload as never }, select: { id: true } })
      .then((row) => {
        s.knownQueued += 1;
        if (serverless()) s.kicked.add(row.id);
        else kick();
      })
      .finally(() => s.writing.delete(p));
    s.writing.add(p);
    return p;
  }

  function kick(): void {
    // Serverless: no pump outlives a response; jobs run from runDue (after(), the cron route).
    if (serverless()) return;
    s.wake = true;
    if (s.pumping) return;
    s.pumping = true;
    void pump()
      .catch((err) => log.error("background jobs failed to start", { kind: def.kind }, err))
      .finally(() => {
        s.pumping = false;
        if (s.wake) kick();
      });
  }

  async function pump(): Promise<void> {
    while (s.wake) {
      s.wake = false;
      while (s.running.size < def.concurrency()) {
        const job = await claimNext();
        if (job === "none") break;
        if (job === "lost") continue; // another instance claimed it first
        void start(job.ctx, job.payload);
      }
    }
    if (s.running.size === 0) s.knownQueued = await db().job.count({ where: { kind: def.kind, status: { in: ["queued", "running"] } } });
  }

  async function claimNext(ids?: string[]): Promise<"none" | "lost" | { ctx: JobContext; payload: P }> {
    const now = new Date();
    // Due: queued and not waiting for a retry, or running with its lease over (its instance died).
    const due = await db().job.findMany({
      where: { kind: def.kind, status: { in: ["queued", "running"] }, runAt: { lte: now }, ...(ids ? { id: { in: ids } } : {}) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: CANDIDATES,
      select: { id: true, orgId: true, status: true, attempts: true },
    });
    let candidates = due.filter((j) => !s.running.has(j.id));
    if (def.onePerOrg && candidates.length > 0) {
      const busy = new Set([...s.running.values()].map((r) => r.orgId));
      const leased = await db().job.findMany({ where: { kind: def.kind, status: "running", runAt: { gt: now } }, select: { orgId: true }, distinct: ["orgId"] });
      for (const l of leased) busy.add(l.orgId);
      candidates = candidates.filter((j) => !busy.has(j.orgId));
    }
    if (candidates.length === 0) return "none";
    // The oldest job of the organization served least recently (never served first).
    const order = (org: string | null) => s.served.get(org ?? "") ?? -1;
    let next = candidates[0]!;
    for (const c of candidates) if (order(c.orgId) < order(next.orgId)) next = c;
    const claimed = await db().job.updateMany({
      where: { id: next.id, status: next.status, attempts: next.attempts },
      data: { status: "running", attempts: next.attempts + 1, runAt: new Date(now.getTime() + leaseMs()) },
    });
    if (claimed.count === 0) return "lost";
    markServed(next.orgId);
    const row = await db().job.findUnique({ where: { id: next.id }, select: { payload: true } });
    if (!row) return "lost"; // cancelled in between
    return { ctx: { id: next.id, orgId: next.orgId, attempt: next.attempts + 1 }, payload: row.payload as unknown as P };
  }

  function markServed(orgId: string | null) {
    const key = orgId ?? "";
    s.served.delete(key);
    s.served.set(key, ++s.seq);
    if (s.served.size > MAX_SERVED) s.served.delete(s.served.keys().next().value!);
  }

  /** Runs a claimed job; resolves when it is done (deleted), failed for good, or queued for a retry. */
  function start(ctx: JobContext, payload: P): Promise<JobOutcome> {
    s.running.set(ctx.id, ctx);
    const startedAt = new Date();
    const owned = { id: ctx.id, attempts: ctx.attempt, status: "running" };
    const renew = setInterval(() => {
      void db()
        .job.updateMany({ where: owned, data: { runAt: new Date(Date.now() + leaseMs()) } })
        .catch((err) => log.warn("could not renew a job's lease", { kind: def.kind, job_id: ctx.id }, err));
    }, Math.max(250, Math.floor(leaseMs() / 3)));
    renew.unref?.();
    return (async (): Promise<JobOutcome> => {
      try {
        await def.run(payload, ctx);
        clearInterval(renew);
        const done = await db().job.deleteMany({ where: { id: ctx.id, attempts: ctx.attempt } });
        if (done.count === 0 && def.onCancelled && (await db().job.count({ where: { id: ctx.id } })) === 0) await def.onCancelled(payload, ctx, startedAt);
        s.knownQueued = Math.max(0, s.knownQueued - 1);
        return "done";
      } catch (err) {
        clearInterval(renew);
        log.warn("background job failed", { kind: def.kind, job_id: ctx.id, attempt: ctx.attempt }, err);
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
        if (ctx.attempt >= def.maxAttempts) {
          await db().job.updateMany({ where: owned, data: { status: "failed", lastError: message } });
          s.knownQueued = Math.max(0, s.knownQueued - 1);
          return "failed";
        }
        const delay = def.retryDelayMs(ctx.attempt);
        await db().job.updateMany({ where: owned, data: { status: "queued", runAt: new Date(Date.now() + delay), lastError: message } });
        // Serverless: no timer outlives the invocation; the job is due again in the table (runDue, cron).
        if (!serverless()) {
          s.retryTimers += 1;
          setTimeout(() => {
            s.retryTimers -= 1;
            kick();
          }, delay).unref?.();
        }
        return "retried";
      }
    })()
      .catch((err): JobOutcome => {
        log.error("background job bookkeeping failed", { kind: def.kind, job_id: ctx.id }, err);
        return "failed";
      })
      .finally(() => {
        clearInterval(renew);
        s.running.delete(ctx.id);
        kick();
      });
  }

  /**
   * Runs due jobs in the foreground (the cron route, and after() of a serverless request for the jobs
   * it queued: `ids`) until none is due or `deadline` passes; a job started before the deadline runs to
   * its end. Jobs that failed and are due again before the deadline are retried here.
   */
  async function runDue(opts: { deadline: number; ids?: string[] }): Promise<JobRunReport> {
    const report: JobRunReport = { done: 0, failed: 0, retried: 0 };
    const mine = new Set<Promise<void>>();
    for (;;) {
      while (Date.now() < opts.deadline && s.running.size < def.concurrency()) {
        const job = await claimNext(opts.ids);
        if (job === "none") break;
        if (job === "lost") continue;
        const p: Promise<void> = start(job.ctx, job.payload).then((outcome) => {
          report[outcome] += 1;
          mine.delete(p);
        });
        mine.add(p);
      }
      if (mine.size > 0) {
        await Promise.race(mine);
        continue;
      }
      if (Date.now() >= opts.deadline) break;
      // Nothing running here: a retry due before the deadline is waited for; else done.
      const next = await db().job.findFirst({
        where: { kind: def.kind, status: "queued", runAt: { lte: new Date(opts.deadline) }, ...(opts.ids ? { id: { in: opts.ids } } : {}) },
        orderBy: { runAt: "asc" },
        select: { runAt: true },
      });
      if (!next || report.retried === 0) break;
      await new Promise((r) => setTimeout(r, Math.max(0, next.runAt.getTime() - Date.now())));
    }
    return report;
  }

  // Serverless: the jobs this instance's requests queued are written, and run, before the invocation
  // ends (lib/invocation.ts); what does not fit in the budget (or VECSTRUCT_JOBS_AFTER_RESPONSE=0) is
  // left in the table for the cron route.
  onInvocationEnd(`jobs.${def.kind}`, "jobs", async (deadline) => {
    await Promise.allSettled([...s.writing]);
    if (!serverless() || s.kicked.size === 0) return;
    const ids = [...s.kicked];
    s.kicked.clear();
    if (env().VECSTRUCT_JOBS_AFTER_RESPONSE) await runDue({ deadline, ids });
  });

  return {
    enqueue(orgId, payload) {
      write(orgId, payload).catch((err) => log.error("could not queue a background job", { kind: def.kind }, err));
    },
    enqueueDurably: write,
    async resume() {
      if (env().dialect === "sqlite") {
        await db().job.updateMany({ where: { kind: def.kind, status: "running", id: { notIn: [...s.running.keys()] } }, data: { status: "queued", runAt: new Date() } });
      }
      const pending = await db().job.count({ where: { kind: def.kind, status: { in: ["queued", "running"] } } });
      s.knownQueued = pending;
      kick();
      if (!s.polling && !serverless()) {
        s.polling = true;
        setInterval(kick, Math.min(30_000, leaseMs())).unref();
      }
      return pending;
    },
    async release() {
      await Promise.allSettled([...s.writing]);
      await Promise.all(
        [...s.running.values()].map((r) =>
          db().job.updateMany({ where: { id: r.id, attempts: r.attempt, status: "running" }, data: { status: "queued", runAt: new Date() } }),
        ),
      );
    },
    async idle() {
      for (;;) {
        if (s.writing.size > 0) await Promise.allSettled([...s.writing]);
        else if (s.pumping || s.running.size > 0 || s.retryTimers > 0) await new Promise((r) => setTimeout(r, 20));
        else return;
      }
    },
    async written() {
      await Promise.allSettled([...s.writing]);
    },
    pending: () => s.knownQueued + s.writing.size,
    kick,
    runDue,
  };
}
