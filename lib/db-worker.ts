// SQLite transactions of the hot path's raw writes (audit batches, settlements, reservations, ledger
// operations: lib/db-raw.ts runAtomically) run on a worker thread with its own better-sqlite3
// connection, so a batch of hundreds of rows never blocks the request loop (better-sqlite3 is
// synchronous). One worker per process executes transactions one at a time, in the order they were
// sent; a transaction is all or nothing, and a `mustChange` guard that fails rolls it back and comes
// back as ConditionFailed. The worker's code is inline (no file to bundle or locate): it resolves
// better-sqlite3 from the app's directory, as the main thread does.
import { Worker } from "node:worker_threads";
import { processState } from "./process-state";

export interface WorkerStmt {
  sql: string;
  params: unknown[];
  mustChange?: string;
}

/** What a failed transaction reports: the guard that failed, or the database error's class and code. */
export interface WorkerFailure {
  conditionFailed?: string;
  name: string;
  message: string;
  code?: string;
}

const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(require.resolve("better-sqlite3", { paths: [workerData.root] }));
const db = new Database(workerData.path, { timeout: workerData.timeout });
const statements = new Map();
const prepared = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
class ConditionFailed extends Error {}
const asParam = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
const runOne = (m) => {
  try {
    db.transaction(() => {
      for (const s of m.stmts) {
        const r = prepared(s.sql).run(s.params.map(asParam));
        if (s.mustChange && r.changes !== 1) throw new ConditionFailed(s.mustChange);
      }
    })();
    return { id: m.id };
  } catch (err) {
    const failure = err instanceof ConditionFailed
      ? { conditionFailed: err.message, name: "ConditionFailed", message: err.message }
      : { name: err && err.name ? String(err.name) : "Error", message: err && err.message ? String(err.message) : String(err), code: err && typeof err.code === "string" ? err.code : undefined };
    return { id: m.id, failure };
  }
};
parentPort.on("message", (m) => {
  if (m.type === "close") {
    db.close();
    parentPort.postMessage({ type: "closed" });
    return;
  }
  // A batch of transactions, each its own, in order; one reply for all of them.
  parentPort.postMessage({ results: m.batch.map(runOne) });
});
`;

interface Pending {
  resolve: () => void;
  reject: (failure: WorkerFailure) => void;
}

interface WorkerState {
  worker: Worker | null;
  next: number;
  pending: Map<number, Pending>;
  /** Transactions sent in this turn of the event loop: one message for all (at high concurrency many requests reserve in the same turn). */
  outbox: { id: number; stmts: WorkerStmt[] }[];
}

const st = processState<WorkerState>("db.worker", () => ({ worker: null, next: 0, pending: new Map(), outbox: [] }));

function failAll(failure: WorkerFailure): void {
  for (const p of st.pending.values()) p.reject(failure);
  st.pending.clear();
}

function worker(path: string, timeout: number): Worker {
  if (st.worker) return st.worker;
  const w = new Worker(SOURCE, { eval: true, workerData: { path, timeout, root: process.cwd() } });
  // Not a reason to keep the process alive: pending transactions are awaited by their callers.
  w.unref();
  w.on("message", (m: { results?: { id: number; failure?: WorkerFailure }[] }) => {
    for (const r of m.results ?? []) {
      const p = st.pending.get(r.id);
      st.pending.delete(r.id);
      if (!p) continue;
      if (r.failure) p.reject(r.failure);
      else p.resolve();
    }
  });
  w.on("error", (err) => {
    // The worker died (it could not open the database): every waiting transaction fails; the next one starts a new worker.
    st.worker = null;
    failAll({ name: err.name, message: err.message });
  });
  w.on("exit", () => {
    if (st.worker === w) st.worker = null;
    failAll({ name: "WorkerExit", message: "the SQLite worker stopped" });
  });
  st.worker = w;
  return w;
}

/** Runs the statements as one transaction on the worker; rejects with a WorkerFailure. */
export function runOnWorker(path: string, timeout: number, stmts: WorkerStmt[]): Promise<void> {
  const w = worker(path, timeout);
  const id = st.next++;
  return new Promise<void>((resolve, reject) => {
    st.pending.set(id, { resolve, reject });
    if (st.outbox.length === 0) setImmediate(() => flushOutbox(w));
    st.outbox.push({ id, stmts });
  });
}

function flushOutbox(w: Worker): void {
  if (st.outbox.length === 0) return;
  const batch = st.outbox;
  st.outbox = [];
  w.postMessage({ batch });
}

/** Closes the worker's connection once everything sent before has run. */
export async function closeWorker(): Promise<void> {
  const w = st.worker;
  if (!w) return;
  flushOutbox(w);
  st.worker = null;
  await new Promise<void>((resolve) => {
    w.once("message", (m: { type?: string }) => m.type === "closed" && resolve());
    w.once("exit", () => resolve());
    w.postMessage({ type: "close" });
  });
  await w.terminate();
}
