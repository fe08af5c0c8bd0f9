// The native relay, replaying OpenAI's recorded Responses streams (tests/fixtures/responses): every
// event goes to the client byte for byte except the ones carrying the Response object, whose only
// change is `model` (and the client's previous_response_id); usage is read from response.completed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rawSseEvents } from "../messages/raw-sse";
import type { OutEvent } from "../event-stream";
import { NativeStreamState, relayNativeEvents } from "./native";

const recorded = (file: string) => {
  const lines = readFileSync(path.resolve(import.meta.dirname, "../../../tests/fixtures/responses", file), "utf8").trim().split("\n");
  // As OpenAI sends them: `event: <type>` then the data line.
  return lines.map((l) => `event: ${(JSON.parse(l) as { type: string }).type}\ndata: ${l}\n\n`);
};

async function relay(sse: string[], previousId: string | null = null): Promise<OutEvent[]> {
  const body = new Response(sse.join("")).body!;
  const out: OutEvent[] = [];
  const reader = body.pipeThrough(rawSseEvents()).pipeThrough(relayNativeEvents("openai/gpt-4o-mini", previousId)).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  return out;
}

describe("the native Responses relay", () => {
  for (const file of ["openai-text.chunks.jsonl", "openai-function-call.chunks.jsonl"]) {
    it(`relays ${file} unchanged but for the Response object's model`, async () => {
      const sse = recorded(file);
      const events = await relay(sse, "resp_prev");
      expect(events).toHaveLength(sse.length);
      events.forEach((e, i) => {
        const original = JSON.parse(sse[i]!.split("\ndata: ")[1]!) as Record<string, unknown>;
        if (!("response" in original)) return expect(e.text).toBe(sse[i]);
        const { response, ...rest } = e.data as { response: Record<string, unknown> };
        const { response: originalResponse, ...originalRest } = original as { response: Record<string, unknown> };
        expect(rest).toEqual(originalRest);
        expect(response).toEqual({ ...originalResponse, model: "openai/gpt-4o-mini", previous_response_id: "resp_prev" });
      });
      const state = new NativeStreamState();
      for (const e of events) state.observe(e);
      const final = JSON.parse(sse.at(-1)!.split("\ndata: ")[1]!) as { sequence_number: number; response: { usage: { input_tokens: number; output_tokens: number } } };
      expect(state.usage).toMatchObject({ prompt_tokens: final.response.usage.input_tokens, completion_tokens: final.response.usage.output_tokens });
      expect(state.counter.next).toBe(final.sequence_number + 1);
    });
  }
});
