// Claude Code's real requests (captured offline, see fixtures/README.md) through the translation and
// every adapter: accepted everywhere, hints warned once each, and its tool round trip intact.
import { describe, expect, it } from "vitest";
import { chatAdapterFor } from "../../../providers/registry";
import { toChatRequest } from "./request";
import { fixture, messages, own } from "./test-helpers";
import type { Protocol } from "./types";

interface Capture {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const capture = (name: string) => JSON.parse(fixture(own(name))) as Capture;
const betas = (c: Capture) => c.headers["anthropic-beta"]!.split(",");
const models: [Protocol, string, boolean][] = [
  ["openai", "gpt-4o", false],
  ["openai", "o4-mini", true],
  ["openai-compatible", "deepseek-chat", true],
  ["google", "gemini-2.5-flash", true],
  ["google", "gemini-3-pro-preview", true],
];

describe("Claude Code's requests", () => {
  for (const name of ["claude-code-first.json", "claude-code-tool-result.json"]) {
    for (const [protocol, upstreamModel, reasoning] of models) {
      it(`${name} → ${protocol} ${upstreamModel}`, () => {
        const c = capture(name);
        const warnings: string[] = [];
        const chat = toChatRequest(messages(c.body), { protocol, upstreamModel, reasoning, betas: betas(c) }, warnings);
        const upstream = chatAdapterFor(protocol)!.buildRequest(chat, { baseUrl: "https://u.example", apiKey: "k", upstreamModel }, { stream: true });
        expect(upstream.url).toContain("u.example");
        // One warning per hint kind; the effort one only where there is no reasoning control.
        const kinds = warnings.map((w) => w.split(" ")[0]);
        expect(new Set(kinds).size).toBe(kinds.length);
        expect(kinds).toEqual(expect.arrayContaining(["context_management", "anthropic-beta", "cache_control", "defer_loading", "metadata.user_id"]));
        expect(kinds.includes("output_config.effort")).toBe(!reasoning);
        expect(chat.reasoning_effort).toBe(reasoning ? "high" : undefined);
        expect(chat.tools?.length).toBe((c.body.tools as unknown[]).length);
      });
    }
  }

  it("the tool round trip: our omitted-thinking signature becomes reasoning_content, the tool result a tool message", () => {
    const c = capture("claude-code-tool-result.json");
    const chat = toChatRequest(messages(c.body), { protocol: "openai-compatible", upstreamModel: "deepseek-chat", reasoning: true, betas: betas(c) }, []);
    const tail = chat.messages.slice(-2);
    expect(tail).toEqual([
      {
        role: "assistant",
        content: null,
        reasoning_content: "Run it.",
        tool_calls: [{ id: "call_Zx9Qw2ErTy", type: "function", function: { name: "Bash", arguments: '{"command":"echo hi","description":"Print hi"}' } }],
      },
      { role: "tool", tool_call_id: "call_Zx9Qw2ErTy", content: "hi" },
    ]);
  });
});
