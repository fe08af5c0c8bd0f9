// The Messages endpoint's pure parts: Anthropic's error mapping, the byte-faithful SSE splitter,
// native usage (cache writes billed at the cache-write price).
import { describe, expect, it } from "vitest";
import { costMicros } from "../../billing/cost";
import { ApiError } from "../../errors";
import { anthropicErrorBody, anthropicErrorOf, upstreamStreamError } from "./errors";
import { NativeStreamState } from "./native";
import { rawSseEvents } from "./raw-sse";
import { withSystemContext } from "./context";

async function split(text: string, chunk = 5) {
  const bytes = new TextEncoder().encode(text);
  const src = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
      c.close();
    },
  });
  const out = [];
  for await (const e of src.pipeThrough(rawSseEvents()) as unknown as AsyncIterable<{ text: string; event?: string; data: string }>) out.push(e);
  return out;
}

describe("Anthropic errors", () => {
  it.each([
    ["invalid_value", 400, "invalid_request_error"],
    ["invalid_api_key", 401, "authentication_error"],
    ["insufficient_quota", 402, "billing_error"],
    ["model_not_allowed", 403, "permission_error"],
    ["model_not_found", 404, "not_found_error"],
    ["request_too_large", 413, "request_too_large"],
    ["rate_limit_exceeded", 429, "rate_limit_error"],
    ["internal_error", 500, "api_error"],
    ["upstream_error", 502, "api_error"],
    ["upstream_timeout", 504, "timeout_error"],
  ] as const)("%s → %i %s", (code, status, type) => {
    expect(anthropicErrorOf(new ApiError(code, "m"))).toEqual({ status, type });
  });

  it("an upstream 529 passes through as overloaded_error; the param is named in the message", () => {
    const e = new ApiError("upstream_error", "busy");
    e.upstreamStatus = 529;
    expect(anthropicErrorOf(e)).toEqual({ status: 529, type: "overloaded_error" });
    expect(anthropicErrorBody(new ApiError("invalid_value", "must be positive", { param: "max_tokens" }))).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "max_tokens: must be positive" },
    });
  });

  it("an upstream error event before content becomes a retryable error", () => {
    const overloaded = upstreamStreamError({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    expect(overloaded.code).toBe("upstream_error");
    expect(overloaded.upstreamStatus).toBe(529);
    expect(upstreamStreamError({ error: { type: "rate_limit_error", message: "slow down" } }).code).toBe("rate_limit_exceeded");
  });
});

describe("raw SSE relay", () => {
  it("keeps each event's text as received, whatever the chunking", async () => {
    const text = 'event: message_start\ndata: {"type":"message_start"}\n\n: comment\nevent: ping\ndata: {"type": "ping"}\n\nevent: x\ndata: a\ndata: b\n\n';
    const events = await split(text, 3);
    expect(events.map((e) => e.text).join("")).toBe(text);
    expect(events.map((e) => e.event)).toEqual(["message_start", "ping", "x"]);
    expect(events[2]!.data).toBe("a\nb");
  });
});

describe("native usage", () => {
  it("merges message_start and message_delta; cache writes and reads are billed at their prices", () => {
    const s = new NativeStreamState();
    s.observe({ type: "message_start", text: "", data: { message: { usage: { input_tokens: 10, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, output_tokens: 1 } } } });
    expect(s.final).toBe(false);
    s.observe({ type: "message_delta", text: "", data: { usage: { output_tokens: 50 } } });
    expect(s.final).toBe(true);
    const usage = s.billable()!;
    expect(usage).toMatchObject({ prompt_tokens: 3010, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 1000 } });
    const sonnet = { inputMicrosPerMtok: 3_000_000n, outputMicrosPerMtok: 15_000_000n, cachedInputMicrosPerMtok: 300_000n, cacheWriteMicrosPerMtok: 3_750_000n };
    // 10×3 + 1000×3.75 + 2000×0.3 + 50×15 = 30 + 3750 + 600 + 750 micro-USD
    expect(costMicros(sonnet, usage)).toBe(5130n);
    expect(costMicros({ ...sonnet, cacheWriteMicrosPerMtok: null }, usage)).toBe(30n + 3000n + 600n + 750n);
  });
});

describe("context into system", () => {
  it("appends after the client's blocks, which stay as they were", () => {
    const block = { type: "text" as const, text: "mine", cache_control: { type: "ephemeral" } };
    expect(withSystemContext({ system: [block] }, ["ctx"]).system).toEqual([block, { type: "text", text: "ctx" }]);
    expect(withSystemContext({ system: "plain" }, ["ctx"]).system).toEqual([{ type: "text", text: "plain" }, { type: "text", text: "ctx" }]);
    const untouched = { system: "plain" };
    expect(withSystemContext(untouched, [])).toBe(untouched);
  });
});
