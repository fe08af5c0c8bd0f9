import { describe, expect, it } from "vitest";
import { assertResponsesGrammar } from "@/tests/helpers/responses-grammar";
import type { ChatCompletionChunk } from "../../../providers/types";
import type { ResponsesStreamEvent } from "../../../wire/responses";
import { openReasoning } from "./reasoning";
import { ApiError } from "../../../errors";
import { encodeResponsesEvent, responsesErrorEvent, responsesStreamTransformer } from "./stream";
import { adapterChunks, anthropic, google, msgs, openai, replay, sourceOf, streamCtx, toEvents } from "./test-helpers";

const types = (events: ResponsesStreamEvent[]) => events.map((e) => e.type);
const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe("assertResponsesGrammar", () => {
  it("rejects a gap in sequence_number, interleaved items, a .done that differs from its deltas, a missing final event", async () => {
    const good = await replay("openai", msgs("openai-text.sse"));
    expect(() => assertResponsesGrammar(good)).not.toThrow();
    expect(() => assertResponsesGrammar(good.filter((_, i) => i !== 3))).toThrow(/sequence_number/);
    const renumber = (events: ResponsesStreamEvent[]) => events.map((e, i) => ({ ...e, sequence_number: i }) as ResponsesStreamEvent);
    expect(() => assertResponsesGrammar(renumber([...good.slice(0, 3), good[2]!, ...good.slice(3)]))).toThrow(/still open/);
    const wrong = good.map((e) => (e.type === "response.output_text.done" ? { ...e, text: "other" } : e));
    expect(() => assertResponsesGrammar(wrong)).toThrow(/equal the deltas/);
    expect(() => assertResponsesGrammar(good.slice(0, -1))).toThrow(/without a final event/);
  });
});

describe("OpenAI streams → Responses events", () => {
  it("text: OpenAI's event order, one message item, usage with cached tokens", async () => {
    const events = await replay("openai", msgs("openai-text.sse"));
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(9).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const response = assertResponsesGrammar(events);
    expect(response.output).toEqual([
      { type: "message", id: "msg_vecstructtest_0", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hello! How can I help you today?", annotations: [], logprobs: [] }] },
    ]);
    expect(response).toMatchObject({ id: "resp_vecstructtest", model: "openai/gpt-4o", status: "completed", incomplete_details: null });
    expect(response.usage).toEqual({ input_tokens: 1536, input_tokens_details: { cached_tokens: 1280 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 1546 });
  });

  it("parallel tool calls: one function_call item each, arguments streamed, call ids kept", async () => {
    const events = await replay("openai", msgs("openai-parallel-tools.sse"));
    const response = assertResponsesGrammar(events);
    expect(response.output).toEqual([
      { type: "function_call", id: "fc_vecstructtest_0", call_id: "call_Vq2pX8bNfL3kTz9hRw1mYc4D", name: "get_weather", arguments: '{"location": "Paris, France", "unit": "celsius"}', status: "completed" },
      { type: "function_call", id: "fc_vecstructtest_1", call_id: "call_Hn7sK2wQeR5tYu1iOp3aSd6F", name: "get_weather", arguments: '{"location": "Tokyo, Japan", "unit": "celsius"}', status: "completed" },
    ]);
    const second = events.findIndex((e) => e.type === "response.output_item.added" && e.output_index === 1);
    expect(events.slice(0, second).filter((e) => e.type === "response.function_call_arguments.delta").length).toBe(9);
  });

  it("interleaved tool call deltas are regrouped per call, in order", async () => {
    const response = assertResponsesGrammar(await replay("openai-compatible", msgs("compatible-interleaved-tools.sse")));
    expect(response.output.map((o) => (o.type === "function_call" ? [o.call_id, o.name, JSON.parse(o.arguments)] : o.type))).toEqual([
      "message",
      ["call_a1", "read_file", { path: "src/a.ts" }],
      ["call_b2", "read_file", { path: "src/b.ts" }],
      ["call_c3", "list_dir", {}],
    ]);
  });

  it("text and a second call that arrive while a call's JSON is incomplete wait, in arrival order", async () => {
    const response = assertResponsesGrammar(
      await toEvents([
        chunk({ tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "a", arguments: '{"q":' } }] }),
        chunk({ content: "while " }),
        chunk({ tool_calls: [{ index: 1, id: "call_y", type: "function", function: { name: "b", arguments: "{}" } }] }),
        chunk({ content: "waiting" }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
        chunk({}, "tool_calls"),
      ]),
    );
    expect(response.output.map((o) => o.type)).toEqual(["function_call", "message", "function_call", "message"]);
    // No usage from the upstream: the estimates.
    expect(response.usage).toMatchObject({ input_tokens: 42, output_tokens: 7, total_tokens: 49 });
  });

  it("reasoning and signed thinking blocks that arrive while a call's JSON is incomplete wait too", async () => {
    const ctx = streamCtx({}, { input: "hi", stream: true, include: ["reasoning.encrypted_content"] });
    const block = { type: "thinking", thinking: "More.", signature: "sig" };
    const response = assertResponsesGrammar(
      await toEvents(
        [
          chunk({ tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "a", arguments: '{"q":' } }] }),
          chunk({ reasoning_content: "More." }),
          chunk({ thinking_blocks: [block] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
          chunk({}, "tool_calls"),
        ],
        ctx,
      ),
    );
    expect(response.output.map((o) => o.type)).toEqual(["function_call", "reasoning"]);
    expect(openReasoning((response.output[1] as { encrypted_content: string }).encrypted_content)).toEqual({ v: 1, t: "More.", b: [block] });
  });

  it("a failure after the start: the endpoint's error event is numbered after the last event sent", async () => {
    const counter = { next: 0 };
    const events: ResponsesStreamEvent[] = [];
    const reader = sourceOf([chunk({ content: "Hel" }), chunk({ tool_calls: [{ index: 0, id: "call_z", type: "function", function: { name: "a", arguments: "{bad" } }] }, "tool_calls")])
      .pipeThrough(responsesStreamTransformer(streamCtx({ counter })))
      .getReader();
    let failure: unknown;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) events.push(r.value);
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(ApiError);
    events.push(responsesErrorEvent(failure as ApiError, counter));
    expect(events.at(-1)).toEqual({ type: "error", code: "upstream_error", message: "The upstream returned arguments for tool 'a' that are not a JSON object.", param: null, sequence_number: events.length - 1 });
    expect(() => assertResponsesGrammar(events)).toThrow(/ended with an error event/);
  });

  it("a call whose final arguments are not a JSON object fails the stream", async () => {
    await expect(toEvents([chunk({ tool_calls: [{ index: 0, id: "call_z", type: "function", function: { name: "a", arguments: '{"q": tru' } }] }, "tool_calls")])).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("length without a usage chunk: response.incomplete, max_output_tokens, the message item incomplete", async () => {
    const events = await replay("openai", msgs("openai-length-no-usage.sse"));
    const response = assertResponsesGrammar(events);
    expect(events.at(-1)?.type).toBe("response.incomplete");
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, output: [{ type: "message", status: "incomplete" }] });
  });

  it("a refusal is a refusal part", async () => {
    const events = await replay("openai", openai("refusal.sse"));
    const response = assertResponsesGrammar(events);
    expect(types(events)).toContain("response.refusal.delta");
    expect(response.output).toMatchObject([{ type: "message", content: [{ type: "refusal" }] }]);
  });

  it("the encoder writes `event: <type>` and one data line", async () => {
    const [first] = await replay("openai", msgs("openai-text.sse"));
    expect(encodeResponsesEvent(first!)).toBe(`event: response.created\ndata: ${JSON.stringify(first)}\n\n`);
  });
});

describe("reasoning streams → reasoning items", () => {
  it("DeepSeek reasoning_content: a reasoning item with its summary first, then the message", async () => {
    const events = await replay("openai-compatible", msgs("deepseek-reasoning.sse"));
    expect(types(events).slice(2, 5)).toEqual(["response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta"]);
    const response = assertResponsesGrammar(events);
    expect(response.output[0]).toEqual({ type: "reasoning", id: "rs_vecstructtest_0", summary: [{ type: "summary_text", text: "The user asks for 17 × 23. 17 × 20 = 340, 17 × 3 = 51, total 391." }] });
    expect(response.output[1]).toMatchObject({ type: "message", content: [{ text: "17 × 23 = **391**." }] });
  });

  it("include reasoning.encrypted_content: our sealed payload carries the reasoning text", async () => {
    const ctx = streamCtx({}, { input: "hi", stream: true, include: ["reasoning.encrypted_content"] });
    const response = assertResponsesGrammar(await replay("openai-compatible", msgs("deepseek-tool-reasoning.sse"), ctx));
    const [reasoning, call] = response.output;
    expect(reasoning?.type).toBe("reasoning");
    expect(openReasoning((reasoning as { encrypted_content: string }).encrypted_content)?.t).toMatch(/./);
    expect(call).toMatchObject({ type: "function_call", call_id: "call_00_kX2mP9qR4sT7vW1yZ3bC5dF8", name: "Bash", arguments: '{"command":"ls -la"}' });
    expect(response.usage).toMatchObject({ input_tokens: 6400, input_tokens_details: { cached_tokens: 6336 } });
  });

  it("Anthropic thinking: the signed block rides in encrypted_content", async () => {
    const ctx = streamCtx({ model: "anthropic/claude" }, { input: "hi", stream: true, include: ["reasoning.encrypted_content"] });
    const response = assertResponsesGrammar(await replay("anthropic", anthropic("thinking.sse"), ctx));
    const reasoning = response.output[0] as { type: string; summary: { text: string }[]; encrypted_content: string };
    expect(reasoning.type).toBe("reasoning");
    const sealed = openReasoning(reasoning.encrypted_content);
    expect(sealed?.b?.[0]).toMatchObject({ type: "thinking", thinking: reasoning.summary[0]?.text });
    expect((sealed?.b?.[0] as { signature: string }).signature).not.toBe("");
    expect(response.output[1]?.type).toBe("message");
  });

  it("Anthropic tool use", async () => {
    const response = assertResponsesGrammar(await replay("anthropic", anthropic("tool-use.sse")));
    expect(response.output.at(-1)).toMatchObject({ type: "function_call", status: "completed" });
  });
});

describe("Gemini streams → Responses events", () => {
  it("text", async () => {
    const response = assertResponsesGrammar(await replay("google", google("text.sse"), streamCtx({ model: "google/gemini-2.0-flash" })));
    expect(response).toMatchObject({ model: "google/gemini-2.0-flash", status: "completed", output: [{ type: "message", content: [{ text: "Waves fold into foam,\nsalt wind carries gull voices —\nthe tide keeps its time.\n" }] }] });
    expect(response.usage).toMatchObject({ input_tokens: 8, output_tokens: 19 });
  });

  it("thought parts become a reasoning item; reasoning tokens are reported", async () => {
    const response = assertResponsesGrammar(await replay("google", google("thinking.sse")));
    expect(response.output.map((o) => o.type)).toEqual(["reasoning", "message"]);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(214);
  });

  it("function calls keep their ids byte-exact as call_id (thought signatures ride inside)", async () => {
    const chunks = await adapterChunks("google", google("tool-call.sse"));
    const ids = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).map((t) => t.id).filter(Boolean);
    const response = assertResponsesGrammar(await replay("google", google("tool-call.sse")));
    expect(response.output.filter((o) => o.type === "function_call").map((o) => (o as { call_id: string }).call_id)).toEqual(ids);
  });
});
