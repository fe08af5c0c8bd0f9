import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { parseSseText } from "../sse";
import { googleAdapter } from "./index";
import { accumulate, ctx, fixture, fixtureJson, replay } from "./test-helpers";
import { signatureFromToolCallId } from "./thought-signature";
import type { GeminiResponse } from "./wire";

const parse = (name: string) => googleAdapter.parseResponse(fixtureJson(name), ctx);
const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err);

describe("google parseResponse", () => {
  it.each(["text.json", "tool-call.json", "thinking.json", "two-candidates.json", "blocked-prompt.json", "tool-call-followup.json"])("%s (snapshot)", (name) => {
    expect(parse(name)).toMatchSnapshot();
  });

  it("maps text, ids and usage", () => {
    const completion = parse("text.json");
    expect(completion).toMatchObject({ id: ctx.id, object: "chat.completion", created: ctx.created, model: ctx.model });
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: "Waves fold into foam,\nsalt wind carries gull voices —\nthe tide keeps its time.\n", refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ]);
    expect(completion.usage).toEqual({
      prompt_tokens: 8,
      completion_tokens: 19,
      total_tokens: 27,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it("returns tool calls with JSON arguments and finish_reason tool_calls", () => {
    const [choice] = parse("tool-call.json").choices;
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((c) => JSON.parse(c.function.arguments))).toEqual([
      { location: "San Francisco, CA", unit: "celsius" },
      { location: "Tokyo", unit: "celsius" },
    ]);
    const signature = (fixtureJson("tool-call.json") as GeminiResponse).candidates?.[0]?.content?.parts?.[0]?.thoughtSignature;
    expect(signatureFromToolCallId(calls[0]?.id ?? "")).toBe(signature);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  });

  it("separates thoughts into reasoning_content and counts them as completion tokens", () => {
    const completion = parse("thinking.json");
    expect(completion.choices[0]?.message.reasoning_content).toMatch(/^\*\*Counting the letters\*\*/);
    expect(completion.choices[0]?.message.content).toBe("There are **3** r's in \"strawberry\". (st-**r**-awbe-**rr**-y)");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 235, total_tokens: 247, completion_tokens_details: { reasoning_tokens: 214 } });
  });

  it("returns one choice per candidate with logprobs", () => {
    const { choices } = parse("two-candidates.json");
    expect(choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, "Hello there!"],
      [1, "Hi!"],
    ]);
    expect(choices[1]?.logprobs).toEqual({
      content: [
        { token: "Hi", logprob: -3.9811, bytes: [72, 105], top_logprobs: [{ token: "Hello", logprob: -0.0213, bytes: [72, 101, 108, 108, 111] }, { token: "Hi", logprob: -3.9811, bytes: [72, 105] }] },
        { token: "!", logprob: -0.0125, bytes: [33], top_logprobs: [{ token: "!", logprob: -0.0125, bytes: [33] }, { token: " there", logprob: -4.3901, bytes: [32, 116, 104, 101, 114, 101] }] },
      ],
      refusal: null,
    });
  });

  it("answers a blocked prompt with content_filter and empty content", () => {
    const completion = parse("blocked-prompt.json");
    expect(completion.choices).toEqual([{ index: 0, message: { role: "assistant", content: "", refusal: null }, finish_reason: "content_filter", logprobs: null }]);
    expect(completion.usage?.prompt_tokens).toBe(9);
  });

  it("turns a malformed function call into a retryable upstream error", () => {
    expect(() => parse("malformed-function-call.json")).toThrow(ApiError);
    expect(() => parse("malformed-function-call.json")).toThrow(/MALFORMED_FUNCTION_CALL: Malformed function call: print/);
    try {
      parse("malformed-function-call.json");
    } catch (err) {
      expect(err).toMatchObject({ code: "upstream_error", status: 502 });
    }
  });
});

describe("google streamTransformer", () => {
  it.each(["text.sse", "tool-call.sse", "thinking.sse", "safety.sse", "blocked-prompt.sse"])("%s (snapshot)", async (name) => {
    expect(await replay(name)).toMatchSnapshot();
  });

  it("frames every chunk as an OpenAI chunk and starts with the role", async () => {
    const chunks = await replay("text.sse");
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: ctx.id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model });
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null, logprobs: null }]);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(3);
  });

  it.each([
    ["text.sse", "text.json"],
    ["tool-call.sse", "tool-call.json"],
    ["thinking.sse", "thinking.json"],
  ])("%s streams what %s answers", async (stream, json) => {
    const streamed = accumulate(await replay(stream)).get(0);
    const [choice] = parse(json).choices;
    expect(streamed?.content).toBe(choice?.message.content ?? "");
    expect(streamed?.reasoning).toBe(choice?.message.reasoning_content ?? "");
    expect(streamed?.finish).toBe(choice?.finish_reason);
    expect(streamed?.toolCalls).toEqual(
      (choice?.message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
    );
  });

  it("sends each function call whole, indexed per candidate", async () => {
    const deltas = (await replay("tool-call.sse")).flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(deltas.map((d) => [d.index, d.type, d.function?.name])).toEqual([
      [0, "function", "get_weather"],
      [1, "function", "get_weather"],
    ]);
    for (const d of deltas) expect(() => JSON.parse(d.function?.arguments ?? "")).not.toThrow();
  });

  it("ends with one usage chunk holding the last usageMetadata", async () => {
    const chunks = await replay("thinking.sse");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 235,
      total_tokens: 247,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 214 },
    });
    expect(chunks.filter((c) => c.usage).length).toBe(1);
  });

  it("finishes a filtered candidate with content_filter", async () => {
    const acc = accumulate(await replay("safety.sse")).get(0);
    expect(acc).toMatchObject({ content: "Here is an overview of how these compounds", finish: "content_filter" });
    expect(accumulate(await replay("blocked-prompt.sse")).get(0)).toMatchObject({ content: "", finish: "content_filter" });
  });

  it("throws upstream_error on an error event", async () => {
    const err = await rejection(replay("error-midstream.sse"));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "upstream_error", message: "The google upstream failed (HTTP 503)." });
  });

  it("throws when the stream ends without a finish reason", async () => {
    const truncated = fixture("text.sse").split("\r\n\r\n").slice(0, 2).join("\r\n\r\n");
    const events = await parseSseText(truncated);
    expect(events).toHaveLength(2);
    const source = new ReadableStream({ start: (c) => (events.forEach((e) => c.enqueue(e)), c.close()) });
    const reader = source.pipeThrough(googleAdapter.streamTransformer(ctx)).getReader();
    const drain = async () => {
      for (;;) if ((await reader.read()).done) return;
    };
    expect(await rejection(drain())).toMatchObject({ code: "upstream_error" });
  });
});

describe("google mapError", () => {
  it("treats Gemini's 400 API_KEY_INVALID as our credential failing", () => {
    const err = googleAdapter.mapError(400, fixture("error-invalid-key.json"));
    expect(err).toMatchObject({ code: "upstream_auth_error", status: 502 });
    expect(err.message).not.toContain("API key");
  });

  it("passes a 400's message through", () => {
    expect(googleAdapter.mapError(400, fixture("error-bad-request.json"))).toMatchObject({
      code: "invalid_value",
      status: 400,
      message: "* GenerateContentRequest.generation_config.candidate_count: must be less than or equal to 8.\n",
    });
  });

  it("maps 429 and 5xx", () => {
    expect(googleAdapter.mapError(429, fixture("error-quota.json"))).toMatchObject({ code: "rate_limit_exceeded", status: 429 });
    expect(googleAdapter.mapError(500, "<html>oops</html>")).toMatchObject({ code: "upstream_error", status: 502 });
  });
});

describe("google answers of the wrong shape", () => {
  it.each([
    ["candidates that are not a list", { candidates: {} }],
    ["a function call without a name", { candidates: [{ content: { parts: [{ functionCall: { args: {} } }] }, finishReason: "STOP" }] }],
    ["usage that is not counted", { candidates: [], usageMetadata: { promptTokenCount: "12" } }],
    ["not an object", ["candidates"]],
  ])("refuses %s as an upstream_error", async (_what, body) => {
    expect(() => googleAdapter.parseResponse(body, ctx)).toThrow(new ApiError("upstream_error", "The google upstream returned an unexpected response."));
    const source = new ReadableStream({ start: (c) => (c.enqueue({ data: JSON.stringify(body) }), c.close()) });
    const reader = source.pipeThrough(googleAdapter.streamTransformer(ctx)).getReader();
    const err = await rejection(reader.read());
    expect(err).toMatchObject({ code: "upstream_error", message: "The google upstream sent a malformed stream event." });
  });
});
