// `npm run bench:load`: many requests at high concurrency through vecstruct while the upstream
// fails a share of its calls (500, 429, socket cuts, first bytes slower than the gateway waits).
// Prints throughput, latency percentiles and outcomes, then checks the books: one audit row per
// request, ledger = sum of audited costs, balance = ledger, nothing left reserved.
//   LOAD_REQUESTS=5000 LOAD_CONCURRENCY=100 FAULT_RATE=0.05 npm run bench:load
//   npm run bench:load -- --soak 10      (10 minutes at LOAD_CONCURRENCY, memory sampled every 10 s)
import Database from "better-sqlite3";
import { rmSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { currentRssMb, peakRssMb, startStack, waitHealthy } from "./harness.mjs";
import { percentile } from "./load.mjs";

const ADMIN = "vs-load-admin-key-0123456789abcdef";
const PORT = Number(process.env.BENCH_PORT ?? 3198);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 100);
const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0.05);
const soakAt = process.argv.indexOf("--soak");
const SOAK_MINUTES = soakAt === -1 ? 0 : Number(process.argv[soakAt + 1] ?? 5);

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One request, read to the end; classified by what the client saw. */
async function once(pool, key, stream) {
  const body = JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Say hello." }], max_tokens: 64, ...(stream ? { stream: true } : {}) });
  const t0 = performance.now();
  try {
    const res = await pool.request({ method: "POST", path: "/v1/chat/completions", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body });
    const text = await res.body.text();
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) {
      let code = "?";
      try {
        code = JSON.parse(text).error.code;
      } catch {
        // not our error format: counted as such
      }
      return { ms, outcome: `http ${res.statusCode} ${code}` };
    }
    if (!stream) return { ms, outcome: "ok" };
    if (text.includes("data: [DONE]")) return { ms, outcome: "ok" };
    const m = /data: (\{"error".*\})\n\n$/.exec(text);
    return { ms, outcome: m ? `stream error ${JSON.parse(m[1]).error.code}` : "stream ended without [DONE] or error" };
  } catch (err) {
    return { ms: performance.now() - t0, outcome: `client error ${err.code ?? err.message}` };
  }
}

async function drive(pool, key, { requests, until }) {
  const latencies = [];
  const outcomes = new Map();
  let sent = 0;
  const started = performance.now();
  const more = () => (until ? Date.now() < until : sent < requests);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (more()) {
        sent += 1;
        const r = await once(pool, key, sent % 2 === 0);
        latencies.push(r.ms);
        outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      }
    }),
  );
  return { sent, latencies, outcomes, seconds: (performance.now() - started) / 1000 };
}

/** The books, read from the database once every row is written. */
async function books(dbFile, keyId, orgId, sent) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const count = () => db.prepare(`SELECT COUNT(*) AS n FROM audit_logs WHERE "apiKeyId" = ?`).get(keyId).n;
    const deadline = Date.now() + 60_000;
    while (count() < sent && Date.now() < deadline) await sleep(200);
    await sleep(500); // a late batch would show up as rows > sent
    const rows = count();
    const cost = BigInt(db.prepare(`SELECT COALESCE(SUM("costMicros"), 0) AS s FROM audit_logs WHERE "apiKeyId" = ?`).safeIntegers().get(keyId).s);
    const charged = -BigInt(
      db.prepare(`SELECT COALESCE(SUM(l."amountMicros"), 0) AS s FROM ledger_entries l JOIN audit_logs a ON a.id = l."auditLogId" WHERE a."apiKeyId" = ? AND l.currency = 'usd'`).safeIntegers().get(keyId).s,
    );
    const ledger = BigInt(db.prepare(`SELECT COALESCE(SUM("amountMicros"), 0) AS s FROM ledger_entries WHERE "orgId" = ? AND currency = 'usd'`).safeIntegers().get(orgId).s);
    const org = db.prepare(`SELECT "usdMicros" AS usd, "reservedUsdMicros" AS reserved FROM organizations WHERE id = ?`).safeIntegers().get(orgId);
    const attempts = db.prepare(`SELECT attempts FROM audit_logs WHERE "apiKeyId" = ?`).all(keyId).reduce((n, r) => n + (r.attempts ? JSON.parse(r.attempts).length : 0), 0);
    const estimated = db.prepare(`SELECT COUNT(*) AS n FROM audit_logs WHERE "apiKeyId" = ? AND "usageEstimated" = 1`).get(keyId).n;
    return { rows, cost, charged, ledger, balance: BigInt(org.usd), reserved: BigInt(org.reserved), attempts, estimated };
  } finally {
    db.close();
  }
}

function report(run, b, faults, rss) {
  const { sent, latencies, outcomes, seconds } = run;
  console.log(`requests ${sent} at concurrency ${CONCURRENCY}, upstream fault rate ${FAULT_RATE}: ${fmt(sent / seconds, 0)} req/s over ${fmt(seconds, 1)} s`);
  console.log(`latency ms p50 ${fmt(percentile(latencies, 50), 1)}  p90 ${fmt(percentile(latencies, 90), 1)}  p99 ${fmt(percentile(latencies, 99), 1)}  max ${fmt(latencies.reduce((m, x) => (x > m ? x : m), 0), 0)}`);
  console.log(`upstream calls ${faults.calls}; injected: ${Object.entries(faults.injected).map(([k, v]) => `${k} ${v}`).join(", ")}; attempts audited ${b.attempts}`);
  console.log("client-visible outcomes:");
  for (const [k, v] of [...outcomes].sort((a, z) => z[1] - a[1])) console.log(`  ${String(v).padStart(6)}  ${k}`);
  const checks = [
    [`audit rows = requests (${b.rows} / ${sent})`, b.rows === sent],
    [`ledger charges = sum of audited costs (${b.charged} / ${b.cost} µUSD)`, b.charged === b.cost],
    [`balance = ledger (${b.balance} / ${b.ledger} µUSD)`, b.balance === b.ledger],
    [`nothing left reserved (${b.reserved} µUSD)`, b.reserved === 0n],
  ];
  for (const [label, ok] of checks) console.log(`${ok ? "OK  " : "FAIL"} ${label}`);
  console.log(`${b.estimated} requests billed by the tokenizer estimate (cut streams); peak RSS ${rss} MB`);
  return checks.every(([, ok]) => ok);
}

async function main() {
  const { mock, app, upstreamPort, dataDir } = await startStack({
    port: PORT,
    adminKey: ADMIN,
    mockEnv: { FAULT_RATE: String(FAULT_RATE), FAULT_SLOW_MS: "1500" },
    appEnv: { VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "1000", VECSTRUCT_RETRY_BASE_MS: "50" },
  });
  const cleanup = () => {
    app.kill("SIGTERM");
    mock.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  let ok = false;
  try {
    const gateway = `http://127.0.0.1:${PORT}`;
    await waitHealthy(`${gateway}/api/health`);
    const adminPost = async (p, body) =>
      (await fetch(`${gateway}${p}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
    const org = await adminPost("/api/orgs", { name: "load" });
    const project = await adminPost("/api/projects", { name: "load", org_id: org.id });
    const key = await adminPost("/api/keys", { name: "load", project_id: project.id, org_id: org.id });
    await adminPost("/api/billing/topup", { usd: 100_000, note: "load test", org_id: org.id });
    const pool = new Pool(gateway, { connections: CONCURRENCY, keepAliveTimeout: 60_000 });

    console.log(`\nvecstruct load test — ${new Date().toISOString()} — node ${process.version}`);
    let run;
    if (SOAK_MINUTES > 0) {
      const samples = [];
      const sampler = setInterval(() => samples.push({ t: Math.round(performance.now() / 1000), mb: currentRssMb(app.pid) }), 10_000);
      run = await drive(pool, key.key, { until: Date.now() + SOAK_MINUTES * 60_000 });
      clearInterval(sampler);
      const warm = samples[Math.min(samples.length - 1, Math.floor(samples.length / 5))] ?? { mb: NaN };
      const last = samples.at(-1) ?? { mb: NaN };
      console.log(`soak: ${SOAK_MINUTES} min; RSS samples (MB, every 10 s): ${samples.map((s) => s.mb).join(" ")}`);
      console.log(`soak: RSS after warm-up ${warm.mb} MB → end ${last.mb} MB (growth ${fmt(last.mb - warm.mb, 0)} MB)`);
    } else {
      run = await drive(pool, key.key, { requests: REQUESTS });
    }
    await pool.close();
    const faults = await (await fetch(`http://127.0.0.1:${upstreamPort}/__faults`)).json();
    ok = report(run, await books(path.join(dataDir, "vecstruct.db"), key.id, org.id, run.sent), faults, peakRssMb(app.pid));
  } finally {
    cleanup();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
