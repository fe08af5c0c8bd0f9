// Audit rows are written off the hot path: requests enqueue, a timer flushes in batches. Each batch
// also settles its requests' money in the same transaction: ledger entries (linked to the audit
// row), balances and key spend, and the release of their reservations. A failed flush keeps the
// rows and retries, so a database hiccup delays rows instead of losing them (or their charges).
import type { Reservation } from "../billing/reserve";
import { randomBase62 } from "../crypto";
import { insertStmts, runAtomically, type Stmt } from "../db-raw";
import { log } from "../log";

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
}

const BATCH = 200;
const INTERVAL_MS = 100;
// One queue per process, on globalThis: Next bundles the instrumentation hook (which serves /v1 and
// flushes at shutdown) apart from the route handlers, and both record audit rows.
interface WriterState {
  queue: AuditRecord[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  failures: number;
}
const st: WriterState = ((globalThis as unknown as { vecstructAudit?: WriterState }).vecstructAudit ??= { queue: [], timer: null, flushing: null, failures: 0 });

export function recordAudit(record: AuditRecord): void {
  st.queue.push(record);
  schedule(st.queue.length >= BATCH ? 0 : INTERVAL_MS);
}

function schedule(delay: number) {
  if (st.timer) return;
  st.timer = setTimeout(() => {
    st.timer = null;
    void flushAudit();
  }, delay);
  st.timer.unref?.();
}

function add<K>(map: Map<K, bigint[]>, key: K, values: bigint[]) {
  const cur = map.get(key);
  if (cur) values.forEach((v, i) => (cur[i] = (cur[i] ?? 0n) + v));
  else map.set(key, [...values]);
}

/** The statements that write a batch: audit rows, then ledger entries, then balance updates. */
export function settlementStatements(batch: AuditRecord[]): Stmt[] {
  // Every row spells out every column: a batch's INSERT takes its column list from the first row.
  const audits = batch.map(({ reservation: _r, ragSources = null, memoryUsed = false, memoryIds = null, injected = null, ...row }) => ({
    ...row,
    ragSources,
    memoryUsed,
    memoryIds,
    injected,
  })) as unknown as Record<string, unknown>[];
  const ledger: Record<string, unknown>[] = [];
  const orgs = new Map<string, bigint[]>(); // [usd charged, credits charged, usd released, credits released]
  const keys = new Map<string, bigint[]>(); // [usd charged, usd released]
  for (const r of batch) {
    for (const [currency, amount] of [["usd", r.costMicros], ["credits", r.creditsMicros]] as const) {
      if (amount > 0n) {
        ledger.push({ id: `led_${randomBase62(24)}`, orgId: r.orgId, auditLogId: r.id, currency, kind: "usage", amountMicros: -amount, note: null, createdById: null, createdAt: r.createdAt });
      }
    }
    const res = r.reservation;
    if (r.costMicros > 0n || r.creditsMicros > 0n || res) add(orgs, r.orgId, [r.costMicros, r.creditsMicros, res?.usd ?? 0n, res?.credits ?? 0n]);
    if (r.apiKeyId && (r.costMicros > 0n || res?.apiKeyId)) add(keys, r.apiKeyId, [r.costMicros, res?.apiKeyId ? res.usd : 0n]);
  }
  const stmts = [...insertStmts("audit_logs", audits), ...insertStmts("ledger_entries", ledger)];
  for (const [orgId, [usd, credits, relUsd, relCredits]] of orgs) {
    stmts.push({
      sql: `UPDATE "organizations" SET "usdMicros" = "usdMicros" - ?, "creditsMicros" = "creditsMicros" - ?,
            "reservedUsdMicros" = "reservedUsdMicros" - ?, "reservedCreditsMicros" = "reservedCreditsMicros" - ? WHERE "id" = ?`,
      params: [usd, credits, relUsd, relCredits, orgId],
    });
  }
  for (const [keyId, [usd, released]] of keys) {
    stmts.push({ sql: `UPDATE "api_keys" SET "spentMicros" = "spentMicros" + ?, "reservedMicros" = "reservedMicros" - ? WHERE "id" = ?`, params: [usd, released, keyId] });
  }
  return stmts;
}

async function writeBatch(batch: AuditRecord[]) {
  await runAtomically(settlementStatements(batch));
}

/** Writes everything queued so far; resolves when it is in the database (tests, shutdown). */
export async function flushAudit(): Promise<void> {
  if (st.flushing) {
    await st.flushing;
    if (st.queue.length === 0) return;
  }
  st.flushing = (async () => {
    while (st.queue.length > 0) {
      const batch = st.queue.splice(0, BATCH);
      try {
        await writeBatch(batch);
        st.failures = 0;
      } catch (err) {
        // One bad row must not hold back the others: retry the batch row by row.
        const stuck = batch.length > 1 ? await writeOneByOne(batch) : batch;
        if (stuck.length === 0) continue;
        st.queue.unshift(...stuck);
        st.failures += 1;
        log.error("audit flush failed; rows kept, retrying", { queued: st.queue.length }, err);
        if (st.timer) clearTimeout(st.timer);
        st.timer = null;
        schedule(Math.min(30_000, 200 * 2 ** st.failures));
        return;
      }
    }
  })().finally(() => {
    st.flushing = null;
  });
  await st.flushing;
}

const rowFailures = new WeakMap<AuditRecord, number>();
const MAX_ROW_FAILURES = 20;

/** Writes rows individually; returns the ones that still fail (a row failing for hours is given up, loudly). */
async function writeOneByOne(batch: AuditRecord[]): Promise<AuditRecord[]> {
  const stuck: AuditRecord[] = [];
  for (const row of batch) {
    try {
      await writeBatch([row]);
    } catch (err) {
      const n = (rowFailures.get(row) ?? 0) + 1;
      rowFailures.set(row, n);
      if (n < MAX_ROW_FAILURES) stuck.push(row);
      else log.error("audit row could not be written; giving up (the row follows, for recovery)", { audit_id: row.id, attempts: n, row }, err);
    }
  }
  return stuck;
}

export const pendingAuditRows = () => st.queue.length;

/** Tests only: forget rows a test queued on purpose that can never be written. */
export function clearAuditQueueForTests(): void {
  st.queue.length = 0;
  if (st.timer) clearTimeout(st.timer);
  st.timer = null;
}
