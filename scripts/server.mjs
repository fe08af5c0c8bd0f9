// The production server (`npm start` runs it; DESIGN §4): a plain Node HTTP server that owns the port,
// serves `/v1/*` (and the health and metrics probes) by calling the route handlers of Next's build
// directly (a web Request in, the handler's web Response streamed out), and hands every other path (console, /api, assets) and any
// /v1 method a route does not export to Next's own request handler. Next's router, its Node ↔ web
// conversions and its compression stay off the gateway's hot path; the route files remain the entry
// points for `next dev` and Vercel, so both paths run the same handlers.
//
//   node scripts/server.mjs --port 3000 [--hostname 127.0.0.1]
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sendWeb, webRequest } from "./v1-bridge.mjs";
import { handlerFor, leanPath, loadV1Routes, matchRoute } from "./v1-routes.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT || "3000" }, hostname: { type: "string" } } });
const port = Number(values.port);
const hostname = values.hostname;

// Next (the console, /api) is loaded on the first request that needs it: a gateway that only serves
// /v1 never holds the console's code, React's renderer or the SWC binary Next loads to read
// next.config.mjs (~90 MB of RSS). The start-up work Next would run from instrumentation.ts (the
// configuration check, tracing, background jobs) is run here instead; when Next loads later it runs
// register() again, which finds everything started (lib/lifecycle.ts, lib/observability/tracing.ts).
process.env.NEXT_RUNTIME = "nodejs";
require("next/dist/server/node-environment");
await require(path.join(root, ".next", "server", "instrumentation.js")).register();
let nextLoading = null;
function loadNext() {
  nextLoading ??= (async () => {
    const next = require("next");
    const app = next({ dev: false, dir: root, hostname: hostname ?? "localhost", port });
    await app.prepare();
    console.log("[vecstruct] console loaded (first request outside /v1)");
    return app.getRequestHandler();
  })();
  return nextLoading;
}
const nextHandler = async (req, res) => (await loadNext())(req, res);
const routes = loadV1Routes(root);

async function serveV1(route, params, req, res) {
  try {
    const handler = await handlerFor(route, req.method ?? "GET");
    // A method the route does not export (405), HEAD, OPTIONS: Next answers as it always has.
    if (!handler) return void (await nextHandler(req, res));
    const response = await handler(webRequest(req, res, port), { params: Promise.resolve(params) });
    await sendWeb(response, res);
  } catch (err) {
    // Handlers answer their own errors; reaching here is a bug. Never echo it.
    console.error(JSON.stringify({ ts: new Date().toISOString(), level: "error", msg: "v1 handler threw", error: err instanceof Error ? err.message : String(err) }));
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Internal server error.", type: "api_error", param: null, code: "internal_error" } }));
    } else res.destroy();
  }
}

const server = http.createServer((req, res) => {
  const hit = req.url && leanPath(req.url) ? matchRoute(routes, req.url) : null;
  if (hit) return void serveV1(hit.route, hit.params, req, res);
  nextHandler(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
// As Next's own server: long-lived streams, keep-alive longer than common proxies' idle timeout.
server.keepAliveTimeout = 65_000;
server.requestTimeout = 0;
server.listen(port, hostname, () => console.log(`[vecstruct] ready on http://${hostname ?? "localhost"}:${port}`));

// lib/lifecycle.ts (started by Next's instrumentation) flushes queued audit rows and exits on these
// signals; the server only stops taking connections, with a last-resort exit if that never comes.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 8_000);
  });
}
