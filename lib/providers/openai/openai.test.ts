// The OpenAI adapter against recorded-format fixtures (fixtures/README.md): the request we send
// upstream, and every answer replayed through the same parser and transformer the gateway runs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { chatRequestSchema } from "../../wire/chat";
import { chatAdapterFor } from "../registry";
import { parseSseText } from "../sse";
import type { ChatCompletionChunk, ResponseContext, SseEvent } from "../types";
import { openaiAdapter } from ".";

const ctx: ResponseContext = { id: "chatcmpl-ours", created: 1_700_000_000, model: "openai/gpt-4o" };
const target = { baseUrl: "https://api.openai.com/v1/", apiKey: "sk-test", upstreamModel: "gpt-4o-2024-08-06" };
const compatible = chatAdapterFor("openai-compatible")!;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const fixtureJson = (name: string): unknown => JSON.parse(fixture(name));

/** Replays a recorded stream through the SSE parser and the adapter's transformer. */
async function replay(name: string, adapter = openaiAdapter): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  return replayText(fixture(name), adapter);
}

async function replayText(text: string, adapter = openaiAdapter): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  const events = await parseSseText(text, 11);
  const source = new ReadableStream<SseEvent>({
    start(c) {
      for (const e of events) c.enqueue(e);
      c.close();
    },
  });
  const reader = source.pipeThrough(adapter.streamTransformer(ctx)).getReader();
  const chunks: ChatCompletionChunk[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks };
      chunks.push(value);
    }
  } catch (error) {
    return { chunks, error };
  }
}

/** What a client accumulates from choice 0 of a stream. */
function accumulate(chunks: ChatCompletionChunk[]) {
  const out = { content: "", reasoning: "", refusal: "", toolCalls: [] as { id?: string; name?: string; arguments: string }[], finish: [] as string[] };
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      out.content += delta.content ?? "";
      out.reasoning += delta.reasoning_content ?? "";
      out.refusal += typeof delta.refusal === "string" ? delta.refusal : "";
      for (const call of delta.tool_calls ?? []) {
        const slot = (out.toolCalls[call.index] ??= { arguments: "" });
        slot.id ??= call.id;
        slot.name ??= call.function?.name;
        slot.arguments += call.function?.arguments ?? "";
      }
      if (choice.finish_reason) out.finish.push(choice.finish_reason);
    }
  }
  return out;
}

const request = (fields: Record<string, unknown>) => chatRequestSchema.parse({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hi" }], ...fields });

describe("openai request", () => {
  it("passes the body through with the upstream model and without our extension", () => {
    const out = openaiAdapter.buildRequest(
      request({
        temperature: 0.2,
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }],
        parallel_tool_calls: true,
        logprobs: true,
        top_logprobs: 2,
        response_format: { type: "json_schema", json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { a: { type: "string" } } } } },
        vecstruct: { project_id: "proj_1" },
        stream: true,
      }),
      target,
      { stream: false },
    );
    expect(out).toMatchSnapshot();
    expect(out.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(out.body).not.toHaveProperty("vecstruct");
    expect(out.body).not.toHaveProperty("stream");
  });

  it("always asks a stream for usage, keeping the client's other stream options", () => {
    const out = openaiAdapter.buildRequest(request({ stream: true, stream_options: { include_usage: false } }), target, { stream: true });
    expect(out).toMatchSnapshot();
    expect(out.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, model: "gpt-4o-2024-08-06" });
    expect(out.headers.accept).toBe("text/event-stream");
  });

  it("sends no authorization to a compatible server without a key", () => {
    const out = compatible.buildRequest(request({}), { baseUrl: "http://127.0.0.1:8000/v1", apiKey: "", upstreamModel: "Qwen/Qwen3-8B" }, { stream: false });
    expect(out.url).toBe("http://127.0.0.1:8000/v1/chat/completions");
    expect(out.headers).toEqual({ "content-type": "application/json" });
  });
});

describe("openai JSON answers", () => {
  it.each(["text.json", "tool-calls-parallel.json", "refusal.json", "logprobs.json", "compatible-vllm.json"])("parses %s", (name) => {
    const out = openaiAdapter.parseResponse(fixtureJson(name), ctx);
    expect(out.model).toBe(ctx.model);
    expect(out).toMatchSnapshot();
  });

  it("keeps the upstream's id, fields we do not know, and the usage details we price", () => {
    const out = openaiAdapter.parseResponse(fixtureJson("text.json"), ctx);
    expect(out.id).toBe("chatcmpl-CZxb7QvJ0Wc1Yf2mEo8tHs4KdLp3a");
    expect(out.service_tier).toBe("default");
    expect(out.choices[0]?.message.annotations).toEqual([]);
    expect(out.usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
    expect(out.usage?.completion_tokens_details?.reasoning_tokens).toBe(128);
  });

  it("reads parallel tool calls, a refusal and logprobs as sent", () => {
    const calls = openaiAdapter.parseResponse(fixtureJson("tool-calls-parallel.json"), ctx).choices[0];
    expect(calls?.finish_reason).toBe("tool_calls");
    expect(calls?.message.tool_calls?.map((c) => c.function.name)).toEqual(["get_weather", "get_time"]);
    const refusal = openaiAdapter.parseResponse(fixtureJson("refusal.json"), ctx).choices[0]?.message;
    expect(refusal).toMatchObject({ content: null, refusal: "I'm sorry, I can't assist with that request." });
    const logprobs = openaiAdapter.parseResponse(fixtureJson("logprobs.json"), ctx).choices[0]?.logprobs as { content: { token: string }[] };
    expect(logprobs.content.map((t) => t.token)).toEqual(["Yes", "."]);
  });

  it("reads a vLLM answer whose prompt_tokens_details is null", () => {
    const out = compatible.parseResponse(fixtureJson("compatible-vllm.json"), ctx);
    expect(out.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 10, total_tokens: 22 });
    expect(out.usage?.prompt_tokens_details).toBeUndefined();
    expect(out.choices[0]?.message).toMatchObject({ content: "Hello! How can I help you today?", tool_calls: [] });
    expect(out.choices[0]).toHaveProperty("stop_reason", null); // vLLM's own field, kept
  });

  it("fills in what a lax server leaves out: total_tokens, id, created, a message's role and content", () => {
    const out = compatible.parseResponse({ choices: [{ index: 0, message: {}, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 4 } }, ctx);
    expect(out).toMatchObject({ id: ctx.id, created: ctx.created, object: "chat.completion", usage: { total_tokens: 7 } });
    expect(out.choices[0]?.message).toEqual({ role: "assistant", content: null });
  });

  it.each([
    ["no choices", { id: "x" }],
    ["choices not a list", { choices: {} }],
    ["a choice without a message", { choices: [{ index: 0 }] }],
    ["content that is not text", { choices: [{ index: 0, message: { content: [{ type: "text" }] } }] }],
    ["usage that is not counted", { choices: [], usage: { prompt_tokens: "12", completion_tokens: 1 } }],
    ["not an object", "OK"],
  ])("refuses %s as an upstream_error", (_what, body) => {
    expect(() => openaiAdapter.parseResponse(body, ctx)).toThrow(ApiError);
    try {
      openaiAdapter.parseResponse(body, ctx);
    } catch (err) {
      expect(err).toMatchObject({ code: "upstream_error", message: "The upstream answered with something that is not a chat.completion." });
    }
  });
});

describe("openai streams", () => {
  it("relays text under our model id and moves usage (with cached and reasoning tokens) to the last chunk", async () => {
    const { chunks, error } = await replay("text.sse");
    expect(error).toBeUndefined();
    expect(chunks).toMatchSnapshot();
    expect(accumulate(chunks)).toMatchObject({ content: "Hello! How can I help today?", finish: ["stop"] });
    expect(chunks.every((c) => c.model === ctx.model && c.id === "chatcmpl-CZxY2kqP8h3VwJtq5sB1Lr0aNmE7d")).toBe(true);
    expect(chunks.slice(0, -1).every((c) => !("usage" in c))).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 1117, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 0 } });
    expect(last?.system_fingerprint).toBe("fp_cbf1785567");
  });

  it("relays parallel tool calls as OpenAI numbers them", async () => {
    const { chunks } = await replay("tool-calls-parallel.sse");
    expect(chunks).toMatchSnapshot();
    const acc = accumulate(chunks);
    expect(acc.toolCalls).toEqual([
      { id: "call_8Kx2mQ7rT1bV9nWc4YdE5fGh", name: "get_weather", arguments: '{"location": "Paris, FR"}' },
      { id: "call_3Jp6sL0aZ8uN2xRq5TcM7vKe", name: "get_weather", arguments: '{"location": "Tokyo, JP"}' },
    ]);
    expect(acc.finish).toEqual(["tool_calls"]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(130);
  });

  it("relays a refusal", async () => {
    const { chunks } = await replay("refusal.sse");
    expect(accumulate(chunks)).toMatchObject({ content: "", refusal: "I'm sorry, I can't assist with that request.", finish: ["stop"] });
  });

  it("relays logprobs per chunk", async () => {
    const { chunks } = await replay("logprobs.sse");
    expect(chunks).toMatchSnapshot();
    const tokens = chunks.flatMap((c) => c.choices.flatMap((ch) => (ch.logprobs as { content?: { token: string }[] } | null)?.content ?? []));
    expect(tokens.map((t) => t.token)).toEqual(["Yes", "."]);
  });

  it("fails with an upstream_error at an error event, after what was generated", async () => {
    const { chunks, error } = await replay("error-mid-stream.sse");
    expect(accumulate(chunks).content).toBe("Once upon a time");
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "upstream_error", message: "The upstream failed mid-stream: The server had an error while processing your request. Sorry about that!" });
  });

  it("relays a compatible server's reasoning_content, and usage sent on its last content chunk", async () => {
    const { chunks, error } = await replay("compatible-reasoning.sse", compatible);
    expect(error).toBeUndefined();
    expect(chunks).toMatchSnapshot();
    expect(accumulate(chunks)).toMatchObject({ reasoning: "The user asks 9.11 vs 9.9.", content: "9.9 is larger.", finish: ["stop"] });
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ completion_tokens: 39, completion_tokens_details: { reasoning_tokens: 31 }, prompt_cache_miss_tokens: 17 });
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
  });

  it.each([
    ["broken JSON", 'data: {"choices": [\n\n', "The upstream sent a malformed stream event."],
    ["an event without choices", 'data: {"id": "x"}\n\n', "The upstream sent a stream event that is not a chat.completion.chunk."],
    ["a choice without a delta", 'data: {"choices": [{"index": 0}]}\n\n', "The upstream sent a stream event that is not a chat.completion.chunk."],
    ["an index that is not a number", 'data: {"choices": [{"index": "0", "delta": {}}]}\n\n', "The upstream sent a stream event that is not a chat.completion.chunk."],
    ["usage that is not counted", 'data: {"choices": [], "usage": {"prompt_tokens": null}}\n\n', "The upstream sent a stream event that is not a chat.completion.chunk."],
    ["an error as a string", 'data: {"error": "overloaded"}\n\n', "The upstream failed mid-stream: overloaded"],
  ])("refuses %s as an upstream_error", async (_what, text, message) => {
    const { error } = await replayText(text);
    expect(error).toMatchObject({ code: "upstream_error", message });
  });
});

describe("openai errors", () => {
  it.each([
    [400, "error-bad-request.json", "invalid_value", 400],
    [401, "error-invalid-key.json", "upstream_auth_error", 502],
    [429, "error-rate-limit.json", "rate_limit_exceeded", 429],
    [500, "error-bad-request.json", "upstream_error", 502],
  ])("maps HTTP %i", (status, body, code, ourStatus) => {
    const err = openaiAdapter.mapError(status, fixture(body));
    expect({ code: err.code, status: err.status }).toEqual({ code, status: ourStatus });
  });

  it("passes OpenAI's message on for a 400 but never its text about our key", () => {
    expect(openaiAdapter.mapError(400, fixture("error-bad-request.json")).message).toBe("Invalid type for 'temperature': expected a decimal, but got a string instead.");
    expect(openaiAdapter.mapError(401, fixture("error-invalid-key.json")).message).not.toContain("sk-proj");
  });
});

describe("openai lax chunks", () => {
  it("relays a chunk without logprobs, finish_reason, id, created or a choice index", async () => {
    const { chunks, error } = await replayText('data: {"choices": [{"delta": {"content": "hi"}}]}\n\ndata: [DONE]\n\n');
    expect(error).toBeUndefined();
    expect(chunks).toEqual([{ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model, choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }] }]);
  });
});

describe("openai content parts", () => {
  it("forwards a streamed list of content parts (Mistral's reasoning models) as sent", async () => {
    const content = [{ type: "thinking", thinking: [{ type: "text", text: "Hmm." }] }];
    const { chunks, error } = await replayText(`data: ${JSON.stringify({ id: "m1", object: "chat.completion.chunk", created: 1, model: "magistral-medium-2509", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
    expect(error).toBeUndefined();
    expect(chunks[0]?.choices[0]?.delta.content).toEqual(content);
  });

  it("refuses a JSON answer whose content is not text (the gateway reads it as text)", () => {
    expect(() => openaiAdapter.parseResponse({ choices: [{ index: 0, message: { content: [{ type: "text", text: "x" }] } }] }, ctx)).toThrow("not a chat.completion");
  });
});
