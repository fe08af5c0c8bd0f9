// The /v1 route handlers of Next's build, for scripts/server.mjs: every `app/v1/**/route` entry of
// .next/server/app-paths-manifest.json, loaded once at start with its exported methods, and matched
// as Next matches them (static segments before dynamic ones, catch-alls last). Parameters are handed
// over as Next hands them to route handlers: `[id]` as one raw segment, `[...id]` as raw segments.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

// What next.config.mjs's headers() adds to every response Next serves (CSP, framing, nosniff, referrer),
// read from it so that both ways of serving answer with the same headers.
const nextConfig = (await import("../next.config.mjs")).default;
export const SECURITY_HEADERS = (await nextConfig.headers()).flatMap((rule) => rule.headers.map((h) => [h.key.toLowerCase(), h.value]));

// Plain handlers outside /v1 that the lean server answers too, so that probes (health checks, metric
// scrapes) never load the console: no session, no Next request context.
export const LEAN_API_PAGES = ["/api/health/route", "/api/metrics/route"];

/** Whether a request path may be one of the lean server's routes. */
export const leanPath = (url) => url.startsWith("/v1/") || url === "/api/health" || url.startsWith("/api/health?") || url === "/api/metrics" || url.startsWith("/api/metrics?");

/** "/v1/responses/[id]/route" → its segments, and a rank: static first, then dynamic, catch-all last. */
function pattern(page) {
  const segments = page.replace(/\/route$/, "").split("/").filter(Boolean);
  const rank = segments.map((s) => (s.startsWith("[...") ? 2 : s.startsWith("[") ? 1 : 0));
  return { segments, rank };
}

/** Lower sorts first: compares segment kinds left to right (Next's specificity), then length. */
function compare(a, b) {
  for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
    const x = a.rank[i] ?? -1;
    const y = b.rank[i] ?? -1;
    if (x !== y) return x === -1 ? 1 : y === -1 ? -1 : x - y;
  }
  return 0;
}

/**
 * The /v1 pages of the build, each with a `load()` that requires its module on first use (as Next
 * loads routes lazily: what no request needs never takes memory).
 */
export function loadV1Routes(root) {
  const require = createRequire(path.join(root, "package.json"));
  const server = path.join(root, ".next", "server");
  const manifest = JSON.parse(readFileSync(path.join(server, "app-paths-manifest.json"), "utf8"));
  const routes = [];
  for (const [page, file] of Object.entries(manifest)) {
    if (!(page.startsWith("/v1/") || LEAN_API_PAGES.includes(page)) || !page.endsWith("/route")) continue;
    const load = async () => {
      const { routeModule } = require(path.join(server, file));
      await routeModule.ensureUserland();
      const userland = routeModule.userland;
      return Object.fromEntries(METHODS.filter((m) => typeof userland[m] === "function").map((m) => [m, userland[m]]));
    };
    routes.push({ page, load });
  }
  return routeTable(routes);
}

/** Pages with their handlers' loader (run once, on first use) → the match order. */
export function routeTable(pages) {
  return pages
    .map(({ page, load }) => {
      let loading = null;
      return { page, ...pattern(page), load: () => (loading ??= load()) };
    })
    .sort(compare);
}

/** The route and params for a request's path, or null (Next answers it). */
export function matchRoute(routes, url) {
  const pathname = url.split("?", 1)[0];
  const parts = pathname.split("/").filter(Boolean);
  for (const route of routes) {
    const params = {};
    let ok = true;
    let i = 0;
    for (const seg of route.segments) {
      if (seg.startsWith("[...")) {
        if (i >= parts.length) ok = false;
        else params[seg.slice(4, -1)] = parts.slice(i);
        i = parts.length;
        break;
      }
      const part = parts[i];
      if (part === undefined) {
        ok = false;
        break;
      }
      if (seg.startsWith("[")) params[seg.slice(1, -1)] = part;
      else if (seg !== part) {
        ok = false;
        break;
      }
      i += 1;
    }
    if (ok && i === parts.length) return { route, params };
  }
  return null;
}

/** The handler of a matched route for a method, loading the route on first use; null: not exported. */
export async function handlerFor(route, method) {
  const handlers = await route.load();
  return handlers[method] ?? null;
}
