// The chat SSE stream to the client, read the way scripts/server.mjs reads it: one read at a time.
// A usage-only chunk the client did not ask for enqueues nothing; the stream must still reach
// [DONE] (it stalled before it, which is how the earlier lean /v1 server "stalled streams").
import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../providers/types";
import { startStream } from "./stream-out";

const base = { id: "c", object: "chat.completion.chunk" as const, created: 1, model: "m" };
const chunks: ChatCompletionChunk[] = [
  { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] },
  { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
  { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } },
];

function source(items: ChatCompletionChunk[]): ReadableStream<ChatCompletionChunk> {
  let i = 0;
  return new ReadableStream({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 1));
      if (i < items.length) c.enqueue(structuredClone(items[i++]!));
      else c.close();
    },
  });
}

/** One read at a time, never a read ahead: what a plain `for (;;) await reader.read()` loop does. */
async function readOneByOne(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const r = await Promise.race([reader.read(), new Promise<"stalled">((res) => setTimeout(() => res("stalled"), 2_000))]);
    if (r === "stalled") return `${text}<stalled>`;
    if (r.done) return text;
    text += new TextDecoder().decode(r.value);
  }
}

describe("startStream (chat)", () => {
  for (const includeUsage of [false, true]) {
    it(`reaches [DONE] when read one chunk at a time (include_usage ${includeUsage})`, async () => {
      let usage: unknown = null;
      const out = await startStream(source(chunks), {
        includeUsage,
        idleMs: 5_000,
        firstByteMs: 5_000,
        abort: new AbortController(),
        onChunk: () => {},
        onUsage: (u) => (usage = u),
        onEnd: () => null,
      });
      const text = await readOneByOne(out);
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(text.includes('"usage":{"prompt_tokens":3')).toBe(includeUsage);
      expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
    });
  }
});
