// Benchmark upstream: answers OpenAI chat completions instantly (non-stream and stream), so what
// the benchmark measures is the gateway, not the model. Run as a child process: prints its port.
// FAULT_RATE (0..1, default 0) injects faults into that share of upstream calls, for bench:load:
// 500, 429, a socket cut (mid-stream for streams) or a first byte slower than the gateway waits.
import http from "node:http";

const FAULT_RATE = Number(process.env.FAULT_RATE ?? 0);
const SLOW_MS = Number(process.env.FAULT_SLOW_MS ?? 1500);
const faults = { calls: 0, injected: { 500: 0, 429: 0, cut: 0, slow: 0 } };

function pickFault() {
  if (FAULT_RATE <= 0 || Math.random() >= FAULT_RATE) return null;
  const r = Math.random();
  return r < 0.4 ? "500" : r < 0.6 ? "429" : r < 0.8 ? "cut" : "slow";
}

const completion = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello from the benchmark upstream.", refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  system_fingerprint: "fp_bench",
});

const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "gpt-4o", system_fingerprint: "fp_bench" };
const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
function streamBody(includeUsage) {
  let s = chunk({ role: "assistant", content: "" });
  for (const w of ["Hello ", "from ", "the ", "benchmark ", "upstream."]) s += chunk({ content: w });
  s += chunk({}, "stop");
  if (includeUsage) s += `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } })}\n\n`;
  return s + "data: [DONE]\n\n";
}

const server = http.createServer((req, res) => {
  const parts = [];
  req.on("data", (c) => parts.push(c));
  req.on("end", () => {
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(parts).toString("utf8"));
    } catch {
      // fall through: answer anyway
    }
    if (req.url === "/__faults") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(faults));
    }
    faults.calls += 1;
    const fault = pickFault();
    if (fault) faults.injected[fault] += 1;
    if (fault === "500" || fault === "429") {
      res.writeHead(Number(fault), { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: { message: `injected ${fault}`, type: "server_error", param: null, code: null } }));
    }
    if (fault === "slow") return void setTimeout(() => answer(body, res), SLOW_MS);
    if (fault === "cut") {
      if (!body.stream) return res.socket?.destroy();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk({ role: "assistant", content: "" }) + chunk({ content: "Hello " }));
      return void setTimeout(() => res.socket?.destroy(), 5);
    }
    answer(body, res);
  });
});

function answer(body, res) {
  if (res.destroyed) return;
  if (body.stream) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(streamBody(body.stream_options?.include_usage === true));
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(completion);
  }
}
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
