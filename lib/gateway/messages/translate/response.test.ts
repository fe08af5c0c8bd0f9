import { describe, expect, it } from "vitest";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatCompletion } from "../../../providers/types";
import { toAnthropicMessage, usageToAnthropic } from "./response";
import { toChatRequest } from "./request";
import { readSignature } from "./signature";
import { fixture, google, messages } from "./test-helpers";

const ctx = { id: "msg_01test", model: "openai/gpt-4o" };

function completion(message: Partial<ChatCompletion["choices"][number]["message"]>, finish: ChatCompletion["choices"][number]["finish_reason"], extra: Record<string, unknown> = {}): ChatCompletion {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason: finish, logprobs: null, ...extra }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 } },
  };
}

const geminiMessage = (name: string) =>
  toAnthropicMessage(chatAdapterFor("google")!.parseResponse(JSON.parse(fixture(google(name))), { id: "chatcmpl-g", created: 1, model: "google/gemini" }), { id: "msg_01g", model: "google/gemini" });

describe("usageToAnthropic", () => {
  it("input_tokens excludes cache reads; cache_read_input_tokens = cached_tokens; output includes reasoning", () => {
    expect(usageToAnthropic({ prompt_tokens: 1536, completion_tokens: 10, total_tokens: 1546, prompt_tokens_details: { cached_tokens: 1280 }, completion_tokens_details: { reasoning_tokens: 4 } })).toEqual({
      input_tokens: 256,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1280,
      output_tokens: 10,
    });
    expect(usageToAnthropic({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 })).toEqual({ input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 });
  });
});

describe("toAnthropicMessage", () => {
  it("text: an Anthropic message with our msg_ id and the client's model", () => {
    expect(toAnthropicMessage(completion({ content: "Hi." }, "stop"), ctx)).toEqual({
      id: "msg_01test",
      type: "message",
      role: "assistant",
      model: "openai/gpt-4o",
      content: [{ type: "text", text: "Hi." }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 36, cache_creation_input_tokens: 0, cache_read_input_tokens: 64, output_tokens: 20 },
    });
  });

  it("reasoning first as a signed thinking block, then text, then tool_use with parsed input", () => {
    const message = toAnthropicMessage(
      completion(
        {
          content: "Let me look.",
          reasoning_content: "Need the file.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "Read", arguments: '{"path":"a.ts"}' } },
            { id: "call_2", type: "function", function: { name: "Now", arguments: "" } },
          ],
        },
        "tool_calls",
      ),
      ctx,
    );
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Need the file.", signature: expect.stringMatching(/^vecstruct\./) },
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "call_1", name: "Read", input: { path: "a.ts" } },
      { type: "tool_use", id: "call_2", name: "Now", input: {} },
    ]);
    expect(message.stop_reason).toBe("tool_use");
  });

  it("`reasoning` (OpenRouter, vLLM) counts as reasoning too; display omitted moves the text into the signature", () => {
    const message = toAnthropicMessage(completion({ content: "4", reasoning: "2+2" }, "stop"), { ...ctx, omitThinking: true });
    const thinking = message.content[0] as { thinking: string; signature: string };
    expect(thinking.thinking).toBe("");
    expect(readSignature(thinking.signature)?.t).toBe("2+2");
  });

  it("finish reasons → stop reasons", () => {
    const stop = (finish: ChatCompletion["choices"][number]["finish_reason"], extra: Record<string, unknown> = {}, stopSequences?: string[]) => {
      const m = toAnthropicMessage(completion({ content: "x" }, finish, extra), { ...ctx, stopSequences });
      return [m.stop_reason, m.stop_sequence];
    };
    expect(stop("stop")).toEqual(["end_turn", null]);
    expect(stop("length")).toEqual(["max_tokens", null]);
    expect(stop("content_filter")).toEqual(["refusal", null]);
    expect(stop("tool_calls")).toEqual(["tool_use", null]);
    expect(stop("stop", { stop_reason: "###" }, ["###"])).toEqual(["stop_sequence", "###"]);
    expect(stop("stop", { matched_stop: "END" }, ["END"])).toEqual(["stop_sequence", "END"]);
    // vLLM also puts a stop token id there: not a stop sequence.
    expect(stop("stop", { stop_reason: 128009 }, ["###"])).toEqual(["end_turn", null]);
  });

  it("a refusal is the answer's text", () => {
    expect(toAnthropicMessage(completion({ content: null, refusal: "I can't help with that." }, "stop"), ctx).content).toEqual([{ type: "text", text: "I can't help with that." }]);
  });

  it("arguments that are not a JSON object are a 502 (retried like Gemini's malformed calls)", () => {
    expect(() => toAnthropicMessage(completion({ tool_calls: [{ id: "c", type: "function", function: { name: "t", arguments: "{oops" } }] }, "tool_calls"), ctx)).toThrow(
      expect.objectContaining({ code: "upstream_error", status: 502 }),
    );
  });

  it("no usage from the upstream: the endpoint's estimates, never 0/0 when it gives them", () => {
    const c = completion({ content: "x" }, "stop");
    delete c.usage;
    expect(toAnthropicMessage(c, { ...ctx, inputTokens: 30, outputEstimate: () => 3 }).usage).toEqual({ input_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 });
  });

  it("Gemini: thinking, text and tool calls with signature-carrying ids, byte-exact", () => {
    expect(geminiMessage("thinking.json").content.map((b) => b.type)).toEqual(["thinking", "text"]);
    const tools = geminiMessage("tool-call.json");
    expect(tools.stop_reason).toBe("tool_use");
    expect(tools.content).toEqual([
      { type: "tool_use", id: expect.stringContaining("_gts_"), name: "get_weather", input: { location: "San Francisco, CA", unit: "celsius" } },
      { type: "tool_use", id: expect.stringMatching(/^call_[A-Za-z0-9]+$/), name: "get_weather", input: { location: "Tokyo", unit: "celsius" } },
    ]);
    expect(geminiMessage("blocked-prompt.json")).toMatchObject({ content: [], stop_reason: "refusal" });
  });
});

describe("round trip: a response's blocks sent back on the next turn", () => {
  it("Gemini tool calls: the signature from the id reaches Gemini again; our thinking becomes reasoning_content", () => {
    const answer = geminiMessage("tool-call.json");
    const [first, second] = answer.content as { id: string; name: string; input: unknown }[];
    const next = messages({
      model: "google/gemini-3-pro-preview",
      messages: [
        { role: "user", content: "Weather in SF and Tokyo?" },
        { role: "assistant", content: [{ type: "thinking", thinking: "", signature: (toAnthropicMessage(completion({ content: "", reasoning_content: "plan" }, "stop"), { ...ctx, omitThinking: true }).content[0] as { signature: string }).signature }, ...answer.content] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: first!.id, content: "18C" }, { type: "tool_result", tool_use_id: second!.id, content: "22C" }] },
      ],
    });
    const chat = toChatRequest(next, { protocol: "google", upstreamModel: "gemini-3-pro-preview", reasoning: true, betas: [] }, []);
    expect(chat.messages[1]).toMatchObject({ reasoning_content: "plan", tool_calls: [{ id: first!.id }, { id: second!.id }] });
    const body = chatAdapterFor("google")!.buildRequest(chat, { baseUrl: "https://g", apiKey: "k", upstreamModel: "gemini-3-pro-preview" }, { stream: false }).body as {
      contents: { parts: { thoughtSignature?: string }[] }[];
    };
    const original = (JSON.parse(fixture(google("tool-call.json"))) as { candidates: { content: { parts: { thoughtSignature?: string }[] } }[] }).candidates[0]!.content.parts[0]!.thoughtSignature;
    expect(body.contents[1]!.parts[0]!.thoughtSignature).toBe(original);
  });
});
