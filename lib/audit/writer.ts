// Audit rows are written off the hot path: requests enqueue, a timer flushes in batches. Each batch
// also settles its requests' money in the same transaction (lib/billing/settle.ts): ledger entries
// (linked to the audit row), balances and key spend, and the release of their reservations. A
// failed flush keeps the rows and retries, so a database hiccup delays rows instead of losing them
// (or their charges); a row the database refuses on its own is set aside and finally written
// without its text, so it never holds back other tenants' settlements. Logs name ids and error
// classes, never contents.
import type { Reservation } from "../billing/reserve";
import { settleStatements } from "../billing/settle";
import { insertStmts, runAtomically, type Stmt } from "../db-raw";
import { onInvocationEnd } from "../invocation";
import { errorClass, log } from "../log";
import { processState } from "../process-state";

export interface AuditRecord {
  id: string;
  orgId: string;
  projectId: string | null;
  apiKeyId: string | null;
  origin: "api" | "internal";
  endpoint: string;
  model: string | null;
  provider: string | null;
  status: "success" | "error";
  httpStatus: number;
  errorCode: string | null;
  errorMessage: string | null;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
  usageEstimated: boolean;
  latencyMs: number;
  ttftMs: number | null;
  costMicros: bigint;
  creditsMicros: bigint;
  metadata: Record<string, unknown> | null;
  attempts: unknown[] | null;
  request: unknown | null;
  responseText: string | null;
  createdAt: Date;
  /** What was held before the upstream call; released here. costMicros/creditsMicros are charged. */
  reservation?: Reservation | null;
  ragSources?: unknown[] | null;
  memoryUsed?: boolean;
  memoryIds?: string[] | null;
  injected?: unknown[] | null;
  cache?: "hit" | "miss" | "bypass" | null;
  cacheSourceAuditId?: string | null;
  guardrails?: { detector: string; action: string; where: string; count: number }[] | null;
}

const BATCH = 200;
const INTERVAL_MS = 100;
// One queue per process (lib/process-state.ts): Next bundles the instrumentation hook (which flushes
// at shutdown) apart from the route handlers (which record rows).
interface WriterState {
  queue: AuditRecord[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  failures: number;
  /** Rows that failed on their own while others were written (see isolate). */
  isolated: AuditRecord[];
  isolatedTimer: NodeJS.Timeout | null;
  /** The batch being written right now (out of the queue, not yet committed). */
  inFlight: AuditRecord[];
}
const st = processState<WriterState>("audit.writer", () => ({
  queue: [],
  timer: null,
  flushing: null,
  failures: 0,
  isolated: [],
  isolatedTimer: null,
  inFlight: [],
}));

export function recordAudit(record: AuditRecord): void {
  st.queue.push(record);
  schedule(st.queue.length >= BATCH ? 0 : INTERVAL_MS);
}

function schedule(delay: number) {
  if (st.timer) return;
  st.timer = setTimeout(() => {
    st.timer = null;
    void flushQueue();
  }, delay);
  st.timer.unref?.();
}

/** The statements that write a batch: audit rows, then their settlement (lib/billing/settle.ts). */
function batchStatements(batch: AuditRecord[], opts: { auditRows?: boolean } = {}): Stmt[] {
  const withAudit = opts.auditRows ?? true;
  // Every row spells out every column: a batch's INSERT takes its column list from the first row.
  const audits = batch.map(({ reservation: _r, ragSources = null, memoryUsed = false, memoryIds = null, injected = null, cache = null, cacheSourceAuditId = null, guardrails = null, ...row }) => ({
    ...row,
    ragSources,
    memoryUsed,
    memoryIds,
    injected,
    cache,
    cacheSourceAuditId,
    guardrails,
  })) as unknown as Record<string, unknown>[];
  return [...(withAudit ? insertStmts("audit_logs", audits) : []), ...settleStatements(batch, { linkAudit: withAudit })];
}

async function writeBatch(batch: AuditRecord[]) {
  await runAtomically(batchStatements(batch));
}

/** Writes everything queued so far, set-aside rows included; resolves when it is in the database (tests, shutdown). */
export async function flushAudit(): Promise<void> {
  if (st.isolated.length > 0) st.queue.push(...st.isolated.splice(0));
  await flushQueue();
}

/**
 * Errors that belong to the row, not to the database: PostgreSQL's data exceptions and integrity
 * violations (SQLSTATE classes 22 and 23), SQLite's constraint, type and size errors.
 */
function rowSpecific(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  return /^2[23][0-9A-Z]{3}$/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

async function flushQueue(): Promise<void> {
  if (st.flushing) {
    await st.flushing;
    if (st.queue.length === 0) return;
  }
  st.flushing = (async () => {
    while (st.queue.length > 0) {
      const batch = st.queue.splice(0, BATCH);
      st.inFlight = batch;
      try {
        await writeBatch(batch);
        st.failures = 0;
      } catch (err) {
        // One bad row must not hold back the others: write the batch row by row.
        const alone = batch.length === 1 && !rowSpecific(err) && !rowFailures.has(batch[0]!);
        const { written, stuck } = alone ? { written: 0, stuck: batch } : await writeOneByOne(batch);
        if (written > 0) st.failures = 0;
        if (stuck.length === 0) continue;
        // A row already set aside once (others were written meanwhile) stays apart.
        if (written > 0 || stuck.every((row) => refusedAlone.has(row) || setAside.has(row))) {
          // The database works and only these rows fail: they are isolated (kept aside, retried, then
          // written without their contents), never put back in front of the others.
          isolate(stuck);
          continue;
        }
        // Nothing could be written: the database itself is failing. Keep every row, back off.
        st.queue.unshift(...stuck);
        st.failures += 1;
        log.error("audit flush failed; rows kept, retrying", { queued: st.queue.length, ...errorClass(err) });
        if (st.timer) clearTimeout(st.timer);
        st.timer = null;
        schedule(Math.min(30_000, 200 * 2 ** st.failures));
        return;
      }
    }
  })().finally(() => {
    st.inFlight = [];
    st.flushing = null;
  });
  await st.flushing;
}

const rowFailures = new WeakMap<AuditRecord, number>();
/** Rows that failed while others of their batch were written. */
const setAside = new WeakSet<AuditRecord>();
/** Rows whose last write on their own failed with an error of the row (rowSpecific), not of the database. */
const refusedAlone = new WeakSet<AuditRecord>();
/** Tries of a row that fails while others succeed, before it is written without its contents. */
const MAX_ROW_FAILURES = 3;

/** Writes rows individually. A row failing on its own `MAX_ROW_FAILURES` times is written stripped. */
async function writeOneByOne(batch: AuditRecord[]): Promise<{ written: number; stuck: AuditRecord[] }> {
  const stuck: AuditRecord[] = [];
  let written = 0;
  for (const row of batch) {
    try {
      await writeBatch([row]);
      written += 1;
    } catch (err) {
      if (rowSpecific(err)) refusedAlone.add(row);
      else refusedAlone.delete(row);
      const n = (rowFailures.get(row) ?? 0) + 1;
      rowFailures.set(row, n);
      if (n < MAX_ROW_FAILURES) {
        stuck.push(row);
        continue;
      }
      // Ids and the error's class only: the row holds prompts and answers.
      log.error("audit row could not be written; writing it without its contents", { audit_id: row.id, org_id: row.orgId, attempts: n, ...errorClass(err) });
      if (await writeSettlementOnly(row)) written += 1;
      else stuck.push(row);
    }
  }
  return { written, stuck };
}

/**
 * The last resort for a row the database refuses: the audit row keeps its ids, status and numbers but
 * no text, so the money (ledger, balance, key spend, the reservation's release) is still settled.
 * When even that fails the row is dropped, loudly but without its contents.
 */
async function writeSettlementOnly(row: AuditRecord): Promise<boolean> {
  const bare: AuditRecord = {
    ...row,
    errorMessage: row.errorMessage === null ? null : "the audit row could not be stored",
    metadata: null,
    attempts: null,
    request: null,
    responseText: null,
    ragSources: null,
    memoryIds: null,
    injected: null,
  };
  try {
    await writeBatch([bare]);
    return true;
  } catch {
    // The row itself cannot be stored: settle its money without it (ledger entries unlinked).
  }
  try {
    await runAtomically(batchStatements([row], { auditRows: false }));
    log.error("audit row dropped; its charges were settled without it", { audit_id: row.id, org_id: row.orgId });
    return true;
  } catch (err) {
    // Dropped only when the database refuses the settlement itself; otherwise it is kept and retried.
    if (rowSpecific(err)) {
      log.error("audit row and its settlement dropped: the database refuses them", { audit_id: row.id, org_id: row.orgId, ...errorClass(err) });
      return true;
    }
    return false;
  }
}

/** Rows that failed alone wait apart from the queue and come back after a pause. */
function isolate(rows: AuditRecord[]) {
  for (const row of rows) setAside.add(row);
  st.isolated.push(...rows);
  if (st.isolatedTimer) return;
  st.isolatedTimer = setTimeout(() => {
    st.isolatedTimer = null;
    st.queue.push(...st.isolated.splice(0));
    schedule(0);
  }, 1_000);
  st.isolatedTimer.unref?.();
}

/** Whether this process still holds the row `id` unwritten (queued, set aside or being written). */
export function auditRowPending(id: string): boolean {
  const has = (rows: AuditRecord[]) => rows.some((r) => r.id === id);
  return has(st.queue) || has(st.isolated) || has(st.inFlight);
}

/**
 * Read-your-writes: a response hands out its audit id before the row is batched into the database.
 * When this process still holds the row, it is written now, so the reader finds it. Only for a row
 * that is pending here: a random id cannot make the process flush early.
 */
export async function flushAuditRow(id: string): Promise<boolean> {
  if (!auditRowPending(id)) return false;
  await flushAudit();
  return true;
}

export const pendingAuditRows = () => st.queue.length + st.isolated.length;

// Serverless (lib/invocation.ts): the rows a response leaves are written before its invocation ends
// (after()), not by the timer of a process that may be frozen or discarded right after the response.
// A failing database is retried until the budget's end; rows still unwritten then stay queued for
// this instance's next invocation (lost if the platform discards it: logged).
onInvocationEnd("audit.writer", "audit", async (deadline) => {
  for (let attempt = 0; ; attempt++) {
    await flushAudit();
    if (pendingAuditRows() === 0) return;
    if (Date.now() >= deadline) {
      log.error("audit rows still unwritten when the invocation ends", { queued: pendingAuditRows() });
      return;
    }
    await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt, Math.max(0, deadline - Date.now()))));
  }
});

/** Tests only: forget rows a test queued on purpose that can never be written. */
export function clearAuditQueueForTests(): void {
  st.queue.length = 0;
  st.isolated.length = 0;
  if (st.isolatedTimer) clearTimeout(st.isolatedTimer);
  st.isolatedTimer = null;
  if (st.timer) clearTimeout(st.timer);
  st.timer = null;
}
