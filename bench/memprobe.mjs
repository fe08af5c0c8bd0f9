// Scratch: RSS of vecstruct's server at each stage (not committed).
import { readFileSync } from "node:fs";
import { startStack, waitHealthy } from "./harness.mjs";
import { runLoad } from "./load.mjs";
const ADMIN = "vs-bench-admin-key-0123456789abcdef";
const PORT = 3297;
const { mock, app, dataDir } = await startStack({ port: PORT, adminKey: ADMIN, appEnv: JSON.parse(process.env.PROBE_ENV ?? "{}") });
const gw = `http://127.0.0.1:${PORT}`;
const rss = (label) => {
  const out = [];
  const walk = (pid) => {
    const st = readFileSync(`/proc/${pid}/status`, "utf8");
    out.push(`${pid}:${Math.round(Number(/VmRSS:\s+(\d+)/.exec(st)[1]) / 1024)}MB(hwm ${Math.round(Number(/VmHWM:\s+(\d+)/.exec(st)[1]) / 1024)})`);
    let kids = [];
    try { kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean); } catch {}
    kids.forEach(walk);
  };
  walk(app.pid);
  console.log(label.padEnd(28), out.join("  "));
};
try {
  await waitHealthy(`${gw}/api/health`);
  await new Promise((r) => setTimeout(r, 3000));
  rss("after health");
  const post = async (p, body) => (await fetch(`${gw}${p}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  const project = await post("/api/projects", { name: "bench" });
  const { key } = await post("/api/keys", { name: "bench", project_id: project.id });
  await post("/api/billing/topup", { usd: 1_000_000, credits: 1_000_000, note: "benchmark" });
  rss("after /api setup");
  const t = { origin: gw, path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}` } };
  const body = (stream) => ({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Say hello." }], max_tokens: 256, ...(stream ? { stream: true } : {}) });
  await runLoad({ ...t, body: body(false), concurrency: 1, requests: 20 });
  rss("after 20 chat");
  for (const c of [10, 100]) for (const s of [false, true]) {
    const r = await runLoad({ ...t, body: body(s), concurrency: c, requests: 3000 });
    rss(`after c=${c} ${s ? "stream" : "json"} ${Math.round(r.rps)}rps`);
  }
  await new Promise((r) => setTimeout(r, 5000));
  rss("5 s idle");
} finally {
  app.kill("SIGTERM"); mock.kill();
}
