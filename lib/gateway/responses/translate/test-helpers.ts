// Fixture replay for the /v1/responses translation tests: recorded upstream bytes → the real adapter
// → responsesStreamTransformer → events (no mocks). The recordings are the providers' and the
// Messages translation's own.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseSseText } from "../../../providers/sse";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatCompletionChunk, SseEvent } from "../../../providers/types";
import { responsesRequestSchema, type ResponsesRequest, type ResponsesStreamEvent } from "../../../wire/responses";
import { responsesStreamTransformer, type StreamContext } from "./stream";
import type { Req } from "./types";

const root = path.join(import.meta.dirname, "../../../..");
export const fixture = (file: string) => readFileSync(path.join(root, file), "utf8");
export const own = (name: string) => `lib/gateway/responses/translate/fixtures/${name}`;
export const msgs = (name: string) => `lib/gateway/messages/translate/fixtures/${name}`;
export const openai = (name: string) => `lib/providers/openai/fixtures/${name}`;
export const google = (name: string) => `lib/providers/google/fixtures/${name}`;
export const anthropic = (name: string) => `lib/providers/anthropic/fixtures/${name}`;

/** The client's body as the endpoint hands it over: validated by the real schema. */
export const responses = (body: Record<string, unknown>): ResponsesRequest => {
  const { vecstruct: _v, models: _m, provider: _p, ...req } = responsesRequestSchema.parse({ model: "openai/gpt-4o", ...body });
  return req;
};

export const streamCtx = (extra: Partial<StreamContext> = {}, request: Record<string, unknown> = { input: "hi", stream: true }): StreamContext => ({
  id: "resp_vecstructtest",
  model: "openai/gpt-4o",
  createdAt: 1_765_000_000,
  request: responses(request) as Req,
  inputTokens: 42,
  outputEstimate: () => 7,
  ...extra,
});

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

type Upstream = "openai" | "openai-compatible" | "google" | "anthropic";

/** A recorded upstream stream through its protocol's adapter: the chunks our transformer receives. */
export async function adapterChunks(protocol: Upstream, file: string): Promise<ChatCompletionChunk[]> {
  const events = await parseSseText(fixture(file));
  const adapter = chatAdapterFor(protocol)!;
  return drain(sourceOf<SseEvent>(events).pipeThrough(adapter.streamTransformer({ id: "chatcmpl-test", created: 1_765_000_000, model: "x/test" })));
}

export async function toEvents(chunks: ChatCompletionChunk[], ctx: StreamContext = streamCtx()): Promise<ResponsesStreamEvent[]> {
  return drain(sourceOf(chunks).pipeThrough(responsesStreamTransformer(ctx)));
}

export async function replay(protocol: Upstream, file: string, ctx?: StreamContext) {
  return toEvents(await adapterChunks(protocol, file), ctx);
}
