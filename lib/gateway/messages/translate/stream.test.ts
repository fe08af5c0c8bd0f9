import { describe, expect, it } from "vitest";
import { assertMessagesGrammar } from "@/tests/helpers/messages-grammar";
import type { ChatCompletionChunk } from "../../../providers/types";
import type { MessagesStreamEvent } from "../../../wire/messages";
import { encodeMessagesEvent } from "./stream";
import { readSignature } from "./signature";
import { adapterChunks, anthropic, anthropicEvents, fixture, google, own, replay, streamCtx, toEvents } from "./test-helpers";

const types = (events: MessagesStreamEvent[]) => events.map((e) => (e.type === "content_block_delta" ? `${e.type}:${e.delta.type}` : e.type));

describe("assertMessagesGrammar accepts Anthropic's own recordings", () => {
  for (const name of ["text.sse", "thinking.sse", "tool-use.sse", "tool-no-args.sse", "max-tokens.sse", "json-schema.sse"]) {
    it(name, async () => {
      const message = assertMessagesGrammar(await anthropicEvents(fixture(anthropic(name))));
      expect(message.stop_reason).not.toBeNull();
    });
  }

  it("rejects interleaved blocks, a delta of the wrong kind, an unsigned thinking block and a missing message_stop", () => {
    const start: MessagesStreamEvent = {
      type: "message_start",
      message: { id: "msg_1", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
    };
    const text = (index: number): MessagesStreamEvent => ({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    expect(() => assertMessagesGrammar([start, text(0), text(1)])).toThrow(/still open/);
    expect(() => assertMessagesGrammar([start, text(0), { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{}" } }])).toThrow(/does not belong/);
    expect(() =>
      assertMessagesGrammar([start, { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }, { type: "content_block_stop", index: 0 }]),
    ).toThrow(/signed/);
    expect(() => assertMessagesGrammar([start, text(0), { type: "content_block_stop", index: 0 }])).toThrow(/without message_stop/);
    expect(() => assertMessagesGrammar([start, text(1)])).toThrow(/index must be 0/);
  });
});

describe("OpenAI streams → Messages events", () => {
  it("text: one text block, usage with cache reads apart from input_tokens", async () => {
    const events = await replay("openai", own("openai-text.sse"));
    expect(types(events)).toEqual([
      "message_start",
      "content_block_start",
      ...Array(9).fill("content_block_delta:text_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const message = assertMessagesGrammar(events);
    expect(message.content).toEqual([{ type: "text", text: "Hello! How can I help you today?" }]);
    expect(events[0]).toMatchObject({ message: { id: "msg_01vecstructtest", model: "openai/gpt-4o", usage: { input_tokens: 42, output_tokens: 1 } } });
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 256, cache_creation_input_tokens: 0, cache_read_input_tokens: 1280, output_tokens: 10 },
    });
  });

  it("parallel tool calls: one tool_use block each, input_json_delta streamed, stop_reason tool_use", async () => {
    const events = await replay("openai", own("openai-parallel-tools.sse"));
    const message = assertMessagesGrammar(events);
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_Vq2pX8bNfL3kTz9hRw1mYc4D", name: "get_weather", input: { location: "Paris, France", unit: "celsius" } },
      { type: "tool_use", id: "call_Hn7sK2wQeR5tYu1iOp3aSd6F", name: "get_weather", input: { location: "Tokyo, Japan", unit: "celsius" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    // Streamed, not buffered: the first call's arguments arrive in pieces before the second block starts.
    const secondStart = events.findIndex((e) => e.type === "content_block_start" && e.index === 1);
    expect(events.slice(0, secondStart).filter((e) => e.type === "content_block_delta" && e.index === 0).length).toBe(10);
    expect(message.usage).toMatchObject({ input_tokens: 96, cache_read_input_tokens: 0, output_tokens: 54 });
  });

  it("interleaved tool call deltas are regrouped per call, in order, never interleaving blocks", async () => {
    const events = await replay("openai-compatible", own("compatible-interleaved-tools.sse"));
    const message = assertMessagesGrammar(events);
    expect(message.content).toEqual([
      { type: "text", text: "Checking both files." },
      { type: "tool_use", id: "call_a1", name: "read_file", input: { path: "src/a.ts" } },
      { type: "tool_use", id: "call_b2", name: "read_file", input: { path: "src/b.ts" } },
      { type: "tool_use", id: "call_c3", name: "list_dir", input: {} },
    ]);
    // No cached_tokens in the usage: nothing was read from cache.
    expect(message.usage).toMatchObject({ input_tokens: 410, cache_read_input_tokens: 0, output_tokens: 61 });
  });

  it("text and a second call that arrive while a call's JSON is incomplete wait, in arrival order", async () => {
    const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const events = await toEvents([
      chunk({ tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "a", arguments: '{"q":' } }] }),
      chunk({ content: "while " }),
      chunk({ tool_calls: [{ index: 1, id: "call_y", type: "function", function: { name: "b", arguments: "{}" } }] }),
      chunk({ content: "waiting" }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({}, "tool_calls"),
    ]);
    const message = assertMessagesGrammar(events);
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_x", name: "a", input: { q: 1 } },
      { type: "text", text: "while " },
      { type: "tool_use", id: "call_y", name: "b", input: {} },
      { type: "text", text: "waiting" },
    ]);
    // No usage from the upstream: output_tokens is the estimate.
    expect(events.at(-2)).toMatchObject({ type: "message_delta", usage: { output_tokens: 7 } });
    expect((events.at(-2) as { usage: object }).usage).not.toHaveProperty("input_tokens");
  });

  it("a call whose final arguments are not a JSON object fails the stream (the endpoint sends event: error)", async () => {
    const bad: ChatCompletionChunk = {
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_z", type: "function", function: { name: "a", arguments: '{"q": tru' } }] }, finish_reason: "tool_calls" }],
    };
    await expect(toEvents([bad])).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("max_tokens without a usage chunk: stop_reason max_tokens, output_tokens estimated", async () => {
    const events = await replay("openai", own("openai-length-no-usage.sse"));
    const message = assertMessagesGrammar(events);
    expect(message.stop_reason).toBe("max_tokens");
    expect(events.at(-2)).toEqual({ type: "message_delta", delta: { stop_reason: "max_tokens", stop_sequence: null }, usage: { output_tokens: 7 } });
  });

  it("a stop sequence the upstream names (vLLM stop_reason) ends with stop_sequence", async () => {
    const chunks = await adapterChunks("openai-compatible", own("vllm-stop-sequence.sse"));
    const named = assertMessagesGrammar(await toEvents(chunks, streamCtx({ stopSequences: ["###", "END"] })));
    expect(named).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "###" });
    // A string that is not one of the request's sequences is not reported as one.
    const other = assertMessagesGrammar(await toEvents(await adapterChunks("openai-compatible", own("vllm-stop-sequence.sse")), streamCtx({ stopSequences: ["END"] })));
    expect(other).toMatchObject({ stop_reason: "end_turn", stop_sequence: null });
  });
});

describe("reasoning streams → thinking blocks", () => {
  it("DeepSeek reasoning_content: a signed thinking block first, then text", async () => {
    const events = await replay("openai-compatible", own("deepseek-reasoning.sse"));
    expect(types(events).slice(0, 3)).toEqual(["message_start", "content_block_start", "content_block_delta:thinking_delta"]);
    const message = assertMessagesGrammar(events);
    const [thinking, text] = message.content;
    expect(thinking).toMatchObject({ type: "thinking", thinking: "The user asks for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391." });
    expect(readSignature((thinking as { signature: string }).signature)).toEqual({ v: 1 });
    expect(text).toEqual({ type: "text", text: "17 × 23 = **391**." });
    // The signature comes last in its block, right before content_block_stop.
    const stop0 = events.findIndex((e) => e.type === "content_block_stop" && e.index === 0);
    expect(events[stop0 - 1]).toMatchObject({ type: "content_block_delta", delta: { type: "signature_delta" } });
    expect(message.usage).toMatchObject({ input_tokens: 20, output_tokens: 45 });
  });

  it("DeepSeek thinking then a tool call; cache hits become cache_read_input_tokens", async () => {
    const message = assertMessagesGrammar(await replay("openai-compatible", own("deepseek-tool-reasoning.sse")));
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
    expect(message.content[1]).toEqual({ type: "tool_use", id: "call_00_kX2mP9qR4sT7vW1yZ3bC5dF8", name: "Bash", input: { command: "ls -la" } });
    expect(message).toMatchObject({ stop_reason: "tool_use", usage: { input_tokens: 64, cache_read_input_tokens: 6336, output_tokens: 38 } });
  });

  it("display omitted: no thinking_delta, the text rides in the signature", async () => {
    const events = await replay("openai-compatible", own("deepseek-reasoning.sse"), streamCtx({ omitThinking: true }));
    expect(types(events)).not.toContain("content_block_delta:thinking_delta");
    const message = assertMessagesGrammar(events);
    const thinking = message.content[0] as { thinking: string; signature: string };
    expect(thinking.thinking).toBe("");
    expect(readSignature(thinking.signature)?.t).toBe("The user asks for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391.");
  });
});

describe("Gemini streams → Messages events", () => {
  it("text", async () => {
    const message = assertMessagesGrammar(await replay("google", google("text.sse"), streamCtx({ model: "google/gemini-2.0-flash" })));
    expect(message).toMatchObject({ model: "google/gemini-2.0-flash", content: [{ type: "text", text: "Waves fold into foam,\nsalt wind carries gull voices —\nthe tide keeps its time.\n" }], stop_reason: "end_turn" });
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 19 });
  });

  it("thought parts become a thinking block; thoughts count as output", async () => {
    const message = assertMessagesGrammar(await replay("google", google("thinking.sse")));
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 21 + 214 });
  });

  it("parallel function calls keep their ids byte-exact (thought signatures ride inside)", async () => {
    const chunks = await adapterChunks("google", google("tool-call.sse"));
    const ids = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).map((t) => t.id);
    const message = assertMessagesGrammar(await toEvents(chunks));
    expect(message.content.map((b) => (b as { id?: string }).id)).toEqual(ids);
    expect((message.content[0] as { id: string }).id).toContain("_gts_");
    expect(message.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: { location: "San Francisco, CA", unit: "celsius" } });
    expect(message.stop_reason).toBe("tool_use");
  });

  it("a safety stop is a refusal", async () => {
    const message = assertMessagesGrammar(await replay("google", google("safety.sse")));
    expect(message.stop_reason).toBe("refusal");
    expect(message.content).toEqual([{ type: "text", text: "Here is an overview of how these compounds" }]);
  });
});

describe("Anthropic recordings through the chat adapter and back (reference round trip)", () => {
  for (const name of ["text.sse", "tool-use.sse", "tool-no-args.sse", "max-tokens.sse"]) {
    it(name, async () => {
      const original = assertMessagesGrammar(await anthropicEvents(fixture(anthropic(name))));
      const ours = assertMessagesGrammar(await replay("anthropic", anthropic(name)));
      expect(ours.content).toEqual(original.content);
      expect(ours.stop_reason).toBe(original.stop_reason);
      expect(ours.usage.output_tokens).toBe(original.usage.output_tokens);
    });
  }

  it("thinking.sse: same thinking text and answer; the signature is ours", async () => {
    const original = assertMessagesGrammar(await anthropicEvents(fixture(anthropic("thinking.sse"))));
    const ours = assertMessagesGrammar(await replay("anthropic", anthropic("thinking.sse")));
    const thinking = (m: typeof ours) => m.content.filter((b) => b.type === "thinking").map((b) => (b as { thinking: string }).thinking);
    expect(thinking(ours)).toEqual(thinking(original));
    expect(ours.content.at(-1)).toEqual(original.content.at(-1));
  });
});

describe("encodeMessagesEvent", () => {
  it("writes event: <type> and data: <json>, which parse back to the same events", async () => {
    const events = await replay("openai", own("openai-parallel-tools.sse"));
    const text = events.map(encodeMessagesEvent).join("");
    expect(text.startsWith('event: message_start\ndata: {"type":"message_start"')).toBe(true);
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(await anthropicEvents(text)).toEqual(events);
  });
});
