import { describe, expect, it } from "vitest";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatCompletion } from "../../../providers/types";
import { openReasoning } from "./reasoning";
import { toResponse, usageToResponses, type ResponseContext } from "./response";
import { anthropic, fixture, google, responses } from "./test-helpers";
import type { Req } from "./types";

const ctx = (request: Record<string, unknown> = { input: "hi" }, extra: Partial<ResponseContext> = {}): ResponseContext => ({
  id: "resp_01test",
  model: "openai/gpt-4o",
  createdAt: 1_765_000_000,
  request: responses(request) as Req,
  ...extra,
});

function completion(message: Partial<ChatCompletion["choices"][number]["message"]>, finish: ChatCompletion["choices"][number]["finish_reason"], usage = true): ChatCompletion {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason: finish, logprobs: null }],
    ...(usage ? { usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 5 } } } : {}),
  };
}

const parsed = (protocol: "google" | "anthropic", file: string) => chatAdapterFor(protocol)!.parseResponse(JSON.parse(fixture(file)), { id: "chatcmpl-x", created: 1, model: "x" });

describe("usageToResponses", () => {
  it("input includes cache reads (OpenAI's convention); details always present", () => {
    expect(usageToResponses({ prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 })).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 1,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 6,
    });
  });
});

describe("toResponse", () => {
  it("text: a Response object echoing the request, with usage details", () => {
    const r = toResponse(completion({ content: "Hi." }, "stop"), ctx({ input: "hi", instructions: "Be kind.", temperature: 0.5, metadata: { k: "v" }, store: false }));
    expect(r).toEqual({
      id: "resp_01test",
      object: "response",
      created_at: 1_765_000_000,
      status: "completed",
      background: false,
      error: null,
      incomplete_details: null,
      instructions: "Be kind.",
      max_output_tokens: null,
      model: "openai/gpt-4o",
      output: [{ type: "message", id: "msg_01test_0", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Hi.", annotations: [], logprobs: [] }] }],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: false,
      temperature: 0.5,
      text: { format: { type: "text" } },
      tool_choice: "auto",
      tools: [],
      top_p: 1,
      truncation: "disabled",
      usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 64 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 120 },
      user: null,
      metadata: { k: "v" },
    });
  });

  it("reasoning, text, then function calls with their ids as call_id; empty arguments are {}", () => {
    const r = toResponse(
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
      ctx(),
    );
    expect(r.output).toEqual([
      { type: "reasoning", id: "rs_01test_0", summary: [{ type: "summary_text", text: "Need the file." }] },
      { type: "message", id: "msg_01test_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Let me look.", annotations: [], logprobs: [] }] },
      { type: "function_call", id: "fc_01test_2", call_id: "call_1", name: "Read", arguments: '{"path":"a.ts"}', status: "completed" },
      { type: "function_call", id: "fc_01test_3", call_id: "call_2", name: "Now", arguments: "{}", status: "completed" },
    ]);
  });

  it("length → incomplete (max_output_tokens); content_filter → incomplete (content_filter); no usage → estimates", () => {
    expect(toResponse(completion({ content: "Cut" }, "length"), ctx())).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, output: [{ status: "incomplete" }] });
    const filtered = toResponse(completion({ content: null }, "content_filter", false), ctx({ input: "x" }, { inputTokens: 9, outputEstimate: () => 2 }));
    expect(filtered).toMatchObject({ status: "incomplete", incomplete_details: { reason: "content_filter" }, output: [], usage: { input_tokens: 9, output_tokens: 2, total_tokens: 11 } });
  });

  it("a refusal is a refusal part", () => {
    expect(toResponse(completion({ refusal: "I can't help with that." }, "stop"), ctx()).output).toEqual([
      { type: "message", id: "msg_01test_0", role: "assistant", status: "completed", content: [{ type: "refusal", refusal: "I can't help with that." }] },
    ]);
  });

  it("no choices is a 502", () => {
    expect(() => toResponse({ ...completion({}, "stop"), choices: [] }, ctx())).toThrow(expect.objectContaining({ code: "upstream_error" }));
  });

  it("Anthropic thinking: the signed block is sealed in encrypted_content when included, not otherwise", () => {
    const message = parsed("anthropic", anthropic("thinking.json"));
    const plain = toResponse(message, ctx()).output[0] as Record<string, unknown>;
    expect(plain.type).toBe("reasoning");
    expect(plain).not.toHaveProperty("encrypted_content");
    const sealed = toResponse(message, ctx({ input: "x", include: ["reasoning.encrypted_content"] })).output[0] as { encrypted_content: string; summary: { text: string }[] };
    const payload = openReasoning(sealed.encrypted_content);
    expect(payload?.b?.[0]).toMatchObject({ type: "thinking", thinking: sealed.summary[0]?.text });
  });

  it("Gemini: thoughts become reasoning, function call ids (with their signatures) become call_id", () => {
    const message = parsed("google", google("tool-call.json"));
    const calls = message.choices[0]!.message.tool_calls!;
    const r = toResponse(message, ctx());
    expect(r.output.filter((o) => o.type === "function_call").map((o) => (o as { call_id: string }).call_id)).toEqual(calls.map((c) => c.id));
    expect(toResponse(parsed("google", google("thinking.json")), ctx()).output.map((o) => o.type)).toEqual(["reasoning", "message"]);
  });
});
