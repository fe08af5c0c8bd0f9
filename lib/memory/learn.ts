// Learning after the reply, off the hot path. Raw mode (no VECSTRUCT_MEMORY_MODEL): the user's own
// statements are stored verbatim, once each, minus their questions to the assistant; a statement that
// corrects an earlier one replaces it (lib/memory/supersede.ts). Failures are logged and retried,
// never surfaced.
//
// The queue is the `jobs` table (kind "memory_extract") run by lib/jobs/runner.ts: a job is written
// when the reply is done and deleted once learned, so a restart (or a crash) loses none; leases,
// resumption at start and the hand-back on SIGTERM are the runner's.
import { db } from "../db";
import { reconcileWithModel } from "./extract";
import { embedLocal } from "../rag/embeddings/local";
import { bufferToVector } from "../vector-codec";
import { addMemory, supersedeMemories, trimMemory } from "./store";
import { supersededMemories } from "./supersede";
import { jobQueue, type JobRunReport } from "../jobs/runner";

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

// The runner (lib/jobs/runner.ts) keeps its state per process: route handlers queue jobs, the
// instrumentation hook resumes them and hands the running one back at shutdown, and the gauge reads
// the count (with module variables each bundle had its own, and shutdown released only one's job).
const jobs = jobQueue<LearnJob>({
  kind: LEARN_JOB_KIND,
  concurrency: () => 1,
  onePerOrg: false,
  maxAttempts: 3,
  retryDelayMs: (attempt) => 200 * attempt,
  run: async (job, ctx) => {
    if (job.model) await reconcileWithModel({ ...job, model: job.model, reply: job.reply ?? "" });
    else await learnRaw(job, ctx.id);
  },
  // Cancelled while it ran (the user's memories were deleted): what it added goes too, and so does a
  // row it rewrote with its statement (raw supersession sets the row's source to this job's audit).
  onCancelled: async (job, _ctx, since) => {
    await db().memory.deleteMany({ where: { projectId: job.projectId, userId: job.userId, sourceAuditId: job.auditId, updatedAt: { gte: since } } });
  },
});

export function enqueueLearning(job: LearnJob): void {
  if (job.statements.length === 0) return;
  const payload: LearnJob = { orgId: job.orgId, projectId: job.projectId, userId: job.userId, statements: job.statements, auditId: job.auditId, model: job.model ?? null, reply: job.reply ?? "" };
  jobs.enqueue(job.orgId, payload);
}

/**
 * A deleted memory is never learned back by work queued before the deletion: deleting a memory (or
 * forgetting a user) cancels that end user's learning jobs still queued or running — a job from an
 * earlier request that said the same thing would otherwise store it again and the next request would
 * inject it. What a job cancelled mid-run already stored is removed (onCancelled). Later requests
 * learn as usual. Returns the number of jobs cancelled.
 */
export async function cancelLearning(orgId: string, projectId: string, userId: string): Promise<number> {
  // A request answered before the deletion whose job is not in the table yet.
  await jobs.written();
  const queued = await db().job.findMany({ where: { orgId, kind: LEARN_JOB_KIND, status: { in: ["queued", "running"] } }, select: { id: true, payload: true } });
  const ids = queued
    .filter((j) => {
      const p = j.payload as unknown as Partial<LearnJob> | null;
      return p?.projectId === projectId && p.userId === userId;
    })
    .map((j) => j.id);
  if (ids.length === 0) return 0;
  const { count } = await db().job.deleteMany({ where: { id: { in: ids }, status: { in: ["queued", "running"] } } });
  jobs.kick(); // recounts the gauge
  return count;
}

/** At start: jobs a previous process left queued or running (lease over); then polls for more. */
export const resumeLearning = (): Promise<number> => jobs.resume();

/** The cron route: learns due jobs in the foreground until none is due or the deadline passes. */
export const runLearningJobs = (deadline: number): Promise<JobRunReport> => jobs.runDue({ deadline });

/** Shutdown: the job being learned goes back to the queue for the next process (or another instance). */
export const releaseLearning = (): Promise<void> => jobs.release();

/** Resolves when this process has nothing queued, running or waiting for a retry (tests, benches). */
export const learningIdle = (): Promise<void> => jobs.idle();

/**
 * The statement without its questions to the assistant ("What's a good name for a bakery?"): they
 * are no fact about the user, and stored they were recalled for every later question.
 */
export function withoutQuestions(statement: string): string {
  // Chinese ends a sentence with "。", "！" or "？" and no space after it.
  const sentences = statement.trim().split(/(?<=[.!?])\s+|(?<=[。！？])\s*|\n+/);
  const question = (s: string) => /[?？]$/.test(s.trim());
  if (!sentences.some(question)) return statement.trim();
  return sentences
    .filter((s) => s.trim() !== "" && !question(s))
    .join(" ")
    .trim();
}

/** The user's most recent memories a new statement is compared with (the rules are cheap; the rows are few). */
const SUPERSEDE_SCAN = 500;

async function learnRaw(job: LearnJob, jobId: string) {
  for (const raw of job.statements) {
    const content = withoutQuestions(raw).slice(0, 4_000);
    if (content.length < 3) continue;
    // Cancelled meanwhile (the user's memories were deleted): store nothing more.
    if ((await db().job.count({ where: { id: jobId } })) === 0) return;
    const exists = await db().memory.findFirst({ where: { projectId: job.projectId, userId: job.userId, content }, select: { id: true } });
    if (exists) continue;
    // A restated attribute ("I moved to Kaohsiung" after "I live in Taipei") replaces the old statement.
    const stored = await db().memory.findMany({
      where: { projectId: job.projectId, userId: job.userId },
      orderBy: { updatedAt: "desc" },
      take: SUPERSEDE_SCAN,
      select: { id: true, content: true, embedding: true },
    });
    const [vector] = await embedLocal([content]);
    const replaced = supersededMemories(
      content,
      vector!,
      stored.map((m) => ({ id: m.id, content: m.content, vector: m.embedding ? bufferToVector(m.embedding) : null })),
    );
    // Corrected in part ("Hi, I'm Grace and I live in Taipei."): the corrected clauses are cut out.
    for (const part of replaced) if (part.keep !== undefined) await trimMemory(part.id, part.keep, job.auditId);
    const whole = replaced.filter((r) => r.keep === undefined).map((r) => r.id);
    if (whole.length > 0) await supersedeMemories(whole, content, vector!, job.auditId);
    else await addMemory({ orgId: job.orgId, projectId: job.projectId, userId: job.userId, content, sourceAuditId: job.auditId }, vector);
  }
}


/** Learning jobs queued or running, as this process last counted them (metrics). */
export const pendingLearning = (): number => jobs.pending();
