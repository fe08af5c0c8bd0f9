export async function register() {
  // Node.js server only (not the edge runtime, not the build).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // A bad configuration stops the server at start with its message, instead of a server that is up
    // and answers 500 on every route (health included) while the log repeats the error.
    const { env } = await import("./lib/env");
    try {
      env();
    } catch (err) {
      console.error(`[vecstruct] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
    const { startTracing } = await import("./lib/observability/tracing");
    await startTracing();
    const { startBackgroundWork } = await import("./lib/lifecycle");
    startBackgroundWork();
  }
}
