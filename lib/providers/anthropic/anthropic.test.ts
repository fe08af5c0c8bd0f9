import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { chatRequestSchema, type ChatRequest } from "../../wire/chat";
import { parseSseText } from "../sse";
import type { ChatCompletionChunk, ResponseContext, SseEvent } from "../types";
import { anthropicAdapter } from ".";
import { mapStopReason } from "./finish-reason";
import { messagesUrl } from "./request";
import { usesAdaptiveThinking } from "./thinking";
import type { AnthropicRequestBody } from "./wire";

const ctx: ResponseContext = { id: "chatcmpl-test", created: 1_700_000_000, model: "anthropic/claude-sonnet-4-5" };
const target = { baseUrl: "https://api.anthropic.com", apiKey: "sk-ant-test", upstreamModel: "claude-sonnet-4-5-20250929" };

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const fixtureJson = (name: string): unknown => JSON.parse(fixture(name));

function request(fields: Record<string, unknown>): ChatRequest {
  return chatRequestSchema.parse({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }], ...fields });
}

function build(fields: Record<string, unknown>, opts: { stream?: boolean; model?: string } = {}) {
  const out = anthropicAdapter.buildRequest(request(fields), { ...target, upstreamModel: opts.model ?? target.upstreamModel }, { stream: opts.stream ?? false });
  return { ...out, body: out.body as AnthropicRequestBody };
}

function buildError(fields: Record<string, unknown>, model?: string): ApiError {
  try {
    build(fields, { model });
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

/** Replays a recorded stream through the SSE parser and our transformer. */
async function replay(name: string): Promise<{ chunks: ChatCompletionChunk[]; error?: unknown }> {
  const events = await parseSseText(fixture(name), 7);
  const source = new ReadableStream<SseEvent>({
    start(c) {
      for (const e of events) c.enqueue(e);
      c.close();
    },
  });
  const reader = source.pipeThrough(anthropicAdapter.streamTransformer(ctx)).getReader();
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

const deltas = (chunks: ChatCompletionChunk[]) => chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
const streamedText = (chunks: ChatCompletionChunk[]) => deltas(chunks).map((d) => d.content ?? "").join("");
const finishReasons = (chunks: ChatCompletionChunk[]) => chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean);

describe("anthropic request", () => {
  it("targets /v1/messages on the origin with Anthropic's headers", () => {
    const out = build({});
    expect(out.url).toBe("https://api.anthropic.com/v1/messages");
    expect(out.headers).toEqual({ "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01", "content-type": "application/json" });
    expect(out.body).toEqual({ model: "claude-sonnet-4-5-20250929", max_tokens: 4096, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
    expect(out.warnings).toEqual([]);
  });

  it("accepts a base URL with a trailing slash or /v1", () => {
    expect(messagesUrl("https://api.anthropic.com/")).toBe("https://api.anthropic.com/v1/messages");
    expect(messagesUrl("https://proxy.example.com/anthropic/v1/")).toBe("https://proxy.example.com/anthropic/v1/messages");
  });

  it("translates a rich conversation", () => {
    const out = build(
      {
        messages: [
          { role: "system", content: "You are a travel assistant." },
          { role: "user", content: [{ type: "text", text: "What is the weather in Paris and Tokyo? Here is a map:" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
          { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/tokyo.jpg", detail: "auto" } }] },
          {
            role: "assistant",
            content: "Let me check.",
            tool_calls: [
              { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } },
            ],
          },
          { role: "tool", tool_call_id: "toolu_1", content: "18°C, cloudy" },
          { role: "developer", content: "Answer in one sentence." },
          { role: "tool", tool_call_id: "toolu_2", content: [{ type: "text", text: "24°C, sunny" }] },
          { role: "user", content: "Also, which is warmer?" },
        ],
        tools: [
          { type: "function", function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
          { type: "function", function: { name: "get_time" } },
        ],
        stop: ["\n\nHuman:", "END"],
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 1000,
        user: "user-42",
        parallel_tool_calls: false,
        response_format: {
          type: "json_schema",
          json_schema: { name: "comparison", schema: { type: "object", properties: { warmer: { type: "string" } }, required: ["warmer"] } },
        },
        stream_options: { include_usage: true },
      },
      { stream: true },
    );
    expect(out.body).toMatchSnapshot();
    expect(out.warnings).toEqual([]);
    const [first, second, third] = out.body.messages;
    expect(first?.content.map((b) => b.type)).toEqual(["text", "image", "image"]);
    // tool results lead the user turn, the user's next words follow them
    expect(third?.content.map((b) => b.type)).toEqual(["tool_result", "tool_result", "text"]);
    expect(second?.role).toBe("assistant");
    expect(out.body.system).toEqual([
      { type: "text", text: "You are a travel assistant." },
      { type: "text", text: "Answer in one sentence." },
    ]);
    expect(out.body.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(out.body.stream).toBe(true);
  });

  it("maps tool_choice and parallel_tool_calls", () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { properties: { q: { type: "string" } } } } }];
    expect(build({ tools }).body.tool_choice).toBeUndefined();
    expect(build({ tools }).body.tools).toEqual([{ name: "lookup", input_schema: { type: "object", properties: { q: { type: "string" } } } }]);
    expect(build({ tools, tool_choice: "auto" }).body.tool_choice).toEqual({ type: "auto" });
    expect(build({ tools, tool_choice: "required" }).body.tool_choice).toEqual({ type: "any" });
    expect(build({ tools, tool_choice: "none" }).body.tool_choice).toEqual({ type: "none" });
    expect(build({ tools, tool_choice: { type: "function", function: { name: "lookup" } } }).body.tool_choice).toEqual({ type: "tool", name: "lookup" });
    expect(build({ tools, parallel_tool_calls: false }).body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(build({ tool_choice: "none" }).body).not.toHaveProperty("tool_choice");
  });

  it("emulates json_object with a forced answer tool", () => {
    const { body } = build({ response_format: { type: "json_object" } });
    expect(body.tools).toEqual([expect.objectContaining({ name: "vecstruct_json", input_schema: { type: "object", additionalProperties: true } })]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "vecstruct_json", disable_parallel_tool_use: true });
    expect(build({ response_format: { type: "text" } }).body).not.toHaveProperty("tools");
  });

  it("keeps client tools callable next to a json_schema answer, and forces the answer under tool_choice none", () => {
    const tools = [{ type: "function", function: { name: "lookup" } }];
    const response_format = { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } };
    expect(build({ tools, response_format }).body.tool_choice).toEqual({ type: "any" });
    expect(build({ tools, response_format, tool_choice: "none" }).body.tool_choice).toEqual({ type: "tool", name: "vecstruct_json_answer", disable_parallel_tool_use: true });
    expect(build({ tools, response_format, tool_choice: "required" }).body.tools?.map((t) => t.name)).toEqual(["lookup"]);
  });

  it("clamps temperature above Anthropic's range with a warning", () => {
    const out = build({ temperature: 1.7 });
    expect(out.body.temperature).toBe(1);
    expect(out.warnings).toEqual(["temperature 1.7 was clamped to 1, Anthropic's maximum."]);
    expect(build({ temperature: 0.7 }).warnings).toEqual([]);
  });

  it("passes cache_control on and warns about what Anthropic ignores", () => {
    const out = build({
      messages: [
        { role: "system", content: [{ type: "text", text: "Long manual…", cache_control: { type: "ephemeral", ttl: "1h" } }], name: "setup" },
        { role: "user", name: "alice", content: [{ type: "image_url", image_url: { url: "https://example.com/a.webp", detail: "low" } }] },
      ],
      tools: [{ type: "function", function: { name: "f", strict: true } }],
    });
    expect(out.body.system).toEqual([{ type: "text", text: "Long manual…", cache_control: { type: "ephemeral", ttl: "1h" } }]);
    expect(out.warnings).toEqual([
      "image_url.detail is not supported by Anthropic and was ignored.",
      "Message names are not supported by Anthropic and were ignored (messages[0], messages[1]).",
      "Anthropic does not enforce strict tool schemas; tool inputs follow the schema on a best-effort basis.",
    ]);
  });

  it("accepts the neutral values of fields Anthropic lacks", () => {
    const out = build({ n: 1, logprobs: false, logit_bias: {}, presence_penalty: 0, frequency_penalty: 0, modalities: ["text"], seed: null, stream: true, store: null });
    expect(out.body).toEqual({ model: target.upstreamModel, max_tokens: 4096, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
  });

  it.each([
    ["n", { n: 2 }, "unsupported_parameter"],
    ["logprobs", { logprobs: true }, "unsupported_parameter"],
    ["top_logprobs", { top_logprobs: 3 }, "unsupported_parameter"],
    ["logit_bias", { logit_bias: { "50256": -100 } }, "unsupported_parameter"],
    ["presence_penalty", { presence_penalty: 0.5 }, "unsupported_parameter"],
    ["frequency_penalty", { frequency_penalty: -0.5 }, "unsupported_parameter"],
    ["seed", { seed: 42 }, "unsupported_parameter"],
    ["modalities", { modalities: ["text", "audio"] }, "unsupported_parameter"],
    ["service_tier", { service_tier: "flex" }, "unsupported_parameter"],
    ["functions", { functions: [{ name: "f" }] }, "unsupported_parameter"],
    ["messages[0].content[0]", { messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }] }, "unsupported_parameter"],
    ["messages[0].content[1]", { messages: [{ role: "system", content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "https://x/y.png" } }] }, { role: "user", content: "b" }] }, "unsupported_parameter"],
    ["messages[0].content[0].image_url.url", { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/tiff;base64,AAAA" } }] }] }, "invalid_value"],
    ["messages[0].content[0].image_url.url", { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] }] }, "invalid_value"],
    ["messages[0].content[0].cache_control", { messages: [{ role: "user", content: [{ type: "text", text: "a", cache_control: { type: "persistent" } }] }] }, "invalid_value"],
    ["messages[1].audio", { messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b", audio: { id: "audio_1" } }] }, "unsupported_parameter"],
    [
      "messages[1].tool_calls[1].function.arguments",
      {
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", tool_calls: [{ id: "t1", function: { name: "f", arguments: "{}" } }, { id: "t2", function: { name: "f", arguments: "{city:" } }] },
        ],
      },
      "invalid_value",
    ],
    ["messages[1].thinking_blocks[0]", { messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b", reasoning_content: "r", thinking_blocks: [{ type: "thinking", thinking: "r" }] }] }, "invalid_value"],
    ["messages", { messages: [{ role: "system", content: "only instructions" }] }, "invalid_value"],
    ["tool_choice", { tools: [{ type: "function", function: { name: "a" } }], tool_choice: { type: "function", function: { name: "b" } } }, "invalid_value"],
    ["tool_choice", { tool_choice: "required" }, "invalid_value"],
    ["tools[0].function.name", { tools: [{ type: "function", function: { name: "vecstruct_json_x" } }] }, "invalid_value"],
    ["response_format.json_schema.schema", { response_format: { type: "json_schema", json_schema: { name: "list", schema: { type: "array" } } } }, "invalid_value"],
  ])("rejects %s", (param, fields, code) => {
    const err = buildError(fields);
    expect({ status: err.status, code: err.code, param: err.param }).toEqual({ status: 400, code, param });
  });
});

describe("anthropic reasoning", () => {
  it("maps reasoning_effort to a thinking budget below max_tokens on manual-budget models", () => {
    const model = "claude-3-7-sonnet-20250219";
    expect(build({ reasoning_effort: "low" }, { model }).body).toMatchObject({ thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 1024 + 4096 });
    expect(build({ reasoning_effort: "medium" }, { model }).body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(build({ reasoning_effort: "high", max_tokens: 32000 }, { model }).body).toMatchObject({ thinking: { budget_tokens: 16384 }, max_tokens: 32000 });
    expect(build({ reasoning_effort: "none" }, { model }).body).not.toHaveProperty("thinking");
  });

  it("fits the budget into a small max_tokens, raising it only below Anthropic's minimum", () => {
    const model = "claude-sonnet-4-20250514";
    const fitted = build({ reasoning_effort: "high", max_tokens: 6000 }, { model });
    expect(fitted.body).toMatchObject({ thinking: { budget_tokens: 3000 }, max_tokens: 6000 });
    expect(fitted.warnings).toEqual(['The thinking budget for reasoning_effort "high" was reduced to 3000 tokens to fit max_tokens 6000.']);
    const raised = build({ reasoning_effort: "low", max_tokens: 500 }, { model });
    expect(raised.body).toMatchObject({ thinking: { budget_tokens: 1024 }, max_tokens: 1524 });
    expect(raised.warnings).toEqual(["max_tokens was raised from 500 to 1524: Anthropic's minimum thinking budget is 1024 tokens."]);
  });

  it("uses adaptive thinking with an effort on models that need it", () => {
    const { body } = build({ reasoning_effort: "minimal" }, { model: "claude-opus-4-7" });
    expect(body).toMatchObject({ thinking: { type: "adaptive", display: "summarized" }, output_config: { effort: "low" }, max_tokens: 20480 });
    expect(usesAdaptiveThinking("claude-sonnet-4-6")).toBe(true);
    expect(usesAdaptiveThinking("claude-mythos-preview")).toBe(true);
    expect(usesAdaptiveThinking("claude-opus-4-1-20250805")).toBe(false);
    expect(usesAdaptiveThinking("claude-haiku-4-5-20251001")).toBe(false);
    expect(usesAdaptiveThinking("claude-3-5-sonnet-latest")).toBe(false);
  });

  it.each([
    ["temperature", { reasoning_effort: "low", temperature: 0.3 }],
    ["top_p", { reasoning_effort: "low", top_p: 0.5 }],
    ["tool_choice", { reasoning_effort: "low", tools: [{ type: "function", function: { name: "f" } }], tool_choice: "required" }],
    ["response_format", { reasoning_effort: "low", response_format: { type: "json_object" } }],
  ])("rejects %s that Anthropic cannot combine with thinking", (param, fields) => {
    expect(buildError(fields)).toMatchObject({ code: "invalid_value", param });
  });

  it("sends signed thinking blocks back and leaves unsigned reasoning out", () => {
    const signed = { type: "thinking", thinking: "Need the weather.", signature: "EqQBCgIYAhIM" };
    const { body } = build({
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, reasoning_content: "Need the weather.", thinking_blocks: [signed], tool_calls: [{ id: "t1", function: { name: "w", arguments: "" } }] },
        { role: "tool", tool_call_id: "t1", content: "sunny" },
        { role: "assistant", content: "It is sunny.", reasoning_content: "Unsigned thoughts." },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.messages[1]?.content).toEqual([signed, { type: "tool_use", id: "t1", name: "w", input: {} }]);
    expect(body.messages[3]?.content).toEqual([{ type: "text", text: "It is sunny." }]);
  });
});

describe("anthropic response", () => {
  it("converts a text message with cached prompt tokens", () => {
    const out = anthropicAdapter.parseResponse(fixtureJson("text.json"), ctx);
    expect(out).toMatchSnapshot();
    expect(out.usage).toEqual({ prompt_tokens: 1557, completion_tokens: 31, total_tokens: 1588, prompt_tokens_details: { cached_tokens: 1536 } });
  });

  it("converts tool calls", () => {
    const out = anthropicAdapter.parseResponse(fixtureJson("tool-use.json"), ctx);
    expect(out.choices[0]?.finish_reason).toBe("tool_calls");
    expect(out.choices[0]?.message.tool_calls).toEqual([
      { id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' } },
      { id: "toolu_01QPXr8mLY5ewQQfwBZkQmfo", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo","unit":"celsius"}' } },
    ]);
    expect(out.usage?.prompt_tokens).toBe(472 + 1024);
  });

  it("converts thinking into reasoning_content and signed thinking_blocks", () => {
    const message = anthropicAdapter.parseResponse(fixtureJson("thinking.json"), ctx).choices[0]?.message;
    expect(message?.reasoning_content).toBe("The user wants 27 * 453. 27 * 453 = 27 * 400 + 27 * 53 = 10800 + 1431 = 12231.");
    expect(message?.thinking_blocks).toEqual([
      expect.objectContaining({ type: "thinking", signature: expect.stringMatching(/^ErUB/) }),
      expect.objectContaining({ type: "redacted_thinking" }),
    ]);
    expect(message?.content).toBe("27 × 453 = **12,231**");
  });

  it("turns the JSON-answer tool back into content with finish_reason stop", () => {
    const choice = anthropicAdapter.parseResponse(fixtureJson("json-schema.json"), ctx).choices[0];
    expect(choice?.finish_reason).toBe("stop");
    expect(choice?.message.tool_calls).toBeUndefined();
    expect(JSON.parse(choice?.message.content ?? "")).toEqual({ name: "Paris", country: "France", population: 2102650 });
  });

  it("rejects a body that is not a message", () => {
    expect(() => anthropicAdapter.parseResponse({ hello: "world" }, ctx)).toThrow(expect.objectContaining({ code: "upstream_error" }));
  });

  it.each([
    ["end_turn", false, "stop"],
    ["stop_sequence", false, "stop"],
    ["pause_turn", false, "stop"],
    ["max_tokens", false, "length"],
    ["tool_use", true, "tool_calls"],
    ["tool_use", false, "stop"],
    ["refusal", false, "content_filter"],
    [null, false, null],
  ] as const)("maps stop_reason %s (client tool calls: %s) to %s", (reason, tools, expected) => {
    expect(mapStopReason(reason, tools)).toBe(expected);
  });
});

describe("anthropic stream", () => {
  it("replays a text stream", async () => {
    const { chunks, error } = await replay("text.sse");
    expect(error).toBeUndefined();
    expect(chunks).toMatchSnapshot();
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    for (const c of chunks) expect(c).toMatchObject({ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model });
    const nonStream = anthropicAdapter.parseResponse(fixtureJson("text.json"), ctx);
    expect(streamedText(chunks)).toBe(nonStream.choices[0]?.message.content);
    expect(finishReasons(chunks)).toEqual(["stop"]);
    expect(chunks.at(-1)).toEqual({ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model, choices: [], usage: nonStream.usage });
  });

  it("replays parallel tool calls with OpenAI's tool indices", async () => {
    const { chunks } = await replay("tool-use.sse");
    expect(chunks).toMatchSnapshot();
    const calls: { id?: string; name?: string; args: string }[] = [];
    for (const d of deltas(chunks)) {
      for (const t of d.tool_calls ?? []) {
        const call = (calls[t.index] ??= { args: "" });
        if (t.id) call.id = t.id;
        if (t.function?.name) call.name = t.function.name;
        call.args += t.function?.arguments ?? "";
      }
    }
    const expected = anthropicAdapter.parseResponse(fixtureJson("tool-use.json"), ctx).choices[0]?.message.tool_calls;
    expect(calls.map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.args) as unknown }))).toEqual(
      expected?.map((t) => ({ id: t.id, name: t.function.name, args: JSON.parse(t.function.arguments) as unknown })),
    );
    expect(streamedText(chunks)).toBe("I'll look up the weather in both cities.");
    expect(finishReasons(chunks)).toEqual(["tool_calls"]);
    // message_delta carried output_tokens only: input and cache counts come from message_start (cache
    // writes named apart: billed at the catalog's cache-write price)
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 1496, completion_tokens: 89, total_tokens: 1585, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 1024 } });
  });

  it("gives a call without arguments parseable arguments", async () => {
    const { chunks } = await replay("tool-no-args.sse");
    const args = deltas(chunks).flatMap((d) => d.tool_calls ?? []).map((t) => t.function?.arguments ?? "").join("");
    expect(JSON.parse(args)).toEqual({});
    expect(finishReasons(chunks)).toEqual(["tool_calls"]);
  });

  it("replays thinking as reasoning_content and a signed block", async () => {
    const { chunks } = await replay("thinking.sse");
    expect(chunks).toMatchSnapshot();
    const expected = anthropicAdapter.parseResponse(fixtureJson("thinking.json"), ctx).choices[0]?.message;
    expect(deltas(chunks).map((d) => d.reasoning_content ?? "").join("")).toBe(expected?.reasoning_content);
    expect(deltas(chunks).flatMap((d) => (d.thinking_blocks as unknown[] | undefined) ?? [])).toEqual(
      expect.arrayContaining(expected?.thinking_blocks as unknown[]),
    );
    expect(streamedText(chunks)).toBe(expected?.content);
  });

  it("streams the JSON-answer tool as content", async () => {
    const { chunks } = await replay("json-schema.sse");
    expect(deltas(chunks).some((d) => d.tool_calls)).toBe(false);
    const expected = anthropicAdapter.parseResponse(fixtureJson("json-schema.json"), ctx).choices[0]?.message.content;
    expect(JSON.parse(streamedText(chunks))).toEqual(JSON.parse(expected ?? ""));
    expect(finishReasons(chunks)).toEqual(["stop"]);
  });

  it("reports max_tokens as length", async () => {
    const { chunks } = await replay("max-tokens.sse");
    expect(finishReasons(chunks)).toEqual(["length"]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(8);
  });

  it("throws an upstream_error for an error event, after what was generated", async () => {
    const { chunks, error } = await replay("error-mid-stream.sse");
    expect(streamedText(chunks)).toBe("Once upon a time, in a land far away,");
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "upstream_error", message: "The anthropic upstream failed mid-stream (overloaded_error: Overloaded)." });
  });

  it("throws when the stream ends before a stop reason", async () => {
    const cut = fixture("text.sse").split("event: content_block_stop")[0] ?? "";
    const events = await parseSseText(cut);
    const reader = new ReadableStream<SseEvent>({
      start(c) {
        for (const e of events) c.enqueue(e);
        c.close();
      },
    })
      .pipeThrough(anthropicAdapter.streamTransformer(ctx))
      .getReader();
    await expect((async () => {
      for (;;) if ((await reader.read()).done) return;
    })()).rejects.toMatchObject({ code: "upstream_error" });
  });
});

describe("anthropic errors", () => {
  it.each([
    [400, "error-invalid-request.json", "invalid_value", 400],
    [401, "error-authentication.json", "upstream_auth_error", 502],
    [429, "error-overloaded.json", "rate_limit_exceeded", 429],
    [529, "error-overloaded.json", "upstream_error", 502],
  ])("maps HTTP %i", (status, body, code, ourStatus) => {
    const err = anthropicAdapter.mapError(status, fixture(body));
    expect({ code: err.code, status: err.status }).toEqual({ code, status: ourStatus });
  });

  it("passes Anthropic's message on for a 400 but never its text about our key", () => {
    expect(anthropicAdapter.mapError(400, fixture("error-invalid-request.json")).message).toMatch(/^max_tokens: 100000 > 64000/);
    expect(anthropicAdapter.mapError(401, fixture("error-authentication.json")).message).not.toContain("x-api-key");
  });
});

describe("anthropic stream events of the wrong shape", () => {
  it.each([
    ["an index that is not a number", '{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"x"}}'],
    ["a text delta that is not text", '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}'],
    ["not an object", '"message_start"'],
  ])("refuses %s as an upstream_error", async (_what, data) => {
    const reader = new ReadableStream<SseEvent>({ start: (c) => (c.enqueue({ data }), c.close()) }).pipeThrough(anthropicAdapter.streamTransformer(ctx)).getReader();
    await expect(reader.read()).rejects.toMatchObject({ code: "upstream_error", message: "The anthropic upstream sent a stream event this gateway could not read." });
  });
});
