import { z } from "zod";
import { inScope, type Scope } from "../tenancy/scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { db } from "../db";
import { env } from "../env";
import { serverless } from "../invocation";
import { microsToUnits as units } from "../money";
import { flushAuditRow } from "./writer";
import { notFound } from "../errors";
import type { Prisma } from "../generated/sqlite/client";

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const auditListQuery = z.strictObject({
  ...pageQuery,
  project_id: z.string().min(1).optional(),
  api_key_id: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.enum(["success", "error"]).optional(),
  origin: z.enum(["api", "internal"]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

type Row = Prisma.AuditLogGetPayload<object>;

export function serializeAuditRow(r: Row) {
  return {
    id: r.id,
    object: "audit_log",
    created_at: r.createdAt.toISOString(),
    origin: r.origin,
    project_id: r.projectId,
    api_key_id: r.apiKeyId,
    endpoint: r.endpoint,
    model: r.model,
    provider: r.provider,
    status: r.status,
    http_status: r.httpStatus,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    stream: r.stream,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    reasoning_tokens: r.reasoningTokens,
    cached_tokens: r.cachedTokens,
    usage_estimated: r.usageEstimated,
    latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs,
    cost_usd: units(r.costMicros),
    credits: units(r.creditsMicros),
    metadata: r.metadata ?? null,
    rag_sources: r.ragSources ?? [],
    memory_used: r.memoryUsed,
    memory_ids: r.memoryIds ?? [],
    attempts: r.attempts ?? [],
    cache: r.cache ?? null,
    cache_source_audit_id: r.cacheSourceAuditId ?? null,
    guardrails: r.guardrails ?? [],
  };
}

export function serializeAuditDetail(r: Row) {
  return { ...serializeAuditRow(r), request: r.request ?? null, injected: r.injected ?? [], response_text: r.responseText };
}

/** Filters shared by the list, the CSV export and usage. `to` is exclusive; a bare date means its whole day. */
export function auditWhere(scope: Scope, q: Partial<AuditListQuery>): Prisma.AuditLogWhereInput {
  const toDate = q.to ? new Date(q.to.length === 10 ? Date.parse(q.to) + 86_400_000 : q.to) : undefined;
  return {
    orgId: scope.orgId,
    ...(q.project_id ? { projectId: q.project_id } : {}),
    ...(q.api_key_id ? { apiKeyId: q.api_key_id } : {}),
    ...(q.model ? { model: q.model } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.origin ? { origin: q.origin } : {}),
    ...(q.from || toDate ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(toDate ? { lt: toDate } : {}) } } : {}),
  };
}

export async function listAuditLogs(scope: Scope, q: AuditListQuery) {
  const args = pageArgs(q);
  const rows = await db().auditLog.findMany({ ...args, where: { AND: [auditWhere(scope, q), args.where] } });
  return toPage(rows, q.limit, serializeAuditRow);
}

/** How long another instance may still hold a row it just answered with (its flush interval and a write). */
const OTHER_INSTANCE_WAIT_MS = 400;
/** The shape of the ids the gateway hands out (`aud_` + 24 base62 characters). */
const AUDIT_ID = /^aud_[0-9A-Za-z]{24}$/;

/**
 * Read-your-writes: a response's audit id is readable as soon as the client has it. This process writes
 * its own pending row first (flushAuditRow). Behind a load balancer the row may sit in another
 * instance's batch (at most its flush interval plus the write), so on PostgreSQL (the multi-instance
 * setup) a well-formed id that is not found yet is looked up once more after that time. Serverless
 * (VERCEL=1), the answering invocation writes its rows in after(), right after its response, on a
 * connection that may be cold: up to three more looks, 400 ms apart.
 */
export async function getAuditLog(scope: Scope, id: string) {
  const find = () => db().auditLog.findFirst({ where: { id, ...inScope(scope) } });
  let row = await find();
  if (!row && (await flushAuditRow(id))) row = await find();
  if (!row && env().dialect === "postgres" && AUDIT_ID.test(id)) {
    for (let look = 0, looks = serverless() ? 3 : 1; !row && look < looks; look++) {
      await new Promise((r) => setTimeout(r, OTHER_INSTANCE_WAIT_MS));
      row = await find();
    }
  }
  if (!row) throw notFound("Audit log");
  return serializeAuditDetail(row);
}

const CSV_COLUMNS = [
  "id", "created_at", "origin", "project_id", "api_key_id", "endpoint", "model", "provider", "status", "http_status", "error_code",
  "stream", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "latency_ms", "ttft_ms", "cost_usd", "credits", "metadata",
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  // Quote always; neutralise spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** CSV of every matching row, newest first, streamed page by page. */
export function auditCsv(scope: Scope, q: AuditListQuery): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(`${CSV_COLUMNS.join(",")}\n`));
      }
      const page = await listAuditLogs(scope, { ...q, limit: 200, cursor });
      const lines = page.data.map((r) => CSV_COLUMNS.map((c) => csvCell((r as Record<string, unknown>)[c])).join(",")).join("\n");
      if (lines) controller.enqueue(enc.encode(`${lines}\n`));
      if (!page.next_cursor) controller.close();
      cursor = page.next_cursor ?? undefined;
    },
  });
}
