// Learning after the reply, off the hot path. Raw mode (no VECSTRUCT_MEMORY_MODEL): the user's own
// statements are stored verbatim, once each, minus their questions to the assistant. Failures are
// logged and retried, never surfaced.
import { db } from "../db";
import { reconcileWithModel } from "./extract";
import { addMemory } from "./store";
import { log } from "../log";

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

const queue: LearnJob[] = [];
let running = false;
const idle = new Set<() => void>();

export function enqueueLearning(job: LearnJob): void {
  if (job.statements.length === 0) return;
  queue.push(job);
  if (!running) void drain();
}

async function drain() {
  running = true;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      for (let attempt = 1; ; attempt++) {
        try {
          if (job.model) await reconcileWithModel({ ...job, model: job.model, reply: job.reply ?? "" });
          else await learnRaw(job);
          break;
        } catch (err) {
          log.warn("memory learning failed", { attempt, audit_id: job.auditId }, err);
          if (attempt >= 3) break;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    }
  } finally {
    running = false;
    for (const r of idle) r();
    idle.clear();
  }
}

export function learningIdle(): Promise<void> {
  if (!running && queue.length === 0) return Promise.resolve();
  return new Promise((resolve) => idle.add(resolve));
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

async function learnRaw(job: LearnJob) {
  for (const raw of job.statements) {
    const content = withoutQuestions(raw).slice(0, 4_000);
    if (content.length < 3) continue;
    const exists = await db().memory.findFirst({ where: { projectId: job.projectId, userId: job.userId, content }, select: { id: true } });
    if (exists) continue;
    await addMemory({ orgId: job.orgId, projectId: job.projectId, userId: job.userId, content, sourceAuditId: job.auditId });
  }
}

/** Learning jobs waiting or running (metrics). */
export const pendingLearning = (): number => queue.length + (running ? 1 : 0);
