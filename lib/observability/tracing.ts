// OpenTelemetry traces of the request pipeline, exported over OTLP/HTTP (JSON) when
// OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it nothing is registered and `withSpan` calls the
// function directly: the hot path pays nothing for tracing it does not use.
import { context, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { env } from "../env";
import { onInvocationEnd } from "../invocation";
import { log } from "../log";
import { processState } from "../process-state";

// Process state (lib/process-state.ts): Next bundles instrumentation.ts apart from the route handlers, so a module-level
// flag set at start would not be seen by the handlers.
const state = processState<{ vecstructTracing?: { shutdown: () => Promise<void>; flush: () => Promise<void> } }>("observability.tracing", () => ({}));

// Serverless (lib/invocation.ts): spans batched in memory are exported before the invocation ends.
onInvocationEnd("observability.tracing", "telemetry", async () => {
  await state.vecstructTracing?.flush().catch(() => {});
});

export async function startTracing(): Promise<void> {
  const e = env();
  if (state.vecstructTracing || !e.OTEL_EXPORTER_OTLP_ENDPOINT) return;
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
  state.vecstructTracing = { shutdown: () => provider.shutdown(), flush: () => provider.forceFlush() };
  log.info("tracing enabled", { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT });
}

export async function stopTracing(): Promise<void> {
  await state.vecstructTracing?.shutdown().catch(() => {});
}

export const tracingEnabled = () => state.vecstructTracing !== undefined;

/** Runs `fn` inside a span (child of the current one); records errors; a no-op wrapper when tracing is off. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!state.vecstructTracing) return fn(null);
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
