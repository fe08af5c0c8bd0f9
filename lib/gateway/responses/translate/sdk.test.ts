// Our events through the official OpenAI SDK: its SSE decoder reads the bytes encodeResponsesEvent
// writes, and its ResponseStream accumulator (what `responses.stream().finalResponse()` relies on)
// builds the same response the grammar check does, `output_text` included.
import { Stream } from "openai/core/streaming";
import { ResponseStream } from "openai/lib/responses/ResponseStream";
import { describe, expect, it } from "vitest";
import { assertResponsesGrammar } from "@/tests/helpers/responses-grammar";
import type { ResponsesStreamEvent } from "../../../wire/responses";
import { encodeResponsesEvent } from "./stream";
import { anthropic, google, msgs, openai, replay, streamCtx } from "./test-helpers";

async function throughSdk(events: ResponsesStreamEvent[]) {
  const sse = new Response(events.map(encodeResponsesEvent).join(""), { headers: { "content-type": "text/event-stream" } });
  const decoded: unknown[] = [];
  for await (const e of Stream.fromSSEResponse<unknown>(sse, new AbortController())) decoded.push(e);
  const ndjson = new ReadableStream<Uint8Array>({
    start(c) {
      for (const e of decoded) c.enqueue(new TextEncoder().encode(JSON.stringify(e) + "\n"));
      c.close();
    },
  });
  return { decoded, final: await ResponseStream.fromReadableStream(ndjson).finalResponse() };
}

/** The SDK's parse step adds `parsed` / `parsed_arguments` (null without a schema): not on the wire. */
const unparsed = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "parsed" || k === "parsed_arguments" ? undefined : x))) as unknown;

const encrypted = () => streamCtx({}, { input: "hi", stream: true, include: ["reasoning.encrypted_content"] });
const cases: [string, () => Promise<ResponsesStreamEvent[]>][] = [
  ["openai text", () => replay("openai", msgs("openai-text.sse"))],
  ["openai parallel tools", () => replay("openai", msgs("openai-parallel-tools.sse"))],
  ["openai refusal", () => replay("openai", openai("refusal.sse"))],
  ["openai length", () => replay("openai", msgs("openai-length-no-usage.sse"))],
  ["interleaved tools", () => replay("openai-compatible", msgs("compatible-interleaved-tools.sse"))],
  ["deepseek reasoning + tool, encrypted content", () => replay("openai-compatible", msgs("deepseek-tool-reasoning.sse"), encrypted())],
  ["anthropic thinking", () => replay("anthropic", anthropic("thinking.sse"), encrypted())],
  ["anthropic tool use", () => replay("anthropic", anthropic("tool-use.sse"))],
  ["gemini thinking", () => replay("google", google("thinking.sse"))],
  ["gemini tool calls", () => replay("google", google("tool-call.sse"))],
];

describe("the OpenAI SDK reads our streams", () => {
  for (const [name, events] of cases) {
    it(name, async () => {
      const ours = await events();
      const expected = assertResponsesGrammar(ours);
      const { decoded, final } = await throughSdk(ours);
      expect(decoded).toEqual(ours);
      expect(unparsed(final.output)).toEqual(expected.output);
      expect(final.status).toBe(expected.status);
      expect(final.usage).toEqual(expected.usage);
      const text = expected.output.flatMap((o) => (o.type === "message" ? o.content.map((c) => (c.type === "output_text" ? c.text : "")) : [])).join("");
      expect(final.output_text).toBe(text);
    });
  }
});
