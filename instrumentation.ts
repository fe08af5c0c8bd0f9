export async function register() {
  // Node.js server only (not the edge runtime, not the build).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startTracing } = await import("./lib/observability/tracing");
    await startTracing();
    const { startBackgroundWork } = await import("./lib/lifecycle");
    startBackgroundWork();
  }
}
