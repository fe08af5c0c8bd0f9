// Fixture replay for the /v1/messages translation tests: recorded upstream bytes → the real adapter
// → messagesStreamTransformer → events (no mocks).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseSseText } from "../../../providers/sse";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatCompletionChunk, SseEvent } from "../../../providers/types";
import { messagesRequestSchema, type MessagesRequest, type MessagesStreamEvent } from "../../../wire/messages";
import { messagesStreamTransformer, type StreamContext } from "./stream";

const root = path.join(import.meta.dirname, "../../../..");
export const fixture = (file: string) => readFileSync(path.join(root, file), "utf8");
export const own = (name: string) => `lib/gateway/messages/translate/fixtures/${name}`;
export const google = (name: string) => `lib/providers/google/fixtures/${name}`;
export const anthropic = (name: string) => `lib/providers/anthropic/fixtures/${name}`;

export const streamCtx = (extra: Partial<StreamContext> = {}): StreamContext => ({
  id: "msg_01vecstructtest",
  model: "openai/gpt-4o",
  inputTokens: 42,
  outputEstimate: () => 7,
  ...extra,
});

/** The client's body as the endpoint hands it over: validated by the real schema. */
export const messages = (body: Record<string, unknown>): MessagesRequest => {
  const { vecstruct: _v, models: _m, provider: _p, ...req } = messagesRequestSchema.parse({ model: "openai/gpt-4o", max_tokens: 1024, ...body });
  return req;
};

async function drain<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

export function sourceOf<T>(items: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(c) {
      for (const item of items) c.enqueue(item);
      c.close();
    },
  });
}

/** A recorded upstream stream through its protocol's adapter: the chunks our transformer receives. */
export async function adapterChunks(protocol: "openai" | "openai-compatible" | "google" | "anthropic", file: string): Promise<ChatCompletionChunk[]> {
  const events = await parseSseText(fixture(file));
  const adapter = chatAdapterFor(protocol)!;
  return drain(sourceOf<SseEvent>(events).pipeThrough(adapter.streamTransformer({ id: "chatcmpl-test", created: 1_765_000_000, model: "x/test" })));
}

export async function toEvents(chunks: ChatCompletionChunk[], ctx: StreamContext = streamCtx()): Promise<MessagesStreamEvent[]> {
  return drain(sourceOf(chunks).pipeThrough(messagesStreamTransformer(ctx)));
}

export async function replay(protocol: "openai" | "openai-compatible" | "google" | "anthropic", file: string, ctx?: StreamContext) {
  return toEvents(await adapterChunks(protocol, file), ctx);
}

/** An SSE text of Anthropic events (a recording, or our encoder's output) → the events. */
export async function anthropicEvents(text: string): Promise<MessagesStreamEvent[]> {
  return (await parseSseText(text)).map((e) => JSON.parse(e.data) as MessagesStreamEvent);
}
