// Benchmark upstream: answers OpenAI chat completions instantly (non-stream and stream), so what
// the benchmark measures is the gateway, not the model. Run as a child process: prints its port.
import http from "node:http";

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
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(streamBody(body.stream_options?.include_usage === true));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
