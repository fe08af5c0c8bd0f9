// Everything generated is billed (issue 14, item 6): the estimate counts every choice, reasoning and
// tool-call arguments, and the reservation uses the output cap the adapter really sends upstream.
import { describe, expect, it } from "vitest";
import type { CatalogModel } from "@/lib/catalog/catalog";
import { countTokens, warmTokenizer } from "@/lib/billing/tokens";
import { GeneratedTokens, generatedText, outputTokenCap, reservationMicros } from "@/lib/billing/chat";
import type { ChatRequest } from "@/lib/wire/chat";

const opus = {
  id: "anthropic/claude-opus-4",
  upstreamModel: "claude-opus-4-20250514",
  inputMicrosPerMtok: 15_000_000n,
  outputMicrosPerMtok: 75_000_000n,
  cachedInputMicrosPerMtok: null,
  maxOutputTokens: 32_000,
} as CatalogModel;

const req = (extra: Partial<ChatRequest>) => ({ model: "anthropic/claude-opus-4", messages: [{ role: "user", content: "hi" }], ...extra }) as ChatRequest;

describe("estimates of what was generated", () => {
  it("counts content, refusal, reasoning and tool-call names and arguments", () => {
    const text = generatedText({
      content: "a",
      refusal: "b",
      reasoning_content: "c",
      tool_calls: [{ function: { name: "save", arguments: '{"x":1}' } }, { function: { arguments: "2" } }],
    });
    expect(text).toBe('abcsave{"x":1}2');
    expect(generatedText({ content: null, tool_calls: "nonsense" })).toBe("");
  });

  it("counts every choice of a stream, each apart, in bounded slices", async () => {
    await warmTokenizer();
    const g = new GeneratedTokens();
    const words = "lorem ipsum dolor sit amet ".repeat(2_000); // > the 16 KB slice
    for (const choice of [0, 1]) {
      for (let i = 0; i < words.length; i += 100) g.addDelta(choice, { content: words.slice(i, i + 100) });
    }
    g.addDelta(2, { tool_calls: [{ index: 0, function: { name: "f", arguments: '{"a":' } }] });
    g.addDelta(2, { reasoning_content: "thinking" });
    const expected = 2 * countTokens(words) + countTokens('f{"a":thinking');
    expect(expected).toBeGreaterThan(20_000);
    // Each ~16 KB slice boundary may split a token or two: within a handful of the exact count.
    expect(Math.abs(g.total() - expected)).toBeLessThanOrEqual(12);
  });
});

describe("reservations use the max_tokens sent upstream", () => {
  it("reserves Anthropic's raised max_tokens for reasoning_effort (1024 + N), not N", () => {
    const r = req({ max_tokens: 1, reasoning_effort: "low" });
    expect(outputTokenCap(r, opus)).toBe(1);
    expect(outputTokenCap(r, opus, ["anthropic"])).toBe(1025);
    expect(reservationMicros(r, opus, ["anthropic"]) - reservationMicros(r, opus)).toBe(1024n * 75n);
  });

  it("keeps the client's cap when the adapter sends no more", () => {
    const r = req({ max_tokens: 5000 });
    expect(outputTokenCap(r, opus, ["anthropic", "openai"])).toBe(5000);
    expect(outputTokenCap(req({}), opus, ["anthropic"])).toBe(32_000); // the catalog's maximum stays the bound
  });
});
