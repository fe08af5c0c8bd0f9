// The OpenAI mock upstream's native /v1/responses (tests/mocks/responses.ts), checked with the
// clients the gateway suite uses against it: raw SSE against OpenAI's stream grammar, the official
// `openai` SDK, and an @openai/agents one-tool agent; and against OpenAI's recorded streams
// (tests/fixtures/responses/README.md lists the known differences).
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from "@openai/agents";
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ResponsesStreamEvent } from "@/lib/wire/responses";
import { assertResponsesGrammar } from "../helpers/responses-grammar";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";

let mock: MockUpstream;
let client: OpenAI;
const weather = { type: "function" as const, name: "get_weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true };

beforeAll(async () => {
  mock = await startMockUpstream();
  client = new OpenAI({ apiKey: "sk-mock", baseURL: `${mock.origin}/v1`, maxRetries: 0 });
});
afterAll(() => mock.close());

async function post(body: unknown) {
  return fetch(`${mock.origin}/v1/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** The SSE events of a streamed answer, checking each `event:` line names its data's type. */
async function streamed(body: Record<string, unknown>): Promise<ResponsesStreamEvent[]> {
  const res = await post({ ...body, stream: true });
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const text = await res.text();
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      const data = JSON.parse(dataLine!.slice("data: ".length)) as ResponsesStreamEvent;
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
}

describe("mock upstream: POST /v1/responses", () => {
  it("echoes like the chat path, with OpenAI's Response object and usage", async () => {
    const r = await client.responses.create({ model: "gpt-4o", input: "hello there", instructions: "Be brief." });
    expect(r.output_text).toBe("Echo: hello there");
    expect(r).toMatchObject({ object: "response", status: "completed", model: "gpt-4o", store: true, instructions: "Be brief.", incomplete_details: null, error: null });
    expect(r.id).toMatch(/^resp_/);
    const input = Math.ceil((JSON.stringify("hello there") + JSON.stringify("Be brief.")).length / 4);
    expect(r.usage).toEqual({ input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + 3 });
    const recorded = mock.requests.at(-1)!;
    expect(recorded).toMatchObject({ method: "POST", path: "/v1/responses", body: { model: "gpt-4o", input: "hello there" } });
  });

  it("streams every event in OpenAI's order and grammar", async () => {
    const events = await streamed({ model: "gpt-4o", input: [{ role: "user", content: [{ type: "input_text", text: "stream me please" }] }], prompt_cache_key: "k1" });
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(4).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const final = assertResponsesGrammar(events);
    expect(final.output).toMatchObject([{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Echo: stream me please", annotations: [], logprobs: [] }] }]);
    expect(final.usage!.input_tokens_details.cached_tokens).toBe(Math.floor(final.usage!.input_tokens / 2));
  });

  it("serves the openai SDK's responses.stream", async () => {
    const stream = client.responses.stream({ model: "gpt-4o", input: "via the sdk" });
    let deltas = "";
    for await (const e of stream) if (e.type === "response.output_text.delta") deltas += e.delta;
    const final = await stream.finalResponse();
    expect(deltas).toBe("Echo: via the sdk");
    expect(final.output_text).toBe("Echo: via the sdk");
  });

  it("does a function-tool round trip with the whole item list, streamed and not", async () => {
    const first = await client.responses.create({ model: "gpt-4o", input: "weather in Paris?", tools: [weather] });
    const call = first.output[0]!;
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", arguments: '{"city":"Paris"}', status: "completed" });
    expect(first.usage!.output_tokens).toBe(8);
    if (call.type !== "function_call") throw new Error("no call");
    const input = [{ role: "user" as const, content: "weather in Paris?" }, call, { type: "function_call_output" as const, call_id: call.call_id, output: "22C and sunny" }];
    const second = await client.responses.create({ model: "gpt-4o", input, tools: [weather] });
    expect(second.output_text).toBe("Tool result: 22C and sunny");

    const events = await streamed({ model: "gpt-4o", input: "weather? [[tool-args:30]]", tools: [weather] });
    const final = assertResponsesGrammar(events);
    expect(events.filter((e) => e.type === "response.function_call_arguments.delta").length).toBeGreaterThan(1);
    expect(JSON.parse((final.output[0] as { arguments: string }).arguments).text).toMatch(/^word0 .* word29$/);
  });

  it("follows [[use-tool:NAME:{json}]] like the other routes", async () => {
    const prompt = 'list files [[use-tool:exec_command:{"cmd":"ls"}]]';
    const tools = [{ type: "function" as const, name: "other", parameters: {}, strict: false }, { type: "function" as const, name: "exec_command", parameters: {}, strict: false }];
    const events = await streamed({ model: "gpt-4o", input: prompt, tools });
    const first = assertResponsesGrammar(events);
    const call = first.output[0] as { type: string; name: string; arguments: string; call_id: string };
    expect(call).toMatchObject({ type: "function_call", name: "exec_command", arguments: '{"cmd":"ls"}' });
    expect(first.usage!.output_tokens).toBe(12);
    const second = await client.responses.create({
      model: "gpt-4o",
      tools,
      input: [{ role: "user", content: prompt }, { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments }, { type: "function_call_output", call_id: call.call_id, output: "a.txt b.txt" }],
    });
    expect(second.output_text).toBe("Tool said: a.txt b.txt");
  });

  it("answers JSON modes, stops at max_output_tokens as incomplete, and honours faults", async () => {
    const json = await client.responses.create({ model: "gpt-4o", input: "hi", text: { format: { type: "json_schema", name: "a", schema: { type: "object" } } } });
    expect(JSON.parse(json.output_text)).toEqual({ answer: "Echo: hi" });

    const events = await streamed({ model: "gpt-4o", input: "one two three four five", max_output_tokens: 2 });
    const cut = assertResponsesGrammar(events);
    expect(events.at(-1)!.type).toBe("response.incomplete");
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, output: [{ status: "incomplete", content: [{ text: "Echo: one " }] }] });

    const failed = await post({ model: "gpt-4o", input: "boom [[fault:500]]" });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { message: string } }).error.message).toBe("mock failure 500");
    const busy = await post({ model: "gpt-4o-busy", input: "hi" });
    expect(busy.status).toBe(429);
    const noEnd = await streamed({ model: "gpt-4o", input: "cut me [[fault:cut]]" }).catch(() => null);
    // The socket is cut after the last item: no final event (or no complete body at all).
    expect(noEnd?.some((e) => e.type === "response.completed") ?? false).toBe(false);
  });

  it("refuses bodies OpenAI refuses, with OpenAI's error body", async () => {
    const cases: [unknown, string | null, string | null][] = [
      [{ input: "hi" }, "model", "missing_required_parameter"],
      [{ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }, "messages", "unsupported_parameter"],
      [{ model: "gpt-4o", input: "hi", vecstruct: {} }, "vecstruct", "unknown_parameter"],
      [{ model: "gpt-4o", input: { text: "hi" } }, "input", "invalid_type"],
      [{ model: "gpt-4o", input: "hi", previous_response_id: "resp_unknown" }, "previous_response_id", "previous_response_not_found"],
      [{ model: "gpt-4o", input: [{ type: "function_call_output", call_id: "call_x", output: "1" }] }, "input", null],
    ];
    for (const [body, param, code] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ type: "invalid_request_error", param, code });
    }
  });

  it("keeps stored responses for GET and DELETE, and not store: false ones", async () => {
    const kept = await client.responses.create({ model: "gpt-4o", input: "keep me" });
    expect((await client.responses.retrieve(kept.id)).output_text).toBe("Echo: keep me");
    const next = await client.responses.create({ model: "gpt-4o", input: "and then", previous_response_id: kept.id });
    expect(next.previous_response_id).toBe(kept.id);
    expect(await client.responses.delete(kept.id)).toMatchObject({ id: kept.id, deleted: true });
    await expect(client.responses.retrieve(kept.id)).rejects.toMatchObject({ status: 404 });
    const unstored = await client.responses.create({ model: "gpt-4o", input: "forget me", store: false });
    expect(unstored).toMatchObject({ store: false });
    await expect(client.responses.retrieve(unstored.id)).rejects.toMatchObject({ status: 404 });
  });

  it("runs an @openai/agents one-tool agent (Responses API, tracing off)", async () => {
    setTracingDisabled(true);
    const provider = new OpenAIProvider({ apiKey: "sk-mock", baseURL: `${mock.origin}/v1`, useResponses: true });
    const getWeather = tool({ name: "get_weather", description: "Weather of a city", parameters: z.object({ city: z.string() }), execute: async ({ city }) => `sunny in ${city}` });
    const agent = new Agent({ name: "Weather", instructions: "Answer with the tool.", model: "gpt-4o", tools: [getWeather] });
    const before = mock.requests.length;
    const result = await new Runner({ modelProvider: provider }).run(agent, "What is the weather in Paris?");
    expect(result.finalOutput).toBe("Tool result: sunny in Paris");
    const sent = mock.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(["/v1/responses", "/v1/responses"]);
    expect(sent[1]!.body.input.map((i: { type?: string }) => i.type ?? "message")).toEqual(["message", "function_call", "function_call_output"]);
  });
});

/** Key paths of an object (nested objects, first array element), for comparing shapes. */
function shape(o: unknown, at = ""): string[] {
  if (typeof o !== "object" || o === null) return [];
  const entries = Array.isArray(o) ? (o.length ? [["0", o[0]] as const] : []) : Object.entries(o);
  return entries.flatMap(([k, v]) => [`${at}${k}`, ...shape(v, `${at}${k}.`)]);
}

const recorded = (file: string) =>
  readFileSync(new URL(`../fixtures/responses/${file}`, import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ResponsesStreamEvent);

// What the README says the mock leaves out or adds.
const LEFT_OUT = /^(obfuscation|response\.tool_usage|response\.reasoning\.(context|mode)|response\.usage\.input_tokens_details\.cache_write_tokens)(\.|$)/;
const ADDED = new Set(["response.function_call_arguments.done:name"]);

describe("mock upstream /v1/responses vs OpenAI's recorded streams", () => {
  const cases = [
    { file: "openai-text.chunks.jsonl", body: { model: "gpt-4o", input: "OK" } },
    { file: "openai-function-call.chunks.jsonl", body: { model: "gpt-4o", input: "weather?", tools: [weather], tool_choice: "required" } },
  ];
  for (const { file, body } of cases) {
    it(`sends ${file}'s events with its fields`, async () => {
      const real = recorded(file);
      expect(assertResponsesGrammar(real).status).toBe("completed");
      const mine = await streamed(body);
      const types = (es: ResponsesStreamEvent[]) => [...new Set(es.map((e) => e.type))];
      expect(types(mine)).toEqual(types(real));
      for (const type of types(real)) {
        // The final event's usage is set; the first events' is null: compare each with its own.
        const r = real.find((e) => e.type === type)!;
        const m = mine.find((e) => e.type === type)!;
        const want = shape(r).filter((k) => !LEFT_OUT.test(k));
        const got = shape(m).filter((k) => !ADDED.has(`${type}:${k}`));
        expect(got.sort(), type).toEqual(want.sort());
      }
    });
  }
});

