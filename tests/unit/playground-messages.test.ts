// The playground's Anthropic Messages dialect: the request it builds, the SDK snippets it shows, and
// its reader of /v1/messages streams (fed real Anthropic event sequences through a Response).
import { afterEach, describe, expect, it, vi } from "vitest";
import { readWith, respond } from "@/tests/helpers/playground-stream";
import { streamMessages } from "@/lib/client/messages-stream";
import { buildMessagesRequest, messagesCurlSnippet, messagesPythonSnippet, messagesTypescriptSnippet } from "@/lib/client/playground-messages";
import { DEFAULT_SETTINGS } from "@/lib/client/playground-request";

const settings = { ...DEFAULT_SETTINGS, dialect: "messages" as const, model: "openai/gpt-4o", system: "Be brief.", temperature: 0.2, rag: true, ragTopK: 3 };
const turns = [{ role: "user" as const, content: "What's the refund window?" }];

describe("the Messages request and its snippets", () => {
  it("puts the system prompt top-level, requires max_tokens and keeps the vecstruct object", () => {
    const body = buildMessagesRequest(settings, turns);
    expect(body).toEqual({
      model: "openai/gpt-4o",
      max_tokens: 1024,
      system: "Be brief.",
      messages: turns,
      temperature: 0.2,
      stream: true,
      vecstruct: { rag: true, rag_top_k: 3 },
    });
    expect(buildMessagesRequest({ ...settings, maxTokens: 77, system: " " }, turns)).toMatchObject({ max_tokens: 77 });
    expect(buildMessagesRequest({ ...settings, system: " " }, turns)).not.toHaveProperty("system");
  });

  it("curl posts the body as is to /v1/messages with Anthropic's headers", () => {
    const body = buildMessagesRequest(settings, turns);
    const code = messagesCurlSnippet("http://gw.test/v1", body);
    expect(/curl (\S+)/.exec(code)![1]).toBe("http://gw.test/v1/messages");
    expect(code).toContain('-H "x-api-key: $VECSTRUCT_API_KEY"');
    expect(code).toContain('-H "anthropic-version: 2023-06-01"');
    // The apostrophe in the prompt is shell-escaped as '\'' inside the single-quoted body.
    expect(JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!.replaceAll("'\\''", "'"))).toEqual(body);
  });

  it("the SDK snippets use the origin as base URL and send vecstruct", () => {
    const body = buildMessagesRequest(settings, turns);
    const py = messagesPythonSnippet("http://gw.test/v1", body);
    expect(py).toContain('client = Anthropic(base_url="http://gw.test", api_key=os.environ["VECSTRUCT_API_KEY"])');
    expect(py).toContain("with client.messages.stream(");
    expect(py).toContain('model="openai/gpt-4o"');
    expect(py).toContain("max_tokens=1024");
    expect(py).toContain('system="Be brief."');
    expect(py).toContain('extra_body={"vecstruct": {');
    const ts = messagesTypescriptSnippet("http://gw.test/v1", body);
    expect(ts).toContain('new Anthropic({ baseURL: "http://gw.test", apiKey: process.env.VECSTRUCT_API_KEY })');
    expect(ts).toContain('"vecstruct": {');
    expect(ts).not.toContain('"stream": true'); // messages.stream() sets it
  });
});

const ev = (type: string, o: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;

const read = () => readWith(streamMessages);

describe("streamMessages", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reads text and thinking deltas, usage from message_start + message_delta, and the vecstruct event", async () => {
    respond(
      ev("message_start", { message: { id: "msg_1", type: "message", role: "assistant", content: [], model: "m", usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } }) +
        ev("ping", {}) +
        ev("content_block_start", { index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }) +
        ev("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "Hmm." } }) +
        ev("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "sig" } }) +
        ev("content_block_stop", { index: 0 }) +
        ev("content_block_start", { index: 1, content_block: { type: "text", text: "" } }) +
        ev("content_block_delta", { index: 1, delta: { type: "text_delta", text: "Thirty " } }) +
        ev("content_block_delta", { index: 1, delta: { type: "text_delta", text: "days." } }) +
        ev("content_block_stop", { index: 1 }) +
        ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } }) +
        `event: vecstruct\ndata: ${JSON.stringify({ audit_id: "aud_1", rag_sources: [], memory_used: false, credits_consumed: 0, balance_consumed_usd: 0.0001, warnings: [] })}\n\n` +
        ev("message_stop", {}),
    );
    const seen = await read();
    expect(seen).toMatchObject({ audit: "aud_1", text: "Thirty days.", reasoning: "Hmm.", usage: { prompt_tokens: 15, completion_tokens: 7, total_tokens: 22 } });
    expect(seen.vecstruct).toMatchObject({ audit_id: "aud_1", balance_consumed_usd: 0.0001 });
  });

  it("takes the input usage from message_delta when it is known only at the end", async () => {
    respond(
      ev("message_start", { message: { usage: { input_tokens: 0, output_tokens: 0 } } }) +
        ev("message_delta", { delta: { stop_reason: "end_turn" }, usage: { input_tokens: 12, output_tokens: 3 } }) +
        ev("message_stop", {}),
    );
    expect((await read()).usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
  });

  it("throws Anthropic's error: an HTTP error body, an in-stream error event, a stream without message_stop", async () => {
    respond(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "model x/y not found" } }), { status: 404, headers: { "content-type": "application/json" } });
    await expect(read()).rejects.toMatchObject({ message: "model x/y not found", code: "not_found_error" });
    respond(ev("message_start", { message: { usage: { input_tokens: 1 } } }) + ev("error", { error: { type: "overloaded_error", message: "Overloaded" } }));
    await expect(read()).rejects.toMatchObject({ message: "Overloaded", code: "overloaded_error" });
    respond(ev("message_start", { message: { usage: { input_tokens: 1 } } }));
    await expect(read()).rejects.toMatchObject({ code: "api_error" });
  });
});
