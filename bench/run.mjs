// `npm run bench`: the same load against the mock upstream directly, through vecstruct (auth,
// routing, audit and billing on) and through Portkey's gateway, non-streaming and streaming, at
// concurrency 1, 10 and 100, in interleaved rounds (medians reported). vecstruct is also measured
// with `vecstruct.rag` and `use_memory` on over a 10,000-chunk project at concurrency 1.
//   BENCH_SCALE=0.2 (fewer requests)  BENCH_ROUNDS=3  BENCH_RAG=0 (skip the RAG run)  BENCH_PORTKEY=0
//   BENCH_MESSAGES=0 (skip the /v1/messages target: the same openai/gpt-4o model through the Anthropic
//   Messages front door, translated, so its column next to vecstruct's is its added cost over chat;
//   the bench mock answers OpenAI only, so the native Anthropic path is not measured here)
//   BENCH_RESPONSES=0 (skip the /v1/responses targets: an OpenAI-compatible model on the same mock
//   through the Responses front door, translated to chat, with `store: false` (as Codex sends it) and
//   with `store: true` (the default: one stored row per answer))
//   BENCH_POLICIES=0 (skip the cache-hit and guardrails-on-a-stream cells)
//   BENCH_RAG_DOCS=100 (documents of ~100 chunks in the RAG project)  BENCH_APP_ROOT=<a built checkout>
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { corpus } from "./corpus.mjs";
import { appRoot, currentRssMb, peakRssMb, root, startStack, waitHealthy } from "./harness.mjs";
import { percentile, runLoad } from "./load.mjs";
import { startPortkey } from "./portkey.mjs";

const ADMIN = "vs-bench-admin-key-0123456789abcdef";
const PORT = Number(process.env.BENCH_PORT ?? 3199);
const PORTKEY_PORT = Number(process.env.BENCH_PORTKEY_PORT ?? 8787);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PLAN = [
  { concurrency: 1, requests: Math.round(300 * scale) },
  { concurrency: 10, requests: Math.round(1500 * scale) },
  { concurrency: 100, requests: Math.round(3000 * scale) },
];

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * The server's event-loop delay since the last call (prom-client's monitorEventLoopDelay histogram in
 * /api/metrics, reset at each scrape), in ms: how long the request loop was blocked under the load.
 */
async function loopDelay(gateway) {
  const res = await fetch(`${gateway}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const text = await res.text();
  const read = (name) => Number(new RegExp(`^vecstruct_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, "m").exec(text)?.[1]) * 1000;
  return { p99: read("p99"), max: read("max") };
}

async function setupVecstruct(gateway) {
  const post = async (p, body) => {
    const res = await fetch(`${gateway}${p}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const project = await post("/api/projects", { name: "bench" });
  const { key } = await post("/api/keys", { name: "bench", project_id: project.id });
  // Billing is on: fund the organization so no request is refused with 402.
  await post("/api/billing/topup", { usd: 1_000_000, credits: 1_000_000, note: "benchmark" });
  return { post, project, key };
}

/** A project holding ~10,000 chunks, ingested through the documents API; resolves when all are ready. */
async function ragProject(gateway, post) {
  const project = await post("/api/projects", { name: "bench-rag" });
  const { key } = await post("/api/keys", { name: "bench-rag", project_id: project.id });
  const docs = corpus(Number(process.env.BENCH_RAG_DOCS ?? 100), 100);
  const t0 = performance.now();
  const ids = [];
  for (const d of docs) ids.push((await post(`/api/projects/${project.id}/documents`, d)).id);
  let chunks = 0;
  for (;;) {
    const list = await (await fetch(`${gateway}/api/projects/${project.id}/documents?limit=200`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    const pending = list.data.filter((d) => d.status !== "ready" && d.status !== "failed").length;
    chunks = list.data.reduce((n, d) => n + (d.chunk_count ?? 0), 0);
    if (pending === 0) break;
    progress(`RAG ingestion: ${list.data.length - pending}/${ids.length} documents ready, ${chunks} chunks`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.log(`RAG project: ${ids.length} documents, ${chunks} chunks ingested in ${fmt((performance.now() - t0) / 1000, 0)} s`);
  return { key, chunks };
}

let lastProgress = 0;
/** One line every 30 s at most, so a long phase shows it is moving. */
function progress(line) {
  if (Date.now() - lastProgress < 30_000) return;
  lastProgress = Date.now();
  console.log(line);
}

async function main() {
  const started = performance.now();
  const phase = (name) => console.log(`[${fmt((performance.now() - started) / 1000, 0)} s] ${name}`);
  // The same mock as an OpenAI-compatible provider: /v1/responses is translated to chat for it.
  const appEnv = (upstreamPort) => ({ VECSTRUCT_PROVIDER_BENCHCOMPAT_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`, VECSTRUCT_PROVIDER_BENCHCOMPAT_MODELS: "gpt-4o:chat" });
  const { mock, app, upstreamPort, dataDir } = await startStack({ port: PORT, adminKey: ADMIN, appEnv });
  let portkey = null;
  const cleanup = () => {
    app.kill("SIGTERM");
    mock.kill("SIGTERM");
    portkey?.child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const gateway = `http://127.0.0.1:${PORT}`;
    await waitHealthy(`${gateway}/api/health`);
    // Idle as a gateway: /v1 and the probes only (the console loads on the first /api request, next line).
    await new Promise((r) => setTimeout(r, 2_000));
    const idleGatewayRss = currentRssMb(app.pid);
    const { post, key } = await setupVecstruct(gateway);
    if (process.env.BENCH_PORTKEY !== "0") portkey = await startPortkey(PORTKEY_PORT, upstreamPort);
    const idlePortkeyRss = portkey ? currentRssMb(portkey.child.pid) : null;

    const targets = {
      direct: { origin: `http://127.0.0.1:${upstreamPort}`, path: "/v1/chat/completions", headers: { authorization: "Bearer sk-bench" }, model: "gpt-4o" },
      vecstruct: { origin: gateway, path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}` }, model: "openai/gpt-4o" },
      ...(process.env.BENCH_MESSAGES !== "0"
        ? { messages: { origin: gateway, path: "/v1/messages", headers: { "x-api-key": key, "anthropic-version": "2023-06-01" }, model: "openai/gpt-4o" } }
        : {}),
      ...(process.env.BENCH_RESPONSES !== "0"
        ? {
            responses: { origin: gateway, path: "/v1/responses", headers: { authorization: `Bearer ${key}` }, model: "benchcompat/gpt-4o", store: false },
            "responses+store": { origin: gateway, path: "/v1/responses", headers: { authorization: `Bearer ${key}` }, model: "benchcompat/gpt-4o", store: true },
          }
        : {}),
      ...(portkey ? { portkey: portkey.target } : {}),
    };
    // The Anthropic Messages body has the same shape for this prompt (max_tokens is required there).
    const bodyFor = (t, stream, extra = {}) =>
      t.path === "/v1/responses"
        ? { model: t.model, input: "Say hello.", max_output_tokens: 256, store: t.store, ...(stream ? { stream: true } : {}) }
        : { model: t.model, messages: [{ role: "user", content: "Say hello." }], max_tokens: 256, ...(stream ? { stream: true } : {}), ...extra };

    const idleRss = currentRssMb(app.pid);
    phase(`started (app from ${appRoot === root ? "this checkout" : appRoot}); idle RSS ${idleGatewayRss} MB, ${idleRss} MB once the console has loaded; warm-up`);
    // Warm-up: JIT, connection pools, caches.
    for (const t of Object.values(targets)) {
      for (const stream of [false, true]) await runLoad({ ...t, body: bodyFor(t, stream), concurrency: 10, requests: Math.round(500 * Math.max(scale, 0.2)) });
    }

    // samples[mode][c][target] = one result per round; targets interleaved within a round.
    const samples = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const stream of [false, true]) {
        for (const { concurrency, requests } of PLAN) {
          for (const [name, t] of Object.entries(targets)) {
            const ours = t.origin === gateway;
            if (ours) await loopDelay(gateway); // resets the histogram
            const r = await runLoad({ ...t, body: bodyFor(t, stream), concurrency, requests });
            const loop = ours ? await loopDelay(gateway) : { p99: NaN, max: NaN };
            const slot = (((samples[stream ? "stream" : "non-stream"] ??= {})[concurrency] ??= {})[name] ??= []);
            slot.push({ rps: r.rps, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), ttft50: percentile(r.ttfts, 50), loopP99: loop.p99, loopMax: loop.max, errors: r.errors });
          }
        }
      }
      phase(`round ${round + 1}/${ROUNDS} done`);
    }
    const rssVecstruct = peakRssMb(app.pid);
    const rssPortkey = portkey ? peakRssMb(portkey.child.pid) : null;

    let rag = null;
    if (process.env.BENCH_RAG !== "0") {
      phase("RAG project: uploading and ingesting");
      const { key: ragKey, chunks } = await ragProject(gateway, post);
      phase("RAG + memory requests");
      const t = { ...targets.vecstruct, headers: { authorization: `Bearer ${ragKey}` } };
      const ext = { vecstruct: { rag: true, use_memory: true, metadata: { user_id: "bench-user" } } };
      const question = "What does the warranty policy say about battery replacement?";
      // Warm: the same question each time (its embedding is cached per project); cold: a different
      // question each time, so every request embeds anew (what a stream of real users costs).
      const warm = bodyFor(t, false, { messages: [{ role: "user", content: question }], ...ext });
      const topics = ["battery replacement", "screen repair", "shipping delays", "refund window", "firmware updates", "water damage", "account recovery", "data export"];
      let asked = 0;
      const cold = () => bodyFor(t, false, { messages: [{ role: "user", content: `Question ${asked++}: what does the manual say about ${topics[asked % topics.length]}?` }], ...ext });
      await runLoad({ ...t, body: warm, concurrency: 1, requests: 20 });
      const n = Math.round(100 * Math.max(scale, 0.5));
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) {
        const d = await runLoad({ ...targets.direct, body: bodyFor(targets.direct, false), concurrency: 1, requests: n });
        const w = await runLoad({ ...t, body: warm, concurrency: 1, requests: n });
        const c = await runLoad({ ...t, body: cold, concurrency: 1, requests: n });
        runs.push({ direct: percentile(d.latencies, 50), p50: percentile(c.latencies, 50), p99: percentile(c.latencies, 99), warmP50: percentile(w.latencies, 50), errors: w.errors + c.errors });
      }
      rag = { chunks, p50: median(runs.map((x) => x.p50)), p99: median(runs.map((x) => x.p99)), added: median(runs.map((x) => x.p50 - x.direct)), warmAdded: median(runs.map((x) => x.warmP50 - x.direct)), errors: runs.reduce((k, x) => k + x.errors, 0) };
    }

    // Policies (docs/policies.md): a cache hit against a direct call to the mock, and what output
    // guardrails add to a stream's first token (the 64-character hold-back included), c=1.
    let policies = null;
    if (process.env.BENCH_POLICIES !== "0") {
      phase("policies: cache hits and guardrails on a stream");
      const project = async (name, settings, rules) => {
        const p = await post("/api/projects", { name, ...settings });
        if (rules) {
          const res = await fetch(`${gateway}/api/projects/${p.id}/guardrails`, { method: "PUT", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify({ rules }) });
          if (!res.ok) throw new Error(`guardrails: ${res.status}`);
        }
        return { ...targets.vecstruct, headers: { authorization: `Bearer ${(await post("/api/keys", { name, project_id: p.id })).key}` } };
      };
      const cached = await project("bench-cache", { cache: { mode: "exact", ttl_seconds: 3600 } });
      const plain = await project("bench-plain", {});
      const guarded = await project("bench-guardrails", {}, [
        { detector: "email", input: "redact", output: "redact" },
        { detector: "secret", input: "block", output: "block" },
        { detector: "card", output: "redact" },
      ]);
      const n = Math.round(200 * Math.max(scale, 0.5));
      await runLoad({ ...cached, body: bodyFor(cached, false), concurrency: 1, requests: 1 });
      await new Promise((r) => setTimeout(r, 600));
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) {
        const d = await runLoad({ ...targets.direct, body: bodyFor(targets.direct, false), concurrency: 1, requests: n });
        const hit = await runLoad({ ...cached, body: bodyFor(cached, false), concurrency: 1, requests: n });
        const miss = await runLoad({ ...plain, body: bodyFor(plain, false), concurrency: 1, requests: n });
        const ds = await runLoad({ ...targets.direct, body: bodyFor(targets.direct, true), concurrency: 1, requests: n });
        const ps = await runLoad({ ...plain, body: bodyFor(plain, true), concurrency: 1, requests: n });
        const gs = await runLoad({ ...guarded, body: bodyFor(guarded, true), concurrency: 1, requests: n });
        runs.push({
          direct: percentile(d.latencies, 50),
          hit: percentile(hit.latencies, 50),
          plain: percentile(miss.latencies, 50),
          ttftDirect: percentile(ds.ttfts, 50),
          ttftPlain: percentile(ps.ttfts, 50),
          ttftGuarded: percentile(gs.ttfts, 50),
          totalPlain: percentile(ps.latencies, 50),
          totalGuarded: percentile(gs.latencies, 50),
          errors: d.errors + hit.errors + miss.errors + ds.errors + ps.errors + gs.errors,
        });
      }
      const med = (k) => median(runs.map((x) => x[k]));
      policies = { direct: med("direct"), hit: med("hit"), plain: med("plain"), ttftDirect: med("ttftDirect"), ttftPlain: med("ttftPlain"), ttftGuarded: med("ttftGuarded"), totalPlain: med("totalPlain"), totalGuarded: med("totalGuarded"), errors: runs.reduce((k, x) => k + x.errors, 0) };
    }

    const names = Object.keys(targets);
    const rows = [];
    for (const [mode, byC] of Object.entries(samples)) {
      for (const [c, byTarget] of Object.entries(byC)) {
        const row = { mode, concurrency: Number(c) };
        for (const n of names) {
          const s = byTarget[n];
          row[n] = { rps: median(s.map((x) => x.rps)), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)), ttft50: median(s.map((x) => x.ttft50)), loopP99: median(s.map((x) => x.loopP99)), loopMax: median(s.map((x) => x.loopMax)), errors: s.reduce((k, x) => k + x.errors, 0) };
        }
        rows.push(row);
      }
    }

    console.log(`\nvecstruct benchmark — ${new Date().toISOString()} — node ${process.version}, loopback mock upstream answering instantly, medians of ${ROUNDS} interleaved rounds`);
    const head = ["mode      ", "   c", ...names.map((n) => `${n} rps`.padStart(14)), ...names.filter((n) => n !== "direct").flatMap((n) => [`${n} p50/p99 ms`.padStart(24), `+p50`.padStart(7), `+TTFT`.padStart(7)])];
    console.log(head.join(" "));
    for (const r of rows) {
      const cells = [r.mode.padEnd(10), String(r.concurrency).padStart(4), ...names.map((n) => fmt(r[n].rps, 0).padStart(14))];
      for (const n of names.filter((x) => x !== "direct")) {
        cells.push(`${fmt(r[n].p50, 2)}/${fmt(r[n].p99, 2)}`.padStart(24), fmt(r[n].p50 - r.direct.p50, 2).padStart(7), (r.mode === "stream" ? fmt(r[n].ttft50 - r.direct.ttft50, 2) : "—").padStart(7));
      }
      console.log(cells.join(" "));
    }
    console.log("event-loop delay of vecstruct's server under each load, p99 / max ms (medians over rounds):");
    for (const r of rows) {
      const cells = names.filter((n) => Number.isFinite(r[n].loopP99)).map((n) => `${n} ${fmt(r[n].loopP99, 1)}/${fmt(r[n].loopMax, 1)}`);
      console.log(`  ${r.mode.padEnd(10)} c=${String(r.concurrency).padEnd(4)} ${cells.join("   ")}`);
    }
    console.log(`RSS: vecstruct idle ${idleGatewayRss} MB (${idleRss} MB once the console has loaded), peak ${rssVecstruct} MB${rssPortkey !== null ? `; Portkey idle ${idlePortkeyRss} MB, peak ${rssPortkey} MB` : ""} (largest process of each tree)`);
    if (rag) console.log(`vecstruct with rag + use_memory over ${rag.chunks} chunks, c=1 non-stream, a new question each time: p50 ${fmt(rag.p50, 2)} ms, p99 ${fmt(rag.p99, 2)} ms, added p50 ${fmt(rag.added, 2)} ms; the same question again (cached embedding): added p50 ${fmt(rag.warmAdded, 2)} ms${rag.errors ? `, ${rag.errors} errors` : ""}`);
    if (policies) {
      console.log(`cache (c=1, non-stream, p50): a hit ${fmt(policies.hit, 2)} ms, the same request through vecstruct without the cache ${fmt(policies.plain, 2)} ms, a direct call to the mock ${fmt(policies.direct, 2)} ms${policies.errors ? `, ${policies.errors} errors` : ""}`);
      console.log(`guardrails on a stream (c=1, p50): TTFT ${fmt(policies.ttftGuarded, 2)} ms with 3 rules against ${fmt(policies.ttftPlain, 2)} ms without (+${fmt(policies.ttftGuarded - policies.ttftPlain, 2)}; direct ${fmt(policies.ttftDirect, 2)}), whole answer ${fmt(policies.totalGuarded, 2)} against ${fmt(policies.totalPlain, 2)} ms`);
    }
    const failed = rows.reduce((k, r) => k + names.reduce((m, n) => m + r[n].errors, 0), 0);
    if (failed > 0) console.log(`WARNING: ${failed} requests failed: the numbers above are not comparable`);
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    const out = path.join(root, "bench/results/latest.json");
    writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, rounds: ROUNDS, rows, peakRssMb: { vecstruct: rssVecstruct, portkey: rssPortkey }, idleRssMb: { vecstruct: idleGatewayRss, vecstructWithConsole: idleRss, portkey: idlePortkeyRss }, rag, policies }, null, 2));
    console.log(`JSON: ${path.relative(root, out)}`);
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
