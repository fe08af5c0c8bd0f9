import { describe, expect, it } from "vitest";
import { upstreamErrorMessage } from "./errors";

describe("upstreamErrorMessage", () => {
  it.each([
    ["OpenAI/Anthropic/Gemini nesting", '{"error": {"message": "bad temperature", "type": "invalid_request_error"}}', "bad temperature"],
    ["an error string (vLLM, Ollama)", '{"error": "model not found"}', "model not found"],
    ["a top-level message (Cohere)", '{"message": "invalid request: documents must not be empty"}', "invalid request: documents must not be empty"],
    ["a nested message that is not text, then the top-level one", '{"error": {"message": 42}, "message": "fallback"}', "fallback"],
    ["JSON without a message: the raw text", '{"detail": "nope"}', '{"detail": "nope"}'],
    ["not JSON: the raw text, trimmed", "  <html>Bad Gateway</html>\n", "<html>Bad Gateway</html>"],
    ["JSON null", "null", "null"],
    ["an empty body", "  ", undefined],
  ])("%s", (_what, body, expected) => {
    expect(upstreamErrorMessage(body)).toBe(expected);
  });

  it("keeps at most 500 characters of a raw body", () => {
    expect(upstreamErrorMessage("x".repeat(800))).toHaveLength(500);
  });
});
