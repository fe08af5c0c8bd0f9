// What one /v1 request contributes to its audit row, gathered along the pipeline and committed
// exactly once, whatever the outcome.
import { recordAudit, type AuditRecord } from "./writer";
import { observeRequest } from "../observability/metrics";
import type { Reservation } from "../billing/reserve";
import { randomBase62 } from "../crypto";
import { ApiError } from "../errors";
import type { Usage } from "../providers/types";
import type { KeyContext } from "../wire/key";
import { log } from "../log";
import { microsToUnits } from "../money";
import { env } from "../env";
import { MAX_MODEL_ID } from "../catalog/model-id";

const MAX_TEXT = 256 * 1024;
const logRequests = () => env().VECSTRUCT_LOG_REQUESTS;

/** Audit copies of requests keep structure but not megabytes of inline image data. */
function redactInlineData(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("data:") && value.length > 256 ? `${value.slice(0, 48)}…[${value.length} chars]` : value;
  if (Array.isArray(value)) return value.map(redactInlineData);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactInlineData(v)]));
  }
  return value;
}

/** One upstream attempt; `credential` is a credential id or env:<provider>#<n>, never a secret. */
export interface AuditAttempt {
  provider: string;
  model: string;
  credential: string | null;
  status: number | null;
  error_code: string | null;
  latency_ms: number;
}

export class AuditDraft {
  readonly id = `aud_${randomBase62(24)}`;
  readonly createdAt = new Date();
  private started = performance.now();
  private committed = false;
  private metadataOnly = false;
  /** The model as the client named it (audit row); `catalogModel` once it resolved to the catalog. */
  model: string | null = null;
  /** The catalog id the request resolved to: the only model string metrics may use as a label. */
  catalogModel: string | null = null;
  provider: string | null = null;
  stream = false;
  projectId: string;
  metadata: Record<string, unknown> | null = null;
  request: unknown = null;
  usage: Usage | null = null;
  usageEstimated = false;
  reservation: Reservation | null = null;
  ragSources: unknown[] | null = null;
  injected: unknown[] | null = null;
  memoryIds: string[] = [];
  /** The response cache's outcome (docs/policies.md); null when it did not apply. */
  cache: "hit" | "miss" | "bypass" | null = null;
  cacheSourceAuditId: string | null = null;
  /** What the project's guardrails did (docs/policies.md): counts per detector, action and side, never the text. */
  guardrails: { detector: string; action: string; where: string; count: number }[] | null = null;
  /** Called once with the request's total tokens when the row is committed (rate-limit accounting). */
  onCommit: ((totalTokens: number) => void) | null = null;
  ttftMs: number | null = null;
  costMicros = 0n;
  creditsMicros = 0n;
  responseText = "";
  attempts: AuditAttempt[] = [];

  constructor(
    readonly key: KeyContext,
    private readonly endpoint: string,
    private readonly origin: "api" | "internal" = "api",
  ) {
    this.projectId = key.projectId;
  }

  setRequest(body: Record<string, unknown>) {
    if (this.metadataOnly) return;
    const { vecstruct: _ext, ...rest } = body;
    this.request = redactInlineData(rest);
  }

  /** The project keeps no prompts or answers in its audit log (DESIGN.md §2). */
  keepMetadataOnly() {
    this.metadataOnly = true;
    this.request = null;
  }

  /** The request's model is a catalog entry (the row and the metrics name it by its catalog id). */
  resolveModel(id: string) {
    this.model = id;
    this.catalogModel = id;
  }

  /** The work began before the row was opened (latency counts from there). */
  startedAt(t: number) {
    this.started = t;
  }

  markFirstToken() {
    this.ttftMs ??= Math.round(performance.now() - this.started);
  }

  appendText(text: string) {
    if (this.responseText.length < MAX_TEXT) this.responseText += text.slice(0, MAX_TEXT - this.responseText.length);
  }

  success(httpStatus = 200) {
    this.commit({ status: "success", httpStatus, errorCode: null, errorMessage: null });
  }

  failure(err: unknown, httpStatus?: number) {
    const e = err instanceof ApiError ? err : null;
    this.commit({
      status: "error",
      httpStatus: httpStatus ?? e?.status ?? 500,
      errorCode: e?.code ?? "internal_error",
      errorMessage: e?.message ?? "internal error",
    });
  }

  /** A failure that is not an ApiError of the request (e.g. a document that could not be ingested). */
  failWith(httpStatus: number, errorCode: string, errorMessage: string) {
    this.commit({ status: "error", httpStatus, errorCode, errorMessage });
  }

  private commit(outcome: Pick<AuditRecord, "status" | "httpStatus" | "errorCode" | "errorMessage">) {
    if (this.committed) return;
    this.committed = true;
    const u = this.usage;
    this.onCommit?.(u?.total_tokens ?? 0);
    const record: AuditRecord = {
      id: this.id,
      orgId: this.key.orgId,
      projectId: this.projectId,
      apiKeyId: this.origin === "internal" || this.key.consoleUserId ? null : this.key.id,
      origin: this.origin,
      endpoint: this.endpoint,
      model: this.model && this.model.length > MAX_MODEL_ID ? this.model.slice(0, MAX_MODEL_ID) : this.model,
      provider: this.provider,
      stream: this.stream,
      promptTokens: u?.prompt_tokens ?? 0,
      completionTokens: u?.completion_tokens ?? 0,
      reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
      cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
      usageEstimated: this.usageEstimated,
      latencyMs: Math.round(performance.now() - this.started),
      ttftMs: this.ttftMs,
      costMicros: this.costMicros,
      creditsMicros: this.creditsMicros,
      metadata: this.metadata,
      attempts: this.attempts.length ? this.attempts : null,
      request: this.metadataOnly ? null : this.request,
      responseText: this.metadataOnly ? null : this.responseText || null,
      createdAt: this.createdAt,
      reservation: this.reservation,
      ragSources: this.ragSources,
      memoryUsed: this.memoryIds.length > 0,
      memoryIds: this.memoryIds.length > 0 ? this.memoryIds : null,
      injected: this.metadataOnly ? null : this.injected,
      cache: this.cache,
      cacheSourceAuditId: this.cacheSourceAuditId,
      guardrails: this.guardrails,
      ...outcome,
    };
    recordAudit(record);
    observeRequest({ ...record, catalogModel: this.catalogModel, attempts: this.attempts });
    if (logRequests()) {
      log.info("request", {
        audit_id: record.id,
        endpoint: record.endpoint,
        model: record.model,
        provider: record.provider,
        status: record.status,
        http_status: record.httpStatus,
        error_code: record.errorCode,
        latency_ms: record.latencyMs,
        ttft_ms: record.ttftMs,
        prompt_tokens: record.promptTokens,
        completion_tokens: record.completionTokens,
        cost_usd: microsToUnits(record.costMicros),
        attempts: this.attempts.length,
      });
    }
  }
}
