// Large request bodies wait their turn for memory. A /v1 body holds several times its size for as long
// as its request runs (the bytes, the parsed object, the upstream body built from it, the audit copy:
// ~60 MB of heap for a 10 MB chat body, measured), so a handful of concurrent maximum-size bodies can
// exhaust a sized heap, and V8 then aborts the process with every request in flight. Bodies above
// LARGE_BODY take a share of a per-process budget (half the heap limit) for their whole request; when
// it is spent they queue, FIFO, and after VECSTRUCT_BODY_QUEUE_TIMEOUT_MS get a 503 with Retry-After
// instead of taking the server down. Small bodies never wait, and a large body alone is always admitted.
import { getHeapStatistics } from "node:v8";
import { ApiError } from "../errors";
import { processState } from "../process-state";

const LARGE_BODY = 256 * 1024;
/** Heap a request holds per byte of its body (the measured ~6×, rounded up). */
const HEAP_PER_BODY_BYTE = 8;

interface Waiter {
  cost: number;
  admit: () => void;
}

const state = processState("http.bodyAdmission", () => ({ inUse: 0, holders: 0, queue: [] as Waiter[], budget: Math.max(64 * 1024 * 1024, Math.floor(getHeapStatistics().heap_size_limit / 2)) }));

/** Frees a share; idempotent. */
export type Release = () => void;
const nothing: Release = () => {};

function take(cost: number): Release {
  state.inUse += cost;
  state.holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.inUse -= cost;
    state.holders -= 1;
    drain();
  };
}

function fits(cost: number): boolean {
  return state.holders === 0 || state.inUse + cost <= state.budget;
}

function drain(): void {
  while (state.queue.length > 0 && fits(state.queue[0]!.cost)) state.queue.shift()!.admit();
}

/** Waits until a body of `bytes` may be held; resolves with its release. */
export async function admitBody(bytes: number, timeoutMs: number): Promise<Release> {
  if (bytes < LARGE_BODY) return nothing;
  const cost = bytes * HEAP_PER_BODY_BYTE;
  if (state.queue.length === 0 && fits(cost)) return take(cost);
  return new Promise<Release>((resolve, reject) => {
    const waiter: Waiter = {
      cost,
      admit: () => {
        clearTimeout(timer);
        resolve(take(cost));
      },
    };
    const timer = setTimeout(() => {
      state.queue.splice(state.queue.indexOf(waiter), 1);
      drain();
      const retryAfter = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
      reject(new ApiError("service_unavailable", "The server is busy with other large requests; retry shortly.", { headers: { "retry-after": retryAfter } }));
    }, timeoutMs);
    state.queue.push(waiter);
  });
}

/** Tests only: the budget in bytes, and what is held and queued. */
export function bodyAdmissionState(): { budget: number; inUse: number; queued: number } {
  return { budget: state.budget, inUse: state.inUse, queued: state.queue.length };
}

/** Tests only: sets the budget (bytes of heap). */
export function setBodyAdmissionBudgetForTests(bytes: number): void {
  state.budget = bytes;
  drain();
}
