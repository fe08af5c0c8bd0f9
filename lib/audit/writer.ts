// Audit rows are written off the hot path: requests enqueue, a timer flushes in batches. A failed
// flush keeps the rows and retries, so a database hiccup delays rows instead of losing them.
import { insertRows } from "../db-raw";

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
}

const BATCH = 200;
const INTERVAL_MS = 100;
const queue: AuditRecord[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> | null = null;
let failures = 0;

export function recordAudit(record: AuditRecord): void {
  queue.push(record);
  schedule(queue.length >= BATCH ? 0 : INTERVAL_MS);
}

function schedule(delay: number) {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    void flushAudit();
  }, delay);
  timer.unref?.();
}

async function writeBatch(batch: AuditRecord[]) {
  await insertRows("audit_logs", batch as unknown as Record<string, unknown>[]);
}

/** Writes everything queued so far; resolves when it is in the database (tests, shutdown). */
export async function flushAudit(): Promise<void> {
  if (flushing) {
    await flushing;
    if (queue.length === 0) return;
  }
  flushing = (async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, BATCH);
      try {
        await writeBatch(batch);
        failures = 0;
      } catch (err) {
        queue.unshift(...batch);
        failures += 1;
        console.error(`[vecstruct] audit flush failed (${queue.length} rows kept, retrying)`, err instanceof Error ? err.message : err);
        if (timer) clearTimeout(timer);
        timer = null;
        schedule(Math.min(30_000, 200 * 2 ** failures));
        return;
      }
    }
  })().finally(() => {
    flushing = null;
  });
  await flushing;
}

export const pendingAuditRows = () => queue.length;
