// What Codex CLI 0.171 really sends (captured offline against a throwaway mock, see fixtures/README.md),
// through the translation and each adapter.
import { describe, expect, it } from "vitest";
import { assertResponsesGrammar } from "@/tests/helpers/responses-grammar";
import { ApiError } from "../../../errors";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatCompletion } from "../../../providers/types";
import { toResponse } from "./response";
import { toChatRequest } from "./request";
import { fixture, own, responses, streamCtx, toEvents } from "./test-helpers";
import type { Protocol } from "./types";

const captured = (name: string) => (JSON.parse(fixture(own(name))) as { body: Record<string, unknown> }).body;
const target = { baseUrl: "https://upstream.example/v1", apiKey: "sk-test", upstreamModel: "" };
const protocols: [Protocol, string, boolean][] = [
  ["openai", "gpt-4o", false],
  ["openai-compatible", "deepseek-chat", true],
  ["anthropic", "claude-sonnet-4-5", true],
  ["google", "gemini-3-pro-preview", true],
];

function translate(name: string, protocol: Protocol, upstreamModel: string, reasoning: boolean) {
  const warnings: string[] = [];
  const chat = toChatRequest(responses(captured(name)), { protocol, upstreamModel, reasoning }, warnings);
  const upstream = chatAdapterFor(protocol)!.buildRequest(chat, { ...target, upstreamModel }, { stream: true });
  return { chat, upstream, warnings };
}

describe("Codex CLI's requests", () => {
  it("the default configuration carries the hosted web_search tool: a 400 naming `tools` (DESIGN §1)", () => {
    for (const [protocol, model, reasoning] of protocols) {
      let error: unknown;
      try {
        translate("codex-first.json", protocol, model, reasoning);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 400, param: "tools", message: expect.stringContaining("web_search") });
    }
  });

  for (const [protocol, model, reasoning] of protocols) {
    it(`web_search disabled, a tool round trip: translated for ${protocol}`, () => {
      const { chat, upstream, warnings } = translate("codex-tool-round-trip.json", protocol, model, reasoning);
      expect(chat.messages.map((m) => m.role)).toEqual(["developer", "developer", "user", "user", "assistant", "tool"]);
      expect(chat.messages[4]).toMatchObject({ tool_calls: [{ id: "call_mock1", function: { name: "exec_command", arguments: '{"cmd":"echo hi"}' } }] });
      expect(chat.messages[5]).toMatchObject({ role: "tool", tool_call_id: "call_mock1" });
      // The namespace's functions are flattened under `<namespace>__<name>`.
      expect(chat.tools?.map((t) => t.function.name)).toEqual(expect.arrayContaining(["exec_command", "multi_agent_v1__spawn_agent", "multi_agent_v1__wait_agent"]));
      expect(chat.tools?.every((t) => t.function.strict === false)).toBe(true);
      expect(chat).toMatchObject({ stream: true, tool_choice: "auto", parallel_tool_calls: true });
      const hints = ["client_metadata has no effect on this model and was ignored."];
      if (protocol !== "openai") hints.unshift("prompt_cache_key has no effect on this model and was ignored.");
      expect(warnings.sort()).toEqual(hints.sort());
      expect(upstream.url).toMatch(/^https:\/\/upstream\.example\//);
    });
  }

  it("a namespaced call goes back upstream under its flattened name", () => {
    const { chat } = translate("codex-namespace-round-trip.json", "openai-compatible", "deepseek-chat", true);
    expect(chat.messages.find((m) => m.role === "assistant")).toMatchObject({ tool_calls: [{ id: "call_mock1", function: { name: "multi_agent_v1__wait_agent" } }] });
  });

  it("an upstream call of a flattened name comes back as {namespace, name}, streamed and not", async () => {
    const request = captured("codex-namespace-round-trip.json");
    const completion: ChatCompletion = {
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_9", type: "function", function: { name: "multi_agent_v1__wait_agent", arguments: '{"targets":["a"]}' } }] }, finish_reason: "tool_calls", logprobs: null }],
    };
    const ctx = streamCtx({}, request);
    const expected = { type: "function_call", call_id: "call_9", name: "wait_agent", namespace: "multi_agent_v1", arguments: '{"targets":["a"]}', status: "completed" };
    expect(toResponse(completion, ctx).output).toEqual([expect.objectContaining(expected)]);
    const events = await toEvents([
      { id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_9", type: "function", function: { name: "multi_agent_v1__wait_agent", arguments: '{"targets":["a"]}' } }] }, finish_reason: "tool_calls" }] },
    ], ctx);
    expect(events.find((e) => e.type === "response.output_item.added")).toMatchObject({ item: { name: "wait_agent", namespace: "multi_agent_v1" } });
    expect(assertResponsesGrammar(events).output).toEqual([expect.objectContaining(expected)]);
  });
});
