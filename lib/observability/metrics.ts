// Prometheus metrics (GET /api/metrics). Recorded once per request when its audit row is committed,
// so every outcome counts exactly once and the hot path pays a few label lookups.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { microsToUnits } from "../money";
import { processState } from "../process-state";

export interface RequestObservation {
  endpoint: string;
  origin: string;
  model: string | null;
  /** The catalog id the request resolved to; null when it never did (unknown model, bad body). */
  catalogModel: string | null;
  provider: string | null;
  status: "success" | "error";
  httpStatus: number;
  errorCode: string | null;
  stream: boolean;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number;
  completionTokens: number;
  costMicros: bigint;
  attempts: { provider: string; error_code: string | null }[] | null;
  cache?: "hit" | "miss" | "bypass" | null;
  guardrails?: { detector: string; action: string; where: string; count: number }[] | null;
}

type Depths = Record<string, () => number>;

interface Metrics {
  registry: Registry;
  requests: Counter<"endpoint" | "origin" | "model" | "provider" | "status" | "code">;
  duration: Histogram<"endpoint" | "stream">;
  ttft: Histogram<"model">;
  tokens: Counter<"model" | "kind">;
  cost: Counter<"model">;
  upstreamErrors: Counter<"provider" | "code">;
  cache: Counter<"endpoint" | "result">;
  guardrails: Counter<"detector" | "action" | "where">;
  depths: Depths;
}


function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vecstruct_" });
  const depths: Depths = {};
  new Gauge({
    name: "vecstruct_queue_depth",
    help: "Work waiting in background queues (audit rows to write, documents to ingest, memories to learn).",
    labelNames: ["queue"],
    registers: [registry],
    collect() {
      for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth());
    },
  });
  return {
    registry,
    depths,
    requests: new Counter({ name: "vecstruct_requests_total", help: "Audited /v1 requests by outcome.", labelNames: ["endpoint", "origin", "model", "provider", "status", "code"], registers: [registry] }),
    duration: new Histogram({
      name: "vecstruct_request_duration_seconds",
      help: "Time from the request to its last byte.",
      labelNames: ["endpoint", "stream"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    ttft: new Histogram({
      name: "vecstruct_time_to_first_token_seconds",
      help: "Time from the request to the first content token.",
      labelNames: ["model"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    tokens: new Counter({ name: "vecstruct_tokens_total", help: "Tokens billed, prompt and completion.", labelNames: ["model", "kind"], registers: [registry] }),
    cost: new Counter({ name: "vecstruct_cost_usd_total", help: "USD charged for upstream tokens.", labelNames: ["model"], registers: [registry] }),
    upstreamErrors: new Counter({ name: "vecstruct_upstream_errors_total", help: "Failed upstream attempts (retried or not).", labelNames: ["provider", "code"], registers: [registry] }),
    cache: new Counter({ name: "vecstruct_cache_requests_total", help: "Requests the response cache applied to, by result (hit, miss, bypass).", labelNames: ["endpoint", "result"], registers: [registry] }),
    guardrails: new Counter({
      name: "vecstruct_guardrail_matches_total",
      help: "Guardrail matches by detector, action and side (input, output).",
      labelNames: ["detector", "action", "where"],
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  return processState("observability.metrics", create);
}

/** A background queue reports its depth when metrics are scraped. */
export function registerQueue(name: string, depth: () => number): void {
  metrics().depths[name] = depth;
}

/**
 * Label values must come from a bounded set, or every distinct client string becomes a series kept
 * forever (DESIGN.md §3b): catalog ids only; a model that never resolved is "unknown".
 */
export function modelLabel(o: Pick<RequestObservation, "model" | "catalogModel">): string {
  if (o.catalogModel) return o.catalogModel;
  return o.model ? "unknown" : "none";
}

export function observeRequest(o: RequestObservation): void {
  const m = metrics();
  const model = modelLabel(o);
  m.requests.inc({ endpoint: o.endpoint, origin: o.origin, model, provider: o.provider ?? "none", status: String(o.httpStatus), code: o.errorCode ?? "" });
  m.duration.observe({ endpoint: o.endpoint, stream: String(o.stream) }, o.latencyMs / 1000);
  if (o.ttftMs !== null) m.ttft.observe({ model }, o.ttftMs / 1000);
  if (o.promptTokens) m.tokens.inc({ model, kind: "prompt" }, o.promptTokens);
  if (o.completionTokens) m.tokens.inc({ model, kind: "completion" }, o.completionTokens);
  if (o.costMicros > 0n) m.cost.inc({ model }, microsToUnits(o.costMicros));
  for (const a of o.attempts ?? []) if (a.error_code) m.upstreamErrors.inc({ provider: a.provider, code: a.error_code });
  if (o.cache) m.cache.inc({ endpoint: o.endpoint, result: o.cache });
  // Detector, action and side come from fixed lists (lib/guardrails): bounded label values.
  for (const g of o.guardrails ?? []) m.guardrails.inc({ detector: g.detector, action: g.action, where: g.where }, g.count);
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
