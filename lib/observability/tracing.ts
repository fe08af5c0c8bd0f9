// OpenTelemetry traces of the request pipeline, exported over OTLP/HTTP (JSON) when
// OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it nothing is registered and `withSpan` calls the
// function directly: the hot path pays nothing for tracing it does not use.
import { context, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { env } from "../env";
import { log } from "../log";

// On globalThis: Next bundles this module into the instrumentation hook and into each route's
// chunk separately, so a module-level flag set at start stayed false where spans are made.
const state = globalThis as unknown as { vecstructTracing?: { enabled: boolean; shutdown: (() => Promise<void>) | null } };
state.vecstructTracing ??= { enabled: false, shutdown: null };
const tracing = state.vecstructTracing;

export async function startTracing(): Promise<void> {
  const e = env();
  if (tracing.enabled || !e.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": e.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  provider.register();
  tracing.enabled = true;
  tracing.shutdown = () => provider.shutdown();
  log.info("tracing enabled", { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT });
}

export async function stopTracing(): Promise<void> {
  await tracing.shutdown?.().catch(() => {});
}

export const tracingEnabled = () => tracing.enabled;

/** Runs `fn` inside a span (child of the current one); records errors; a no-op wrapper when tracing is off. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!tracing.enabled) return fn(null);
  return trace.getTracer("vecstruct").startActiveSpan(name, { attributes }, context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
