// `npm run bench`: the same load against the mock upstream directly and through vecstruct (auth,
// routing and audit on), non-streaming and streaming, at concurrency 1, 10 and 100. Prints
// requests/s, p50/p99 latency, time to first byte for streams, and the gateway's added cost.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mockPort, peakRssMb, startChild, waitHealthy } from "./harness.mjs";
import { percentile, runLoad } from "./load.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN = "vs-bench-admin-key-0123456789abcdef";
const PORT = Number(process.env.BENCH_PORT ?? 3199);
const scale = Number(process.env.BENCH_SCALE ?? 1); // BENCH_SCALE=0.2 for a quick look
const PLAN = [
  { concurrency: 1, requests: Math.round(400 * scale) },
  { concurrency: 10, requests: Math.round(2000 * scale) },
  { concurrency: 100, requests: Math.round(4000 * scale) },
];

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");

async function main() {
  const mock = startChild(["bench/mock-upstream.mjs"], {});
  const upstreamPort = await mockPort(mock);
  const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-bench-"));
  const app = startChild(["scripts/start.mjs"], {
    NODE_ENV: "production",
    PORT: String(PORT),
    VECSTRUCT_HOST: "127.0.0.1",
    VECSTRUCT_DATA_DIR: dataDir,
    DATABASE_URL: "",
    VECSTRUCT_ADMIN_KEY: ADMIN,
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
  });
  app.stdout.on("data", () => {});
  const cleanup = () => {
    app.kill("SIGTERM");
    mock.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const gateway = `http://127.0.0.1:${PORT}`;
    await waitHealthy(`${gateway}/api/health`);
    const adminPost = async (p, body) =>
      (await fetch(`${gateway}${p}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
    const project = await adminPost("/api/projects", { name: "bench" });
    const { key } = await adminPost("/api/keys", { name: "bench", project_id: project.id });
    // Billing is on: fund the organization so no request is refused with 402.
    await adminPost("/api/billing/topup", { usd: 1_000_000, note: "benchmark" });

    const targets = {
      direct: { origin: `http://127.0.0.1:${upstreamPort}`, path: "/v1/chat/completions", headers: { authorization: "Bearer sk-bench" }, model: "gpt-4o" },
      vecstruct: { origin: gateway, path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}` }, model: "openai/gpt-4o" },
    };
    const bodyFor = (t, stream) => ({ model: t.model, messages: [{ role: "user", content: "Say hello." }], max_tokens: 256, ...(stream ? { stream: true } : {}) });

    // Warm-up: JIT, connection pools, caches.
    for (const t of Object.values(targets)) {
      for (const stream of [false, true]) await runLoad({ ...t, body: bodyFor(t, stream), concurrency: 10, requests: Math.round(500 * Math.max(scale, 0.2)) });
    }

    const rows = [];
    for (const stream of [false, true]) {
      for (const { concurrency, requests } of PLAN) {
        const result = {};
        // Interleaved: direct, then vecstruct, at the same concurrency.
        for (const [name, t] of Object.entries(targets)) {
          const r = await runLoad({ ...t, body: bodyFor(t, stream), concurrency, requests });
          result[name] = { rps: r.rps, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), ttft50: percentile(r.ttfts, 50), errors: r.errors };
        }
        rows.push({ mode: stream ? "stream" : "non-stream", concurrency, requests, ...result });
      }
    }
    const rss = peakRssMb(app.pid);
    const failed = rows.reduce((n, r) => n + r.direct.errors + r.vecstruct.errors, 0);

    console.log(`\nvecstruct benchmark — ${new Date().toISOString()} — node ${process.version}, loopback mock upstream answering instantly`);
    console.log("mode        c    direct rps  vecstruct rps  ratio   direct p50/p99 ms   vecstruct p50/p99 ms   added p50 ms  added TTFT ms  errors");
    for (const r of rows) {
      const d = r.direct;
      const v = r.vecstruct;
      console.log(
        [
          r.mode.padEnd(10),
          String(r.concurrency).padStart(4),
          fmt(d.rps, 0).padStart(11),
          fmt(v.rps, 0).padStart(14),
          fmt(v.rps / d.rps, 2).padStart(6),
          `${fmt(d.p50, 2)}/${fmt(d.p99, 2)}`.padStart(19),
          `${fmt(v.p50, 2)}/${fmt(v.p99, 2)}`.padStart(22),
          fmt(v.p50 - d.p50, 2).padStart(13),
          (r.mode === "stream" ? fmt(v.ttft50 - d.ttft50, 2) : "—").padStart(14),
          String(d.errors + v.errors).padStart(7),
        ].join(" "),
      );
    }
    console.log(`peak RSS of the vecstruct process tree: ${rss} MB`);
    if (failed > 0) console.log(`WARNING: ${failed} requests failed: the numbers above are not comparable`);
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    const out = path.join(root, "bench/results/latest.json");
    writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, rows, peakRssMb: rss }, null, 2));
    console.log(`JSON: ${path.relative(root, out)}`);
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
