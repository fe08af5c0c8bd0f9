// Fixture replay for the Google adapter tests (no mocks: recorded upstream bodies in, OpenAI out).
import { readFileSync } from "node:fs";
import path from "node:path";
import { chatRequestSchema, type ChatRequest } from "../../wire/chat";
import { parseSseText } from "../sse";
import type { ChatCompletionChunk, ResponseContext, SseEvent, UpstreamTarget } from "../types";
import { googleAdapter } from "./index";
import type { GeminiContent, GeminiPart, JsonObject } from "./wire";

export const ctx: ResponseContext = { id: "chatcmpl-9f2c1d7e4b", created: 1_760_000_000, model: "google/gemini-test" };
export const target = (upstreamModel = "gemini-2.5-flash"): UpstreamTarget => ({
  baseUrl: "https://generativelanguage.googleapis.com/",
  apiKey: "test-key",
  upstreamModel,
});

export const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name));

/** The client's body as the gateway hands it over: validated by the real schema. */
export const chat = (body: Record<string, unknown>): ChatRequest => {
  const { vecstruct: _, ...req } = chatRequestSchema.parse({ model: "google/gemini-test", ...body });
  return req;
};

export interface UpstreamBody {
  contents: (GeminiContent & { parts: GeminiPart[] })[];
  systemInstruction?: { parts: GeminiPart[] };
  tools?: { functionDeclarations: JsonObject[] }[];
  toolConfig?: JsonObject;
  generationConfig?: JsonObject;
}

export const build = (body: Record<string, unknown>, model?: string, stream = false) =>
  googleAdapter.buildRequest(chat(body), target(model), { stream });
export const upstreamBody = (body: Record<string, unknown>, model?: string) => build(body, model).body as UpstreamBody;

export async function replay(name: string): Promise<ChatCompletionChunk[]> {
  const events = await parseSseText(fixture(name));
  const source = new ReadableStream<SseEvent>({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
  const reader = source.pipeThrough(googleAdapter.streamTransformer(ctx)).getReader();
  const chunks: ChatCompletionChunk[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** What a client accumulates from a stream, per choice. */
export function accumulate(chunks: ChatCompletionChunk[]) {
  const out = new Map<number, { content: string; reasoning: string; toolCalls: { id?: string; name?: string; arguments: string }[]; finish: string | null }>();
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const acc = out.get(choice.index) ?? { content: "", reasoning: "", toolCalls: [], finish: null };
      out.set(choice.index, acc);
      acc.content += choice.delta.content ?? "";
      acc.reasoning += choice.delta.reasoning_content ?? "";
      for (const call of choice.delta.tool_calls ?? []) {
        const slot = (acc.toolCalls[call.index] ??= { arguments: "" });
        slot.id ??= call.id;
        slot.name ??= call.function?.name;
        slot.arguments += call.function?.arguments ?? "";
      }
      acc.finish = choice.finish_reason ?? acc.finish;
    }
  }
  return out;
}
