// POST /v1/messages and /v1/messages/count_tokens, driven by the official Anthropic SDK (and raw fetch
// where the wire itself is the point), against the mock upstreams (tests/mocks/upstream.ts).
import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { assertMessagesGrammar } from "../helpers/messages-grammar";
import { admin, auditRow, baseURL, billingOf, dbQuery, lastUpstreamRequest, newKey, orgWithKey, upstreamRequests } from "./helpers";

const CLAUDE = "anthropic/claude-3-5-sonnet";

let key: string;
let keyId: string;
let projectId: string;
beforeAll(async () => {
  ({ key, keyId, projectId } = await newKey());
});

const sdk = (apiKey = key, opts: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) => new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout: 20_000, ...opts });

/** Raw POST to /v1/messages (or a sub-route) with x-api-key; the SSE events when it streams. */
async function raw(body: unknown, opts: { path?: string; headers?: Record<string, string>; apiKey?: string } = {}) {
  const res = await fetch(`${baseURL}/v1/messages${opts.path ?? ""}`, {
    method: "POST",
    headers: { "x-api-key": opts.apiKey ?? key, "anthropic-version": "2023-06-01", "content-type": "application/json", ...opts.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // a stream
  }
  const events = text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      const ev: { event?: string; data: string; raw: string } = { data: "", raw: block };
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) ev.event = line.slice(7);
        else if (line.startsWith("data: ")) ev.data += line.slice(6);
      }
      return ev;
    });
  return { status: res.status, headers: res.headers, text, json, events };
}

/** Anthropic's stream grammar (tests/helpers/messages-grammar.ts), checked on the events off the wire. */
function expectAnthropicOrder(events: { event?: string; data: string }[]) {
  const parsed = events.map((e) => ({ type: e.event, ...JSON.parse(e.data) }));
  return assertMessagesGrammar(parsed, { extra: ["vecstruct", "some_future_event"] });
}

describe("/v1/messages on an Anthropic model (native)", () => {
  it("messages.create: Anthropic's message, the requested model, usage, vecstruct and one audit row", async () => {
    const msg = (await sdk().messages.create({ model: CLAUDE, max_tokens: 64, messages: [{ role: "user", content: "hello native" }] })) as any;
    expect(msg.type).toBe("message");
    expect(msg.model).toBe(CLAUDE);
    expect(msg.content).toEqual([{ type: "text", text: "Echo: hello native" }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    const row = await auditRow(msg.vecstruct.audit_id);
    expect(row.endpoint).toBe("/v1/messages");
    expect(row.model).toBe(CLAUDE);
    expect(row.status).toBe("success");
    expect(row.promptTokens).toBe(msg.usage.input_tokens);
    expect(row.completionTokens).toBe(msg.usage.output_tokens);
    expect(row.responseText).toBe("Echo: hello native");
    const sent = await lastUpstreamRequest("hello native");
    expect(sent.path).toBe("/v1/messages");
    expect(sent.body.model).toBe("claude-3-5-sonnet-20241022");
    expect(sent.headers["x-api-key"]).toBe("sk-upstream-anthropic");
  });

  it("authenticates with Authorization: Bearer too (the SDK's authToken, Claude Code's ANTHROPIC_AUTH_TOKEN)", async () => {
    const msg = await new Anthropic({ authToken: key, apiKey: null, baseURL, maxRetries: 0 }).messages.create({ model: CLAUDE, max_tokens: 16, messages: [{ role: "user", content: "bearer" }] });
    expect(msg.content[0]).toEqual({ type: "text", text: "Echo: bearer" });
  });

  it("messages.stream + finalMessage, with Anthropic's event order on the wire", async () => {
    const stream = sdk().messages.stream({ model: CLAUDE, max_tokens: 64, messages: [{ role: "user", content: "stream me please" }] });
    const texts: string[] = [];
    stream.on("text", (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts.join("")).toBe("Echo: stream me please");
    expect(final.content).toEqual([{ type: "text", text: "Echo: stream me please" }]);
    expect(final.model).toBe(CLAUDE);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBeGreaterThan(1);

    const r = await raw({ model: CLAUDE, max_tokens: 64, stream: true, messages: [{ role: "user", content: "stream raw" }] });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/event-stream");
    expect(r.headers.get("x-vecstruct-audit-id")).toMatch(/^aud_/);
    expectAnthropicOrder(r.events);
    // No vecstruct object in the request: no vecstruct event.
    expect(r.events.some((e) => e.event === "vecstruct")).toBe(false);
    for (const e of r.events) expect(JSON.parse(e.data).type).toBe(e.event);
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(row.stream).toBeTruthy();
    expect(row.status).toBe("success");
    expect(row.responseText).toBe("Echo: stream raw");
  });

  it("a tool round trip: tool_use streamed as input_json_delta, then the tool_result", async () => {
    const tools = [{ name: "get_weather", description: "weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const first = await sdk().messages.stream({ model: CLAUDE, max_tokens: 128, tools, messages: [{ role: "user", content: "weather in Paris?" }] }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use")!;
    expect(call).toMatchObject({ type: "tool_use", id: "toolu_mock_1", name: "get_weather", input: { city: "Paris" } });
    const second = await sdk().messages.create({
      model: CLAUDE,
      max_tokens: 128,
      tools,
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "sunny, 21C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: sunny, 21C" }]);
  });

  it("a thinking round trip: the signature streams as signature_delta and goes back upstream unchanged", async () => {
    const first = await sdk()
      .messages.stream({ model: CLAUDE, max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "think first" }] })
      .finalMessage();
    const thinking = first.content.find((b) => b.type === "thinking")!;
    expect(thinking).toEqual({ type: "thinking", thinking: "Let me think about this.", signature: "sig-mock" });
    await sdk().messages.create({
      model: CLAUDE,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [
        { role: "user", content: "think first" },
        { role: "assistant", content: first.content },
        { role: "user", content: "and again round-trip-thinking" },
      ],
    });
    const sent = await lastUpstreamRequest("round-trip-thinking");
    expect(sent.body.messages[1].content[0]).toEqual({ type: "thinking", thinking: "Let me think about this.", signature: "sig-mock" });
  });

  it("is lossless: unknown fields, cache_control, signatures, anthropic-beta and ?beta=true reach the upstream unchanged", async () => {
    const body = {
      model: CLAUDE,
      max_tokens: 100,
      system: [{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "first lossless-marker", cache_control: { type: "ephemeral" } }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "EqQBCkYIARgCKkB" }, { type: "text", text: "ok", citations: null }] },
        { role: "user", content: "second" },
      ],
      context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
      some_future_param: { nested: [1, "two", { three: true }] },
      metadata: { user_id: "end-user-1" },
      top_k: 5,
    };
    const r = await raw(body, { path: "?beta=true", headers: { "anthropic-beta": "context-management-2025-06-27,interleaved-thinking-2025-05-14", "anthropic-version": "2023-06-01" } });
    expect(r.status).toBe(200);
    const sent = await lastUpstreamRequest("lossless-marker");
    expect(sent.path).toBe("/v1/messages?beta=true");
    expect(sent.body).toEqual({ ...body, model: "claude-3-5-sonnet-20241022" });
    expect(sent.headers["anthropic-beta"]).toBe("context-management-2025-06-27,interleaved-thinking-2025-05-14");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    // The answer: the upstream's message with our model, cache usage as the upstream reported it.
    expect(r.json.model).toBe(CLAUDE);
    expect(r.json.id).toBe("msg_mock");
    expect(r.json.usage).toMatchObject({ cache_creation_input_tokens: 1200, cache_read_input_tokens: 3400 });
  });

  it("relays the stream event by event: unknown event types pass, only message_start's model changes", async () => {
    const r = await raw({ model: CLAUDE, max_tokens: 64, stream: true, messages: [{ role: "user", content: "relay [[unknown-event]]" }] });
    expect(r.status).toBe(200);
    const unknown = r.events.find((e) => e.event === "some_future_event");
    expect(unknown?.raw).toBe(`event: some_future_event\ndata: ${JSON.stringify({ type: "some_future_event", detail: { nested: true } })}`);
    const start = JSON.parse(r.events[0]!.data);
    expect(start.message.model).toBe(CLAUDE);
    expect(start.message.id).toBe("msg_mock");
    // Every other event is byte-identical to what the mock wrote (its JSON key order included).
    const delta = r.events.find((e) => e.event === "content_block_delta")!;
    expect(delta.raw).toBe(`event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Echo: " } })}`);
    expectAnthropicOrder(r.events);
  });

  it("vecstruct: top-level on the message; in a stream one event right before message_stop; metadata audited", async () => {
    const r = await raw({ model: CLAUDE, max_tokens: 64, stream: true, messages: [{ role: "user", content: "with ext" }], vecstruct: { metadata: { team: "blue" } } });
    const names = r.events.map((e) => e.event);
    expect(names[names.length - 1]).toBe("message_stop");
    expect(names[names.length - 2]).toBe("vecstruct");
    const ext = JSON.parse(r.events[r.events.length - 2]!.data);
    expect(ext.audit_id).toBe(r.headers.get("x-vecstruct-audit-id"));
    expect(ext.balance_consumed_usd).toBeGreaterThan(0);
    const row = await auditRow(ext.audit_id);
    expect(JSON.parse(row.metadata)).toEqual({ team: "blue" });
    // Our own fields never go upstream.
    const sent = await lastUpstreamRequest("with ext");
    expect(sent.body.vecstruct).toBeUndefined();
  });

  it("memory: injected into system after the client's blocks, which keep their cache_control", async () => {
    const user = `mem-${Date.now()}`;
    const ask = (text: string) =>
      raw({
        model: CLAUDE,
        max_tokens: 64,
        system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: text }],
        vecstruct: { use_memory: true, metadata: { user_id: user } },
      });
    expect((await ask("My name is Quentin and I like kites.")).status).toBe(200);
    let later: Awaited<ReturnType<typeof ask>>;
    const deadline = Date.now() + 5_000;
    do {
      later = await ask(`What do I like? ${user}`);
    } while (!later.json.vecstruct.memory_used && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 200)), true));
    expect(later.json.vecstruct.memory_used).toBe(true);
    const sent = await lastUpstreamRequest(`What do I like? ${user}`);
    expect(sent.body.system[0]).toEqual({ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } });
    expect(sent.body.system[1].text).toContain("<memories>");
    expect(sent.body.system[1].text).toContain("kites");
  });
});

describe("/v1/messages/count_tokens", () => {
  it("asks an Anthropic upstream's count_tokens, model rewritten", async () => {
    const counted = await sdk().messages.countTokens({ model: CLAUDE, messages: [{ role: "user", content: "count me count-marker" }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
    const sent = await lastUpstreamRequest("count-marker");
    expect(sent.path).toBe("/v1/messages/count_tokens");
    expect(sent.body.model).toBe("claude-3-5-sonnet-20241022");
    expect(sent.body.max_tokens).toBeUndefined();
  });

  it("is audited without tokens or cost", async () => {
    const r = await raw({ model: CLAUDE, messages: [{ role: "user", content: "audited count" }] }, { path: "/count_tokens" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ input_tokens: expect.any(Number) });
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(row.endpoint).toBe("/v1/messages/count_tokens");
    expect(Number(row.costMicros)).toBe(0);
    expect(row.promptTokens).toBe(0);
  });

  it("an Anthropic upstream without count_tokens (404): counted by the tokenizer, with a warning", async () => {
    const r = await raw({ model: CLAUDE, messages: [{ role: "user", content: "no route here [[no-count]]" }] }, { path: "/count_tokens" });
    expect(r.status).toBe(200);
    expect(r.json.input_tokens).toBeGreaterThan(3);
    expect(decodeURIComponent(r.headers.get("x-vecstruct-warnings")!)).toContain("tokenizer");
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(row.status).toBe("success");
  });

  it("refuses vecstruct.rag by name", async () => {
    const r = await raw({ model: CLAUDE, messages: [{ role: "user", content: "x" }], vecstruct: { rag: true } }, { path: "/count_tokens" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("vecstruct.rag") } });
  });
});

describe("/v1/messages errors, in Anthropic's shape", () => {
  const body = (content: string, extra: Record<string, unknown> = {}) => ({ model: CLAUDE, max_tokens: 32, messages: [{ role: "user", content }], ...extra });

  it("401 authentication_error: no key, an unknown key (not audited)", async () => {
    const none = await fetch(`${baseURL}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body("x")) });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ type: "error", error: { type: "authentication_error", message: expect.stringContaining("x-api-key") } });
    await expect(sdk("sk-vs-unknown").messages.create(body("x") as never)).rejects.toMatchObject({ status: 401, type: "authentication_error" });
  });

  it("400 invalid_request_error naming the field; 404 not_found_error; 413 request_too_large", async () => {
    const noMax = await raw({ model: CLAUDE, messages: [{ role: "user", content: "x" }] });
    expect(noMax.status).toBe(400);
    expect(noMax.json.type).toBe("error");
    expect(noMax.json.error.type).toBe("invalid_request_error");
    expect(noMax.json.error.message).toContain("max_tokens");
    await expect(sdk().messages.create({ ...body("x"), model: "nope/none" } as never)).rejects.toMatchObject({ status: 404, type: "not_found_error" });
    const big = await raw(JSON.stringify(body("x".repeat(1_100_000))));
    expect(big.status).toBe(413);
    expect(big.json.error.type).toBe("request_too_large");
    expect(big.headers.get("x-vecstruct-audit-id")).toMatch(/^aud_/);
  });

  it("429 rate_limit_error with retry-after and x-ratelimit headers", async () => {
    const limited = await newKey({ rpm_limit: 1 });
    expect((await raw(body("first"), { apiKey: limited.key })).status).toBe(200);
    const second = await raw(body("second"), { apiKey: limited.key });
    expect(second.status).toBe(429);
    expect(second.json.error.type).toBe("rate_limit_error");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(second.headers.get("x-ratelimit-limit-requests")).toBe("1");
  });

  it("402 billing_error when the organization cannot pay", async () => {
    const poor = await orgWithKey(`poor-${Date.now()}`);
    const usd = (await billingOf(poor.orgId)).usd as number;
    if (usd > 0) await admin("/api/billing/topup", { org_id: poor.orgId, usd: -usd });
    const r = await raw(body("pay me"), { apiKey: poor.key });
    expect(r.status).toBe(402);
    expect(r.json.error.type).toBe("billing_error");
  });

  it("502 api_error for an upstream 5xx; 529 overloaded_error passed through", async () => {
    const failing = await raw(body("boom [[fault:500]]"));
    expect(failing.status).toBe(502);
    expect(failing.json.error.type).toBe("api_error");
    await expect(sdk().messages.create(body("busy [[fault:529]]") as never)).rejects.toMatchObject({ status: 529, type: "overloaded_error" });
    // An overloaded_error event before any content is the same: retried, then 529 (nothing was sent yet).
    const early = await raw(body("early [[fault:early-overloaded]]", { stream: true }));
    expect(early.status).toBe(529);
    expect(early.json.error.type).toBe("overloaded_error");
  });

  it("504 timeout_error when the upstream does not start answering", async () => {
    const r = await raw(body("slow [[fault:stall-first:5000]]", { stream: true }));
    expect(r.status).toBe(504);
    expect(r.json.error.type).toBe("timeout_error");
  });

  it("an error after the stream started is Anthropic's event: error; the SDK raises it; the audit row says so", async () => {
    const r = await raw(body("mid [[fault:stream-error]]", { stream: true }));
    expect(r.status).toBe(200);
    const last = r.events[r.events.length - 1]!;
    expect(last.event).toBe("error");
    expect(JSON.parse(last.data)).toEqual({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    expect(r.events.some((e) => e.event === "message_stop")).toBe(false);
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(row.status).toBe("error");
    expect(row.httpStatus).toBe(200);
    expect(row.errorCode).toBe("upstream_error");
    // Content had reached the client: no retry, no fallback.
    expect(JSON.parse(row.attempts)).toHaveLength(1);
    await expect(sdk().messages.stream(body("mid sdk [[fault:stream-error]]") as never).finalMessage()).rejects.toThrow(/Overloaded/);

    // Our own failure mid-stream (the upstream's socket cut): an api_error event of ours.
    const cut = await raw(body("cut [[fault:drop]]", { stream: true }));
    const end = cut.events[cut.events.length - 1]!;
    expect(end.event).toBe("error");
    expect(JSON.parse(end.data).error.type).toBe("api_error");
  });
});

describe("/v1/messages billing", () => {
  it("bills cache writes and reads at the catalog's cache prices; the ledger equals the audited cost", async () => {
    const r = await raw({
      model: CLAUDE,
      max_tokens: 64,
      // Long enough that the prompt bound covers the mock's fixed 4,600 cache tokens (else the charge is capped at the reservation).
      system: [{ type: "text", text: "A long cached system prompt. ".repeat(400), cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "cache billing" }],
    });
    expect(r.status).toBe(200);
    const u = r.json.usage;
    expect(u.cache_creation_input_tokens).toBe(1200);
    expect(u.cache_read_input_tokens).toBe(3400);
    // claude-3-5-sonnet: input 3, cache write 3.75, cache read 0.3, output 15 USD per million tokens.
    const expected = Math.round(u.input_tokens * 3 + 1200 * 3.75 + 3400 * 0.3 + u.output_tokens * 15);
    expect(Math.round(r.json.vecstruct.balance_consumed_usd * 1e6)).toBe(expected);
    const row = await auditRow(r.json.vecstruct.audit_id);
    expect(Number(row.costMicros)).toBe(expected);
    expect(row.promptTokens).toBe(u.input_tokens + 1200 + 3400);
    expect(row.cachedTokens).toBe(3400);
    const [entry] = await dbQuery<{ amountMicros: number }>(`SELECT "amountMicros" FROM ledger_entries WHERE "auditLogId" = ?`, row.id);
    expect(Number(entry!.amountMicros)).toBe(-expected);
  });

  it("a stream is billed at its end from message_start and message_delta usage", async () => {
    const r = await raw({ model: CLAUDE, max_tokens: 64, stream: true, system: [{ type: "text", text: "cached ".repeat(1000), cache_control: { type: "ephemeral" } }], messages: [{ role: "user", content: "stream bill" }] });
    const start = JSON.parse(r.events[0]!.data).message.usage;
    const delta = JSON.parse(r.events.find((e) => e.event === "message_delta")!.data).usage;
    const expected = Math.round(start.input_tokens * 3 + 1200 * 3.75 + 3400 * 0.3 + delta.output_tokens * 15);
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(Number(row.costMicros)).toBe(expected);
    expect(row.usageEstimated).toBeFalsy();
  });

  it("the catalog carries the cache-write price", async () => {
    const models = await admin("/api/models");
    const sonnet = models.data.find((m: any) => m.id === CLAUDE);
    expect(sonnet.cache_write_price_per_mtok).toBe(3.75);
  });
});

describe("/v1/messages security", () => {
  it("another tenant's project_id is a 403 permission_error", async () => {
    const other = await orgWithKey(`other-${Date.now()}`);
    const r = await raw({ model: CLAUDE, max_tokens: 16, messages: [{ role: "user", content: "x" }], vecstruct: { project_id: other.projectId } });
    expect(r.status).toBe(403);
    expect(r.json.error.type).toBe("permission_error");
  });

  it("a key's model allow-list holds, fallbacks included", async () => {
    const limited = await newKey({ models: ["openai/gpt-4o"] });
    await expect(sdk(limited.key).messages.create({ model: CLAUDE, max_tokens: 16, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 403, type: "permission_error" });
    const viaFallback = await raw({ model: "openai/gpt-4o", models: [CLAUDE], max_tokens: 16, messages: [{ role: "user", content: "x" }] }, { apiKey: limited.key });
    expect(viaFallback.status).toBe(403);
  });

  it("x-api-key with a revoked key is a 401", async () => {
    const revoked = await newKey();
    expect((await raw({ model: CLAUDE, max_tokens: 16, messages: [{ role: "user", content: "before" }] }, { apiKey: revoked.key })).status).toBe(200);
    await fetch(`${baseURL}/api/keys/${revoked.keyId}`, { method: "DELETE", headers: { authorization: `Bearer ${inject("adminKey")}` } });
    await new Promise((r) => setTimeout(r, 2_100)); // the key cache's TTL
    const after = await raw({ model: CLAUDE, max_tokens: 16, messages: [{ role: "user", content: "after" }] }, { apiKey: revoked.key });
    expect(after.status).toBe(401);
    expect(after.json.error.type).toBe("authentication_error");
  });

  it("never sends the client's key upstream", async () => {
    const all = await upstreamRequests();
    expect(JSON.stringify(all.filter((r) => r.path.startsWith("/v1/messages")).map((r) => r.headers))).not.toContain(key);
    expect(keyId).toMatch(/./);
    expect(projectId).toMatch(/./);
  });
});

const TRANSLATED = ["openai/gpt-4o", "google/gemini-2.0-flash", "local/llama-3"] as const;

describe.each(TRANSLATED)("/v1/messages on %s (translated)", (model) => {
  it("messages.create: Anthropic's message with usage, billed and audited", async () => {
    const msg = (await sdk().messages.create({ model, max_tokens: 64, messages: [{ role: "user", content: `hello ${model}` }] })) as any;
    expect(msg.type).toBe("message");
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.model).toBe(model);
    expect(msg.content).toEqual([{ type: "text", text: `Echo: hello ${model}` }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    const row = await auditRow(msg.vecstruct.audit_id);
    expect(row.endpoint).toBe("/v1/messages");
    expect(row.model).toBe(model);
    expect(row.status).toBe("success");
    expect(row.completionTokens).toBe(msg.usage.output_tokens);
    // local/ models are unpriced in this suite; the others cost what the ledger says.
    if (!model.startsWith("local/")) expect(Number(row.costMicros)).toBeGreaterThan(0);
    expect(Math.round(msg.vecstruct.balance_consumed_usd * 1e6)).toBe(Number(row.costMicros));
  });

  it("messages.stream + finalMessage in Anthropic's grammar, usage in message_delta", async () => {
    const final = await sdk().messages.stream({ model, max_tokens: 64, messages: [{ role: "user", content: `stream ${model}` }] }).finalMessage();
    expect(final.content).toEqual([{ type: "text", text: `Echo: stream ${model}` }]);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    const r = await raw({ model, max_tokens: 64, stream: true, messages: [{ role: "user", content: `raw ${model}` }], vecstruct: {} });
    expect(r.status).toBe(200);
    const message = expectAnthropicOrder(r.events);
    expect(message.content).toEqual([{ type: "text", text: `Echo: raw ${model}` }]);
    const names = r.events.map((e) => e.event);
    expect(names.slice(-2)).toEqual(["vecstruct", "message_stop"]);
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    expect(row.status).toBe("success");
    expect(row.responseText).toBe(`Echo: raw ${model}`);
    expect(row.usageEstimated).toBeFalsy();
  });

  it("a tool round trip through the translation", async () => {
    const tools = [{ name: "get_weather", description: "weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const first = await sdk().messages.stream({ model, max_tokens: 128, tools, messages: [{ role: "user", content: `weather? ${model}` }] }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use")!;
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Paris" } });
    const second = await sdk().messages.create({
      model,
      max_tokens: 128,
      tools,
      messages: [
        { role: "user", content: `weather? ${model}` },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "sunny" }] },
      ],
    });
    expect(second.content[0]!.type).toBe("text");
    expect((second.content[0] as { text: string }).text).toContain("Tool result:");
    expect((second.content[0] as { text: string }).text).toContain("sunny");
  });

  it("count_tokens is counted by the tokenizer, no upstream call", async () => {
    const before = (await upstreamRequests()).length;
    const counted = await sdk().messages.countTokens({ model, messages: [{ role: "user", content: "count these few words please" }] });
    expect(counted.input_tokens).toBeGreaterThan(3);
    expect(counted.input_tokens).toBeLessThan(40);
    const after = await upstreamRequests();
    expect(after.slice(before).some((r) => JSON.stringify(r.body).includes("count these few words"))).toBe(false);
  });

  it("an error after the stream started is Anthropic's event: error", async () => {
    const r = await raw({ model, max_tokens: 64, stream: true, messages: [{ role: "user", content: "cut me [[fault:drop]]" }] });
    expect(r.status).toBe(200);
    const last = r.events[r.events.length - 1]!;
    expect(last.event).toBe("error");
    expect(JSON.parse(last.data).error.type).toBe("api_error");
  });
});

describe("/v1/messages across protocols", () => {
  it("falls back from an OpenAI-compatible model that is down to the native Anthropic path", async () => {
    const msg = (await sdk().messages.create({ model: "local/down-model", models: [CLAUDE], max_tokens: 32, messages: [{ role: "user", content: "fallback please" }] } as never)) as any;
    expect(msg.model).toBe(CLAUDE);
    expect(msg.content).toEqual([{ type: "text", text: "Echo: fallback please" }]);
    const row = await auditRow(msg.vecstruct.audit_id);
    const attempts = JSON.parse(row.attempts);
    expect(attempts[0].model).toBe("local/down-model");
    expect(attempts[attempts.length - 1]).toMatchObject({ model: CLAUDE, status: 200 });
  });

  it("a native stream that fails before its first content block is retried, then falls back to a translated model", async () => {
    const r = await raw({ model: CLAUDE, models: ["openai/gpt-4o"], max_tokens: 32, stream: true, messages: [{ role: "user", content: "fall over [[fault:early-overloaded]]" }] });
    expect(r.status).toBe(200);
    const message = expectAnthropicOrder(r.events);
    expect(message.model).toBe("openai/gpt-4o");
    expect(message.content).toEqual([{ type: "text", text: "Echo: fall over" }]);
    const row = await auditRow(r.headers.get("x-vecstruct-audit-id")!);
    const attempts = JSON.parse(row.attempts);
    expect(attempts.filter((a: { model: string }) => a.model === CLAUDE).length).toBeGreaterThan(1);
    expect(attempts[attempts.length - 1]).toMatchObject({ model: "openai/gpt-4o", status: 200 });
    expect(row.model).toBe("openai/gpt-4o");
    expect(row.status).toBe("success");
  });

  it("max_tokens above a translated model's output limit is lowered to it, with a warning (Claude Code sends 32000)", async () => {
    const r = await raw({ model: "openai/gpt-4o", max_tokens: 32000, messages: [{ role: "user", content: "clamp-max-tokens" }] });
    expect(r.status).toBe(200);
    const sent = await lastUpstreamRequest("clamp-max-tokens");
    expect(sent.body.max_completion_tokens).toBe(16384);
    expect(r.json.vecstruct.warnings.join(" ")).toContain("max_tokens 32000 was lowered to 16384");
  });

  it("a field the translated upstream cannot honour is a 400 naming it", async () => {
    const r = await raw({ model: "openai/gpt-4o", max_tokens: 32, top_k: 5, messages: [{ role: "user", content: "x" }] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("top_k") } });
  });

  it("Anthropic-only hints are accepted on a translated model and listed in vecstruct.warnings", async () => {
    const r = await raw(
      { model: "openai/gpt-4o", max_tokens: 32, system: [{ type: "text", text: "s", cache_control: { type: "ephemeral" } }], messages: [{ role: "user", content: "hints" }] },
      { headers: { "anthropic-beta": "prompt-caching-2024-07-31" } },
    );
    expect(r.status).toBe(200);
    expect(r.json.vecstruct.warnings.join(" ")).toContain("anthropic-beta");
    expect(r.headers.get("x-vecstruct-warnings")).toBeTruthy();
  });
});
