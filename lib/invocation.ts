// Serverless invocations (VERCEL=1). A Vercel function may be frozen or discarded as soon as its
// invocation ends, and the invocation ends with the response unless work was handed to the platform's
// `waitUntil`, which Next exposes as `after()`. So nothing may be left in process memory past a
// response: the modules that hold work in memory (the audit writer's queue, background jobs being
// written, mail being sent, spans being exported) register here how to finish it, and every route
// calls `finishAfterResponse()`, which runs those finishers through `after()` once the response is out.
//
// Self-hosted (no VERCEL), the process lives on: the writer's timer, the job poller and the shutdown
// hooks do the same work, and `finishAfterResponse()` does nothing.
import { after } from "next/server";
import { env } from "./env";
import { log } from "./log";
import { processState } from "./process-state";

/** The order finishers run in: jobs queue audit rows, audit rows are traced. */
export type FinishStage = "jobs" | "audit" | "telemetry";
const STAGES: FinishStage[] = ["jobs", "audit", "telemetry"];

/** Finishes what its module holds; `deadline` (epoch ms) is when it should stop starting new work. */
export type Finisher = (deadline: number) => Promise<void>;

interface InvocationState {
  finishers: Map<string, { stage: FinishStage; run: Finisher }>;
  /** Work started for a response that must settle before the invocation ends (e.g. a mail being sent). */
  pending: Set<Promise<unknown>>;
}
const st = processState<InvocationState>("invocation", () => ({ finishers: new Map(), pending: new Set() }));

export const serverless = (): boolean => env().VERCEL;

/**
 * Registers how a module finishes the work it holds in memory. One entry per `name` (the first
 * registration wins: the module may be evaluated in several bundles, and its state is per process).
 */
export function onInvocationEnd(name: string, stage: FinishStage, run: Finisher): void {
  if (!st.finishers.has(name)) st.finishers.set(name, { stage, run });
}

/** A promise of work the response does not wait for, but the invocation must (serverless). */
export function track<T>(work: Promise<T>): Promise<T> {
  st.pending.add(work);
  const forget = () => st.pending.delete(work);
  work.then(forget, forget);
  return work;
}

/**
 * Runs every finisher, stage by stage, within the time budget (VECSTRUCT_JOBS_BUDGET_MS): the work
 * this process holds is in the database when it resolves (unless the database is down; then it stays
 * queued in memory and the next invocation of this instance retries it).
 */
export async function finishInvocation(budgetMs = env().VECSTRUCT_JOBS_BUDGET_MS): Promise<void> {
  const deadline = Date.now() + budgetMs;
  if (st.pending.size > 0) await Promise.allSettled([...st.pending]);
  for (const stage of STAGES) {
    for (const [name, f] of st.finishers) {
      if (f.stage !== stage) continue;
      await f.run(deadline).catch((err) => log.error("could not finish an invocation's work", { work: name }, err));
    }
  }
}

/**
 * Called at the start of every request (the /v1 pipeline, the management wrapper, the cron route):
 * with VERCEL=1 the invocation is kept alive after the response (Next's `after()`, Vercel's
 * `waitUntil`) until what the request left in memory is written. A no-op self-hosted.
 */
export function finishAfterResponse(): void {
  if (!serverless()) return;
  try {
    after(() => finishInvocation());
  } catch (err) {
    // Outside a Next request scope (a caller of the handlers that is not Next): the work is finished
    // by the next invocation of this instance, or lost with it. Said loudly, never failing the request.
    log.error("VERCEL=1 but after() is unavailable here: this request's audit rows and jobs wait for the next invocation", {}, err);
  }
}
