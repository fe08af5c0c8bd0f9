// Prometheus metrics are scraped like Prometheus would, and move with the requests they count.
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { admin, baseURL, chatRaw, newKey, upstreamRequests } from "./helpers";

async function scrape(auth?: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${baseURL}/api/metrics`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

function value(text: string, metric: string, labels: Record<string, string>): number {
  const line = text.split("\n").find((l) => l.startsWith(`${metric}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("GET /api/metrics", () => {
  it("needs the admin key (or the metrics token)", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong-token-wrong-token")).status).toBe(401);
  });

  it("counts requests, tokens, cost, failed upstream attempts and queue depths", async () => {
    const { key } = await newKey();
    // A model no other test file uses: files run in parallel, and the counters are per model.
    const model = `local/metrics-probe-${Date.now()}`;
    await admin("/api/models", { id: model, kind: "chat", input_price_per_mtok: 1, output_price_per_mtok: 2 });
    const before = (await scrape(inject("adminKey"))).text;
    for (let i = 0; i < 3; i++) expect((await chatRaw(key, { model, messages: [{ role: "user", content: "count me" }] })).status).toBe(200);
    expect((await chatRaw(key, { model, messages: [{ role: "user", content: "fail [[fault:500]]" }] })).status).toBe(502);
    const after = await scrape(inject("adminKey"));
    expect(after.status).toBe(200);
    expect(after.type).toContain("text/plain");
    const ok = { endpoint: "/v1/chat/completions", model, status: "200" };
    expect(value(after.text, "vecstruct_requests_total", ok) - value(before, "vecstruct_requests_total", ok)).toBe(3);
    const failed = { model, status: "502", code: "upstream_error" };
    expect(value(after.text, "vecstruct_requests_total", failed) - value(before, "vecstruct_requests_total", failed)).toBe(1);
    expect(value(after.text, "vecstruct_upstream_errors_total", { provider: "local", code: "upstream_error" }) - value(before, "vecstruct_upstream_errors_total", { provider: "local", code: "upstream_error" })).toBeGreaterThanOrEqual(3); // 1 + 2 retries (other files use this provider too)
    expect(value(after.text, "vecstruct_tokens_total", { model, kind: "completion" })).toBeGreaterThan(value(before, "vecstruct_tokens_total", { model, kind: "completion" }));
    expect(value(after.text, "vecstruct_cost_usd_total", { model })).toBeGreaterThan(value(before, "vecstruct_cost_usd_total", { model }));
    expect(after.text).toMatch(/vecstruct_request_duration_seconds_bucket\{[^}]*endpoint="\/v1\/chat\/completions"/);
    expect(after.text).toContain(`vecstruct_time_to_first_token_seconds_count{model="${model}"} 3`);
    expect(after.text).toMatch(/vecstruct_queue_depth\{queue="audit"\} \d+/);
    expect(after.text).toContain("vecstruct_process_resident_memory_bytes");
  });
});

describe("OpenTelemetry traces", () => {
  it("exports the request, its upstream attempts and retrieval as spans over OTLP/HTTP", async () => {
    const { key } = await newKey();
    const res = await chatRaw(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "trace me [[fault:fail-first:1]] " + Date.now() }] });
    expect(res.status).toBe(200);
    const auditId = res.headers.get("x-vecstruct-audit-id")!;
    // Spans leave in batches (1 s) and the collector is the busy mock of the whole suite: generous.
    const deadline = Date.now() + 30_000;
    let exported = "";
    while (Date.now() < deadline) {
      exported = JSON.stringify((await upstreamRequests()).filter((r) => r.path === "/v1/traces").map((r) => r.body));
      if (exported.includes(auditId)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(exported).toContain(auditId);
    const spans = JSON.parse(exported).flatMap((b: any) => b.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    const request = spans.find((s: any) => s.name === "vecstruct.request" && JSON.stringify(s.attributes).includes(auditId));
    const attempts = spans.filter((s: any) => s.name === "vecstruct.upstream" && s.traceId === request.traceId);
    expect(attempts).toHaveLength(2); // the failed first attempt and its retry, children of the request
    expect(attempts.every((s: any) => s.parentSpanId === request.spanId)).toBe(true);
    expect(exported).toContain('"service.name"');
    expect(exported).not.toContain("sk-upstream");
  });
});

describe("cache and guardrail metrics", () => {
  it("count cache results and guardrail matches (by detector, action and side)", async () => {
    const admin = inject("adminKey");
    const before = (await scrape(admin)).text;
    const { key, projectId } = await newKey();
    await fetch(`${baseURL}/api/projects/${projectId}/guardrails`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ rules: [{ detector: "iban", input: "log" }] }),
    });
    const ask = { model: "openai/gpt-4o", messages: [{ role: "user", content: `pay GB82 WEST 1234 5698 7654 32 ${Date.now()}` }], vecstruct: { cache: true } };
    expect((await chatRaw(key, ask)).headers.get("x-vecstruct-cache")).toBe("miss");
    await new Promise((r) => setTimeout(r, 500));
    expect((await chatRaw(key, ask)).headers.get("x-vecstruct-cache")).toBe("hit");
    const after = async () => (await scrape(admin)).text;
    const grew = async (metric: string, labels: Record<string, string>, by: number) => {
      for (let i = 0; i < 50; i++) {
        if (value(await after(), metric, labels) - value(before, metric, labels) >= by) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    expect(await grew("vecstruct_cache_requests_total", { endpoint: "/v1/chat/completions", result: "hit" }, 1)).toBe(true);
    expect(await grew("vecstruct_cache_requests_total", { endpoint: "/v1/chat/completions", result: "miss" }, 1)).toBe(true);
    expect(await grew("vecstruct_guardrail_matches_total", { detector: "iban", action: "log", where: "input" }, 2)).toBe(true);
  });
});
