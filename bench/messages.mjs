// `node bench/messages.mjs`: the added latency of POST /v1/messages over POST /v1/chat/completions on
// the same OpenAI model (the bench mock answers OpenAI only, so this measures the translated path:
// Anthropic request → chat adapter → Anthropic message / events), non-streaming and streaming, at
// concurrency 1 and 10, interleaved rounds, medians of p50 reported.
//   BENCH_PORT (default 3199)  BENCH_ROUNDS=3  BENCH_SCALE=1
import { rmSync } from "node:fs";
import { startStack, waitHealthy } from "./harness.mjs";
import { percentile, runLoad } from "./load.mjs";

const ADMIN = "vs-bench-admin-key-0123456789abcdef";
const PORT = Number(process.env.BENCH_PORT ?? 3199);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const stack = await startStack({ port: PORT, adminKey: ADMIN });
const origin = `http://127.0.0.1:${PORT}`;
try {
  await waitHealthy(`${origin}/api/health`);
  const post = async (p, body) => (await fetch(`${origin}${p}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  const project = await post("/api/projects", { name: "bench-messages" });
  const { key } = await post("/api/keys", { name: "bench", project_id: project.id });
  await post("/api/billing/topup", { usd: 1_000_000, credits: 1_000_000, note: "benchmark" });
  const content = "Say hello.";
  const cases = {
    chat: (stream) => ({ path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}` }, body: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content }], max_tokens: 64, stream } }),
    messages: (stream) => ({ path: "/v1/messages", headers: { "x-api-key": key, "anthropic-version": "2023-06-01" }, body: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content }], max_tokens: 64, stream } }),
  };
  const results = {};
  for (const concurrency of [1, 10]) {
    const requests = Math.round((concurrency === 1 ? 300 : 1000) * scale);
    for (const stream of [false, true]) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, make] of Object.entries(cases)) {
          const r = await runLoad({ origin, ...make(stream), concurrency, requests });
          const k = `${name} stream=${stream} c=${concurrency}`;
          (results[k] ??= []).push({ p50: percentile(r.latencies, 50), rps: r.rps, errors: r.errors });
        }
      }
    }
  }
  console.log("| case | p50 ms | req/s | errors |\n|---|---|---|---|");
  for (const [k, rs] of Object.entries(results)) console.log(`| ${k} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${rs.reduce((n, r) => n + r.errors, 0)} |`);
} finally {
  stack.app.kill("SIGTERM");
  stack.mock.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(stack.dataDir, { recursive: true, force: true });
}
