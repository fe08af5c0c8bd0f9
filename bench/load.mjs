// A small closed-loop load generator over one keep-alive pool: `concurrency` workers send requests
// back to back; each records latency and, for streams, time to first body byte. `body` is one object,
// or a function of the request's index (requests that must differ, e.g. uncached RAG questions).
import { Pool } from "undici";

export async function runLoad({ origin, path, headers, body, concurrency, requests }) {
  const pool = new Pool(origin, { connections: concurrency, keepAliveTimeout: 60_000, pipelining: 1 });
  const latencies = [];
  const ttfts = [];
  let errors = 0;
  let next = 0;
  const fixed = typeof body === "function" ? null : JSON.stringify(body);
  const started = performance.now();
  async function worker() {
    while (next < requests) {
      const index = next++;
      const payload = fixed ?? JSON.stringify(body(index));
      const t0 = performance.now();
      try {
        const res = await pool.request({ method: "POST", path, headers: { "content-type": "application/json", ...headers }, body: payload });
        let first = null;
        for await (const _ of res.body) first ??= performance.now();
        if (res.statusCode !== 200) errors += 1;
        latencies.push(performance.now() - t0);
        ttfts.push((first ?? performance.now()) - t0);
      } catch {
        errors += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { rps: latencies.length / seconds, latencies, ttfts, errors };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
