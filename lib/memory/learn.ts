// Learning after the reply, off the hot path. Raw mode (no VECSTRUCT_MEMORY_MODEL): the user's own
// statements are stored verbatim, once each, minus their questions to the assistant. Failures are
// logged and retried, never surfaced.
//
// The queue is the `jobs` table (kind "memory_extract"), not process memory: a job is written when the
// reply is done and deleted once learned, so a restart (or a crash) loses none. Any instance may run
// any job: a job is claimed with a compare-and-set on (status, attempts), and a claim is a lease —
// a job left "running" by a process that died is taken over once the lease ends (on SQLite, which is
// one instance by definition, at once on start). SIGTERM hands the running job back immediately.
import { db } from "../db";
import { env } from "../env";
import { reconcileWithModel } from "./extract";
import { addMemory } from "./store";
import { log } from "../log";
import { processState } from "../process-state";

export interface LearnJob {
  orgId: string;
  projectId: string;
  userId: string;
  statements: string[];
  auditId: string;
  /** The memory model (catalog id); null = raw mode. */
  model?: string | null;
  reply?: string;
}

export const LEARN_JOB_KIND = "memory_extract";
const MAX_ATTEMPTS = 3;
/** Longer than the longest upstream call (VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS defaults to 10 min). */
const LEASE_MS = 15 * 60_000;
const POLL_MS = 30_000;

// Per process (lib/process-state.ts), not per bundle: route handlers queue jobs, the instrumentation
// hook resumes them and hands the running one back at shutdown, and the gauge reads the count; with
// module variables each bundle had its own "current" job, so shutdown released only one bundle's.
const st = processState("memory.learning", () => ({
  writing: new Set<Promise<unknown>>(),
  draining: null as Promise<void> | null,
  wake: false,
  retryTimers: 0,
  current: null as { id: string; attempts: number } | null,
  knownQueued: 0,
  polling: false,
}));

export function enqueueLearning(job: LearnJob): void {
  if (job.statements.length === 0) return;
  const payload: LearnJob = { orgId: job.orgId, projectId: job.projectId, userId: job.userId, statements: job.statements, auditId: job.auditId, model: job.model ?? null, reply: job.reply ?? "" };
  const p: Promise<unknown> = db()
    .job.create({ data: { orgId: job.orgId, kind: LEARN_JOB_KIND, payload: payload as never } })
    .then(() => {
      st.knownQueued += 1;
      kick();
    })
    .catch((err) => log.error("could not queue memory learning", { audit_id: job.auditId }, err))
    .finally(() => st.writing.delete(p));
  st.writing.add(p);
}

/** Runs due jobs until none is left (one at a time per process). */
function kick(): void {
  st.wake = true;
  if (st.draining) return;
  st.draining = (async () => {
    while (st.wake) {
      st.wake = false;
      while (await runNext());
    }
    st.knownQueued = await db().job.count({ where: { kind: LEARN_JOB_KIND, status: { in: ["queued", "running"] } } });
  })()
    .catch((err) => log.error("memory learning queue failed", {}, err))
    .finally(() => {
      st.draining = null;
    });
}

/** Claims and runs one due job; false when there is none. */
async function runNext(): Promise<boolean> {
  const now = new Date();
  const next = await db().job.findFirst({
    where: { kind: LEARN_JOB_KIND, status: { in: ["queued", "running"] }, runAt: { lte: now } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  if (!next) return false;
  const claimed = await db().job.updateMany({
    where: { id: next.id, status: next.status, attempts: next.attempts },
    data: { status: "running", attempts: next.attempts + 1, runAt: new Date(now.getTime() + LEASE_MS) },
  });
  if (claimed.count === 0) return true; // another instance took it
  const attempt = next.attempts + 1;
  const job = next.payload as unknown as LearnJob;
  st.current = { id: next.id, attempts: attempt };
  const started = new Date();
  try {
    if (job.model) await reconcileWithModel({ ...job, model: job.model, reply: job.reply ?? "" });
    else await learnRaw(job, next.id);
    const done = await db().job.deleteMany({ where: { id: next.id, attempts: attempt } });
    if (done.count === 0 && (await db().job.count({ where: { id: next.id } })) === 0) await undoCancelled(job, started);
    st.knownQueued = Math.max(0, st.knownQueued - 1);
  } catch (err) {
    log.warn("memory learning failed", { attempt, audit_id: job.auditId }, err);
    const message = err instanceof Error ? err.message : String(err);
    if (attempt >= MAX_ATTEMPTS) {
      await db().job.updateMany({ where: { id: next.id, attempts: attempt }, data: { status: "failed", lastError: message.slice(0, 2_000) } });
      st.knownQueued = Math.max(0, st.knownQueued - 1);
    } else {
      const delay = 200 * attempt;
      await db().job.updateMany({ where: { id: next.id, attempts: attempt }, data: { status: "queued", runAt: new Date(Date.now() + delay), lastError: message.slice(0, 2_000) } });
      st.retryTimers += 1;
      setTimeout(() => {
        st.retryTimers -= 1;
        kick();
      }, delay).unref?.();
    }
  } finally {
    st.current = null;
  }
  return true;
}

/**
 * A deleted memory is never learned back by work queued before the deletion: deleting a memory (or
 * forgetting a user) cancels that end user's learning jobs still queued or running — a job from an
 * earlier request that said the same thing would otherwise store it again and the next request would
 * inject it. What a job cancelled mid-run already stored is removed by the job itself (undoCancelled).
 * Later requests learn as usual. Returns the number of jobs cancelled.
 */
export async function cancelLearning(orgId: string, projectId: string, userId: string): Promise<number> {
  // Waiting to be written: a request answered before the deletion whose job is not in the table yet.
  await Promise.allSettled([...st.writing]);
  const jobs = await db().job.findMany({ where: { orgId, kind: LEARN_JOB_KIND, status: { in: ["queued", "running"] } }, select: { id: true, payload: true } });
  const ids = jobs.filter((j) => {
    const p = j.payload as unknown as Partial<LearnJob> | null;
    return p?.projectId === projectId && p.userId === userId;
  }).map((j) => j.id);
  if (ids.length === 0) return 0;
  const { count } = await db().job.deleteMany({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
  st.knownQueued = Math.max(0, st.knownQueued - count);
  return count;
}

/** A job cancelled while it ran: what it added is taken back. */
async function undoCancelled(job: LearnJob, since: Date) {
  await db().memory.deleteMany({ where: { projectId: job.projectId, userId: job.userId, sourceAuditId: job.auditId, createdAt: { gte: since } } });
}

/**
 * At start: picks up the jobs a previous process left, then polls for jobs whose lease ended (an
 * instance that died mid-job) or that another instance queued and could not run.
 */
export async function resumeLearning(): Promise<number> {
  if (env().dialect === "sqlite") {
    await db().job.updateMany({ where: { kind: LEARN_JOB_KIND, status: "running" }, data: { status: "queued", runAt: new Date() } });
  }
  const pending = await db().job.count({ where: { kind: LEARN_JOB_KIND, status: { in: ["queued", "running"] } } });
  st.knownQueued = pending;
  kick();
  if (!st.polling) {
    st.polling = true;
    setInterval(kick, POLL_MS).unref();
  }
  return pending;
}

/** Shutdown: the job being learned goes back to the queue for the next process (or another instance). */
export async function releaseLearning(): Promise<void> {
  await Promise.allSettled([...st.writing]);
  const job = st.current;
  if (!job) return;
  await db().job.updateMany({ where: { id: job.id, attempts: job.attempts, status: "running" }, data: { status: "queued", runAt: new Date() } });
}

/** Resolves when this process has nothing queued, running or waiting for a retry (tests, benches). */
export async function learningIdle(): Promise<void> {
  for (;;) {
    if (st.writing.size > 0) await Promise.allSettled([...st.writing]);
    else if (st.draining) await st.draining;
    else if (st.retryTimers > 0) await new Promise((r) => setTimeout(r, 50));
    else return;
  }
}

/**
 * The statement without its questions to the assistant ("What's a good name for a bakery?"): they
 * are no fact about the user, and stored they were recalled for every later question.
 */
export function withoutQuestions(statement: string): string {
  const sentences = statement.trim().split(/(?<=[.!?])\s+|\n+/);
  if (!sentences.some((s) => s.trim().endsWith("?"))) return statement.trim();
  return sentences
    .filter((s) => s.trim() !== "" && !s.trim().endsWith("?"))
    .join(" ")
    .trim();
}

async function learnRaw(job: LearnJob, jobId: string) {
  for (const raw of job.statements) {
    const content = withoutQuestions(raw).slice(0, 4_000);
    if (content.length < 3) continue;
    // Cancelled meanwhile (the user's memories were deleted): store nothing more.
    if ((await db().job.count({ where: { id: jobId } })) === 0) return;
    const exists = await db().memory.findFirst({ where: { projectId: job.projectId, userId: job.userId, content }, select: { id: true } });
    if (exists) continue;
    await addMemory({ orgId: job.orgId, projectId: job.projectId, userId: job.userId, content, sourceAuditId: job.auditId });
  }
}


/** Learning jobs queued or running, as this process last counted them (metrics). */
export const pendingLearning = (): number => st.knownQueued + st.writing.size;
