// Our events through the official Anthropic SDK: its SSE decoder reads the bytes encodeMessagesEvent
// writes, and its MessageStream accumulator (what `messages.stream().finalMessage()` and Claude Code
// rely on) builds the same message the grammar check does.
import { MessageStream } from "@anthropic-ai/sdk/lib/MessageStream";
import { Stream } from "@anthropic-ai/sdk/core/streaming";
import { describe, expect, it } from "vitest";
import { assertMessagesGrammar } from "@/tests/helpers/messages-grammar";
import type { MessagesStreamEvent } from "../../../wire/messages";
import { encodeMessagesEvent } from "./stream";
import { google, own, replay, streamCtx } from "./test-helpers";

async function throughSdk(events: MessagesStreamEvent[]) {
  const sse = new Response(events.map(encodeMessagesEvent).join(""), { headers: { "content-type": "text/event-stream" } });
  const decoded: unknown[] = [];
  for await (const e of Stream.fromSSEResponse<unknown>(sse, new AbortController())) decoded.push(e);
  const ndjson = new ReadableStream<Uint8Array>({
    start(c) {
      for (const e of decoded) c.enqueue(new TextEncoder().encode(JSON.stringify(e) + "\n"));
      c.close();
    },
  });
  return { decoded, final: await MessageStream.fromReadableStream(ndjson).finalMessage() };
}

const cases: [string, () => Promise<MessagesStreamEvent[]>][] = [
  ["openai text", () => replay("openai", own("openai-text.sse"))],
  ["openai parallel tools", () => replay("openai", own("openai-parallel-tools.sse"))],
  ["interleaved tools", () => replay("openai-compatible", own("compatible-interleaved-tools.sse"))],
  ["deepseek reasoning", () => replay("openai-compatible", own("deepseek-reasoning.sse"))],
  ["deepseek reasoning, display omitted", () => replay("openai-compatible", own("deepseek-tool-reasoning.sse"), streamCtx({ omitThinking: true }))],
  ["gemini thinking", () => replay("google", google("thinking.sse"))],
  ["gemini tool calls", () => replay("google", google("tool-call.sse"))],
];

describe("the Anthropic SDK reads our streams", () => {
  for (const [name, events] of cases) {
    it(name, async () => {
      const ours = await events();
      const expected = assertMessagesGrammar(ours);
      const { decoded, final } = await throughSdk(ours);
      expect(decoded).toEqual(ours);
      expect(final.content).toEqual(expected.content);
      expect(final.stop_reason).toBe(expected.stop_reason);
      expect(final.usage).toMatchObject(expected.usage);
    });
  }
});
