// The /v1 pipeline every endpoint shares (DESIGN §4). Before any handler runs it authenticates,
// opens the audit row, admits the key's limits, reads the body (capped), applies the project's
// metadata-only rule, parses the dialect's schema, resolves the project and admits the project's
// limits. An endpoint declares its dialect and handles a parsed, admitted request; whatever it
// throws is answered in the dialect's error shape and audited once.
import type { z } from "zod";
import { parseWith } from "../http/validation";
import { AuditDraft } from "../audit/draft";
import { env } from "../env";
import { finishAfterResponse } from "../invocation";
import { errorResponse } from "../errors";
import { withSpan } from "../observability/tracing";
import { upstreamRateLimitHeaders } from "../upstream/call";
import { authenticateApiKey, type KeyContext } from "./auth";
import { readJsonBodyAdmitted } from "../http/body";
import type { Release } from "../http/body-admission";
import { keepsMetadataOnly, resolveProject, type ProjectContext } from "./projects";
import { RequestLimits } from "../ratelimit";
import { RequestGuard } from "./guard";
import { authenticateSession, wantsSessionAuth } from "./session-auth";

/** The `vecstruct` request object's part the pipeline reads (every dialect carries it top-level). */
export interface Extension {
  project_id?: string;
  metadata?: Record<string, unknown>;
}

/**
 * A wire format a front door speaks: chat (OpenAI Chat Completions), embeddings, rerank today;
 * Anthropic Messages and OpenAI Responses plug in the same way with their own schema and errors.
 */
export interface Dialect<S extends z.ZodType> {
  schema: S;
  /** The client's request as the audit row keeps it (bulk inputs replaced); default: the raw body. */
  auditCopy?: (raw: Record<string, unknown>) => Record<string, unknown>;
  /** Checks beyond the schema (sizes), run before the project is resolved. */
  check?: (body: z.infer<S>) => void;
  extension: (body: z.infer<S>) => Extension | undefined;
  stream?: (raw: Record<string, unknown>) => boolean;
  /** The API key may also come in Anthropic's `x-api-key` header (the Messages dialect). */
  xApiKey?: boolean;
  /** The project's guardrails scan this dialect's requests (lib/gateway/guard.ts); false for embeddings and rerank. */
  guardrails?: boolean;
  /** The dialect's error body; default OpenAI's. */
  errorResponse?: (err: unknown, headers: Record<string, string>, fields: Record<string, unknown>) => Response;
}

export interface RequestContext<B> {
  key: KeyContext;
  audit: AuditDraft;
  body: B;
  raw: Record<string, unknown>;
  project: ProjectContext;
  abort: AbortController;
  warnings: string[];
  /** The client's request headers and URL (e.g. `anthropic-version` / `anthropic-beta`, `?beta=true`). */
  headers: Headers;
  url: string;
  /** The project's guardrails, when it has rules and the dialect is scanned (the request is already redacted). */
  guard: RequestGuard | null;
}

export function auditHeaders(audit: AuditDraft, warnings: string[]): Record<string, string> {
  const h: Record<string, string> = { "x-vecstruct-audit-id": audit.id };
  if (warnings.length > 0) h["x-vecstruct-warnings"] = encodeURIComponent(warnings.join("; ")).slice(0, 4000);
  return h;
}

/** A /v1 endpoint: unauthenticated requests are not audited; every other outcome is, once. */
export function endpoint<S extends z.ZodType>(route: string, dialect: Dialect<S>, handle: (ctx: RequestContext<z.infer<S>>) => Promise<Response>) {
  const fail = dialect.errorResponse ?? errorResponse;
  return async (req: Request): Promise<Response> => {
    // VERCEL=1: the audit row, its settlement and the jobs this request queues (memory learning) are
    // written before the invocation ends, through after() (lib/invocation.ts).
    finishAfterResponse();
    let key: KeyContext;
    try {
      // The console session path is taken only when no key was sent at all.
      const xApiKey = dialect.xApiKey === true;
      key = wantsSessionAuth(req.headers, { xApiKey }) ? await authenticateSession(req) : await authenticateApiKey(req.headers, { xApiKey });
    } catch (err) {
      return fail(err, {}, {});
    }
    const audit = new AuditDraft(key, route);
    const warnings: string[] = [];
    const limits = new RequestLimits(audit.id);
    const abort = new AbortController();
    req.signal?.addEventListener("abort", () => abort.abort(), { once: true });
    let releaseBody: Release | null = null;
    // The audit commit is the one place every outcome passes: slots and the body's memory are freed and tokens counted there.
    audit.onCommit = (tokens) => {
      releaseBody?.();
      limits.settle(tokens);
    };
    try {
      await limits.admit("key", key.id, { rpm: key.rpmLimit, tpm: key.tpmLimit, concurrent: key.maxConcurrent });
      const e = env();
      const read = await readJsonBodyAdmitted(req, e.VECSTRUCT_MAX_BODY_BYTES, e.VECSTRUCT_BODY_QUEUE_TIMEOUT_MS);
      releaseBody = read.release;
      let raw = read.value as Record<string, unknown>;
      if (typeof raw.model === "string") audit.model = raw.model;
      // Known before validation: a refused body must not store what a metadata-only project keeps out.
      if (await keepsMetadataOnly(key, raw)) audit.keepMetadataOnly();
      audit.stream = dialect.stream?.(raw) ?? false;
      audit.setRequest(dialect.auditCopy ? dialect.auditCopy(raw) : raw);
      let body = parseWith(dialect.schema, raw);
      dialect.check?.(body);
      const ext = dialect.extension(body);
      audit.metadata = ext?.metadata ?? null;
      const project = await resolveProject(key, ext?.project_id);
      audit.projectId = project.id;
      if (project.keepMetadataOnly) audit.keepMetadataOnly();
      // Input guardrails before anything reads the request (limits, context, cache, upstream, the audit copy).
      const guard = dialect.guardrails && project.guardrails.length > 0 ? new RequestGuard(project.guardrails, audit, warnings) : null;
      if (guard) {
        const redacted = guard.request(raw);
        if (redacted !== raw) {
          raw = redacted;
          body = parseWith(dialect.schema, raw);
          audit.setRequest(dialect.auditCopy ? dialect.auditCopy(raw) : raw);
        }
      }
      await limits.admit("project", project.id, project.limits);
      const res = await withSpan("vecstruct.request", { "vecstruct.endpoint": route, "vecstruct.audit_id": audit.id }, async (span) => {
        const r = await handle({ key, audit, body, raw, project, abort, warnings, headers: req.headers, url: req.url, guard });
        span?.setAttributes({ "vecstruct.model": audit.model ?? "", "http.response.status_code": r.status });
        return r;
      });
      for (const [k, v] of Object.entries(limits.headers)) res.headers.set(k, v);
      return res;
    } catch (err) {
      abort.abort();
      upstreamRateLimitHeaders(err);
      audit.failure(err);
      return fail(err, { ...limits.headers, ...auditHeaders(audit, warnings) }, { audit_id: audit.id });
    }
  };
}
