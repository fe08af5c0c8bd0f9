// The playground's OpenAI Responses dialect: the request it builds, the `client.responses` snippets
// it shows, and its reader of /v1/responses answers, fed through a Response: event sequences
// checked against OpenAI's stream grammar, a recorded upstream stream as the route's translator
// turns it into Responses events, and a JSON Response object.
import { afterEach, describe, expect, it, vi } from "vitest";
import { anthropic, replay } from "@/lib/gateway/responses/translate/test-helpers";
import { encodeResponsesEvent } from "@/lib/gateway/responses/translate/stream";
import type { ResponsesStreamEvent } from "@/lib/wire/responses";
import { assertResponsesGrammar } from "@/tests/helpers/responses-grammar";
import { readWith, respond } from "@/tests/helpers/playground-stream";
import { streamResponses } from "@/lib/client/responses-stream";
import { dialectOf } from "@/lib/client/playground-dialects";
import { buildResponsesRequest, responsesCurlSnippet, responsesPythonSnippet, responsesTypescriptSnippet } from "@/lib/client/playground-responses";
import { DEFAULT_SETTINGS } from "@/lib/client/playground-request";

const settings = { ...DEFAULT_SETTINGS, dialect: "responses" as const, model: "anthropic/claude-sonnet-4-5", system: "Be brief.", temperature: 0.2, rag: true, ragTopK: 3 };
const turns = [
  { role: "user" as const, content: "Hi" },
  { role: "assistant" as const, content: "Hello!" },
  { role: "user" as const, content: "What's the refund window?" },
];

describe("the Responses request and its snippets", () => {
  it("sends the conversation as input items, the system prompt as instructions, and the vecstruct object", () => {
    expect(buildResponsesRequest(settings, turns)).toEqual({
      model: "anthropic/claude-sonnet-4-5",
      instructions: "Be brief.",
      input: turns,
      temperature: 0.2,
      stream: true,
      vecstruct: { rag: true, rag_top_k: 3 },
    });
    const bare = buildResponsesRequest({ ...settings, system: " ", temperature: null, maxTokens: 77, topP: 0.9, rag: false }, turns);
    expect(bare).toMatchObject({ max_output_tokens: 77, top_p: 0.9, vecstruct: {} });
    expect(bare).not.toHaveProperty("instructions");
    expect(bare).not.toHaveProperty("temperature");
    // `store` is left to the route's default; the playground never asks for previous_response_id.
    expect(bare).not.toHaveProperty("store");
    expect(bare).not.toHaveProperty("max_tokens");
  });

  it("curl posts the body as is to /v1/responses with a bearer key", () => {
    const body = buildResponsesRequest(settings, turns);
    const code = responsesCurlSnippet("http://gw.test/v1", body);
    expect(/curl (\S+)/.exec(code)![1]).toBe("http://gw.test/v1/responses");
    expect(code).toContain('-H "Authorization: Bearer $VECSTRUCT_API_KEY"');
    expect(JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!.replaceAll("'\\''", "'"))).toEqual(body);
  });

  it("the SDK snippets call client.responses.create with <origin>/v1 as base URL and send vecstruct", () => {
    const body = buildResponsesRequest({ ...settings, maxTokens: 200 }, turns);
    const py = responsesPythonSnippet("http://gw.test/v1", body);
    expect(py).toContain('client = OpenAI(base_url="http://gw.test/v1", api_key=os.environ["VECSTRUCT_API_KEY"])');
    expect(py).toContain("stream = client.responses.create(");
    expect(py).toContain('model="anthropic/claude-sonnet-4-5"');
    expect(py).toContain('instructions="Be brief."');
    expect(py).toContain("max_output_tokens=200");
    expect(py).toContain('"role": "assistant"');
    expect(py).toContain("stream=True");
    expect(py).toContain('extra_body={"vecstruct": {');
    expect(py).toContain('event.type == "response.output_text.delta"');
    const ts = responsesTypescriptSnippet("http://gw.test/v1", body);
    expect(ts).toContain('new OpenAI({ baseURL: "http://gw.test/v1", apiKey: process.env.VECSTRUCT_API_KEY })');
    expect(ts).toContain("await client.responses.create({");
    expect(ts).toContain('"vecstruct": {');
    expect(ts).toContain("as OpenAI.Responses.ResponseCreateParamsStreaming");
  });

  it("is the playground's third dialect, with OpenAI's SDKs in View code", () => {
    const d = dialectOf("responses");
    expect(d).toMatchObject({ route: "/v1/responses", sdk: "OpenAI" });
    expect(d.build(settings, turns)).toEqual(buildResponsesRequest(settings, turns));
    expect(d.snippet("curl", "http://gw.test/v1", settings, turns)).toBe(responsesCurlSnippet("http://gw.test/v1", buildResponsesRequest(settings, turns)));
  });
});

// ---- The reader.

/** Events numbered as the route numbers them, checked against OpenAI's grammar, as SSE text. */
function sse(events: object[], { check = true } = {}): string {
  const numbered = events.map((e, i) => ({ ...e, sequence_number: i }) as ResponsesStreamEvent);
  if (check) assertResponsesGrammar(numbered);
  return numbered.map(encodeResponsesEvent).join("");
}
const usage = { input_tokens: 21, input_tokens_details: { cached_tokens: 5 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 30 };
const vecstruct = { audit_id: "aud_1", rag_sources: [], memory_used: false, credits_consumed: 0, balance_consumed_usd: 0.0002, warnings: [] };
const base = { id: "resp_1", object: "response", created_at: 1, model: "m", error: null, incomplete_details: null, output: [], usage: null };
const started = [
  { type: "response.created", response: { ...base, status: "in_progress" } },
  { type: "response.in_progress", response: { ...base, status: "in_progress" } },
];
const rs = { item_id: "rs_1", output_index: 0 };
const msg = { item_id: "msg_1", output_index: 1 };
const summary = (i: number, text: string) => [
  { type: "response.reasoning_summary_part.added", ...rs, summary_index: i, part: { type: "summary_text", text: "" } },
  { type: "response.reasoning_summary_text.delta", ...rs, summary_index: i, delta: text },
  { type: "response.reasoning_summary_text.done", ...rs, summary_index: i, text },
  { type: "response.reasoning_summary_part.done", ...rs, summary_index: i, part: { type: "summary_text", text } },
];
const reasoningItem = { type: "reasoning", id: "rs_1", summary: [] as object[] };
const messageItem = { type: "message", id: "msg_1", role: "assistant", status: "in_progress", content: [] as object[] };
const part = { type: "output_text", text: "", annotations: [], logprobs: [] };
const output = [
  { ...reasoningItem, summary: [{ type: "summary_text", text: "Check the policy." }, { type: "summary_text", text: "It says 30." }] },
  { ...messageItem, status: "completed", content: [{ ...part, text: "Thirty days." }] },
];
const answer = [
  ...started,
  { type: "response.output_item.added", output_index: 0, item: reasoningItem },
  ...summary(0, "Check the policy."),
  ...summary(1, "It says 30."),
  { type: "response.output_item.done", output_index: 0, item: output[0] },
  { type: "response.output_item.added", output_index: 1, item: messageItem },
  { type: "response.content_part.added", ...msg, content_index: 0, part },
  { type: "response.output_text.delta", ...msg, content_index: 0, delta: "Thirty ", logprobs: [] },
  { type: "response.output_text.delta", ...msg, content_index: 0, delta: "days.", logprobs: [] },
  { type: "response.output_text.done", ...msg, content_index: 0, text: "Thirty days.", logprobs: [] },
  { type: "response.content_part.done", ...msg, content_index: 0, part: { ...part, text: "Thirty days." } },
  { type: "response.output_item.done", output_index: 1, item: output[1] },
];
const read = () => readWith(streamResponses);

describe("streamResponses", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reads reasoning summary and text deltas in order, then usage and vecstruct from response.completed", async () => {
    respond(sse([...answer, { type: "response.completed", response: { ...base, status: "completed", output, usage, vecstruct } }]));
    const seen = await read();
    expect(seen).toMatchObject({ audit: "aud_1", text: "Thirty days.", reasoning: "Check the policy.\n\nIt says 30.", usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 } });
    // Deltas only (two summaries, their paragraph break, two text deltas): the .done events and the
    // final output repeat the text, and it is not shown twice.
    expect(seen.deltas).toBe(5);
    expect(seen.vecstruct).toEqual(vecstruct);
  });

  it("reads a recorded Anthropic thinking stream as the route translates it", async () => {
    const events = await replay("anthropic", anthropic("thinking.sse"));
    const final = assertResponsesGrammar(events);
    respond(events.map(encodeResponsesEvent).join(""));
    const seen = await read();
    const text = final.output.flatMap((o) => (o.type === "message" ? o.content.map((p) => (p.type === "output_text" ? p.text : p.refusal)) : [])).join("");
    const reasoning = final.output.flatMap((o) => (o.type === "reasoning" ? o.summary.map((p) => p.text) : [])).join("\n\n");
    expect(seen).toMatchObject({ text, reasoning });
    expect(seen.text).not.toBe("");
    expect(seen.reasoning).not.toBe("");
    expect(seen.usage).toEqual({ prompt_tokens: final.usage!.input_tokens, completion_tokens: final.usage!.output_tokens, total_tokens: final.usage!.total_tokens });
  });

  it("ends on response.incomplete with its usage (the answer hit max_output_tokens)", async () => {
    const cut = answer.slice(0, 15); // up to the first text delta
    const partial = { ...messageItem, status: "incomplete", content: [{ ...part, text: "Thirty " }] };
    const closing = [
      { type: "response.output_text.done", ...msg, content_index: 0, text: "Thirty ", logprobs: [] },
      { type: "response.content_part.done", ...msg, content_index: 0, part: { ...part, text: "Thirty " } },
      { type: "response.output_item.done", output_index: 1, item: partial },
    ];
    const incomplete = { ...base, status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, output: [output[0], partial], usage, vecstruct };
    respond(sse([...cut, ...closing, { type: "response.incomplete", response: incomplete }]));
    expect(await read()).toMatchObject({ text: "Thirty ", usage: { completion_tokens: 9 }, vecstruct: { audit_id: "aud_1" } });
  });

  it("reads a JSON Response object: output text, reasoning summary, usage and top-level vecstruct", async () => {
    respond(JSON.stringify({ ...base, status: "completed", output, usage, vecstruct }), { headers: { "content-type": "application/json", "x-vecstruct-audit-id": "aud_1" } });
    const seen = await read();
    expect(seen).toMatchObject({ audit: "aud_1", text: "Thirty days.", reasoning: "Check the policy.\n\nIt says 30.", usage: { prompt_tokens: 21 } });
    expect(seen.vecstruct).toEqual(vecstruct);
  });

  it("throws OpenAI's errors: an HTTP error body, an error event, response.failed, a stream that just stops", async () => {
    const body = { error: { message: "The model `x/y` does not exist", type: "invalid_request_error", param: "model", code: "model_not_found" } };
    respond(JSON.stringify(body), { status: 404, headers: { "content-type": "application/json" } });
    await expect(read()).rejects.toMatchObject({ message: "The model `x/y` does not exist", code: "model_not_found" });
    // (The grammar check wants a final response; an error event is the stream's end instead.)
    respond(sse([...answer.slice(0, 5), { type: "error", code: "server_error", message: "Upstream went away", param: null }], { check: false }));
    await expect(read()).rejects.toMatchObject({ message: "Upstream went away", code: "server_error" });
    const failed = { ...base, status: "failed", error: { code: "rate_limit_exceeded", message: "Slow down" }, usage, vecstruct };
    respond(sse([...started, { type: "response.failed", response: failed }]));
    await expect(read()).rejects.toMatchObject({ message: "Slow down", code: "rate_limit_exceeded" });
    respond(sse(answer.slice(0, 15), { check: false }));
    await expect(read()).rejects.toMatchObject({ code: "server_error" });
  });
});
