import { describe, expect, it } from "vitest";
import { ApiError } from "../../../errors";
import { chatAdapterFor } from "../../../providers/registry";
import { sealReasoning } from "./reasoning";
import { toChatRequest } from "./request";
import { responses } from "./test-helpers";
import type { Protocol, TranslateOptions } from "./types";

const opts = (extra: Partial<TranslateOptions> = {}): TranslateOptions => ({ protocol: "openai", upstreamModel: "gpt-4o", reasoning: false, ...extra });

function translate(body: Record<string, unknown>, extra: Partial<TranslateOptions> = {}) {
  const warnings: string[] = [];
  const chat = toChatRequest(responses(body), opts(extra), warnings);
  return { chat, warnings };
}

function rejects(body: Record<string, unknown>, param: string, extra: Partial<TranslateOptions> = {}) {
  let error: unknown;
  try {
    translate(body, extra);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).status).toBe(400);
  expect((error as ApiError).param).toBe(param);
  return error as ApiError;
}

const user = (content: unknown) => ({ type: "message", role: "user", content });
const weather = { type: "function", name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } };

/** A tool round trip as a store:false client sends it (the whole item list, reasoning with encrypted_content). */
const roundTrip = (encrypted: string | null) => ({
  instructions: "You are terse.",
  input: [
    user([{ type: "input_text", text: "Weather in Paris?" }]),
    { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Need the tool." }], encrypted_content: encrypted },
    { type: "function_call", id: "fc_1", call_id: "call_abc_gts_c2lnbmF0dXJl", name: "get_weather", arguments: '{"city":"Paris"}', status: "completed" },
    { type: "function_call_output", call_id: "call_abc_gts_c2lnbmF0dXJl", output: "18°C, sunny" },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "18°C and sunny.", annotations: [] }], id: "msg_1", status: "completed" },
    user("Thanks"),
  ],
  tools: [weather],
  tool_choice: "auto",
  parallel_tool_calls: false,
  store: false,
  include: ["reasoning.encrypted_content"],
  max_output_tokens: 500,
});

describe("toChatRequest: the request", () => {
  it("a string input and instructions: a system message, then the user's", () => {
    expect(translate({ input: "Hello", instructions: "Be brief.", temperature: 0.3, top_p: 0.9, max_output_tokens: 64 }).chat).toEqual({
      model: "openai/gpt-4o",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
      max_completion_tokens: 64,
      temperature: 0.3,
      top_p: 0.9,
    });
  });

  it("compatible servers get max_tokens; a stream asks for usage", () => {
    expect(translate({ input: "x", max_output_tokens: 9, stream: true }, { protocol: "openai-compatible" }).chat).toMatchObject({ max_tokens: 9, stream: true, stream_options: { include_usage: true } });
  });

  it("items: reasoning + function_call + message form one assistant turn; outputs are tool messages; call ids byte-exact", () => {
    const { chat, warnings } = translate(roundTrip(null), { protocol: "openai-compatible", reasoning: true });
    expect(chat.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, reasoning_content: "Need the tool.", tool_calls: [{ id: "call_abc_gts_c2lnbmF0dXJl", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_abc_gts_c2lnbmF0dXJl", content: "18°C, sunny" },
      { role: "assistant", content: "18°C and sunny." },
      { role: "user", content: "Thanks" },
    ]);
    expect(chat).toMatchObject({ tool_choice: "auto", parallel_tool_calls: false, max_tokens: 500 });
    expect(chat.tools).toEqual([{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: weather.parameters, strict: true } }]);
    expect(warnings).toEqual([]);
  });

  it("our sealed reasoning goes back as the upstream needs it: text to DeepSeek, signed blocks to Anthropic, nothing to OpenAI", () => {
    const blocks = [{ type: "thinking" as const, thinking: "Need the tool (full).", signature: "EqQBCkYIBxgCKkDsig" }];
    const sealed = sealReasoning("Need the tool (full).", blocks);
    const deepseek = translate(roundTrip(sealed), { protocol: "openai-compatible" }).chat.messages[2];
    expect(deepseek).toMatchObject({ reasoning_content: "Need the tool (full)." });
    const claude = translate(roundTrip(sealed), { protocol: "anthropic" }).chat.messages[2] as Record<string, unknown>;
    expect(claude.thinking_blocks).toEqual(blocks);
    expect(claude.reasoning_content).toBeUndefined();
    const gpt = translate(roundTrip(sealed), { protocol: "openai" });
    expect(gpt.chat.messages[2]).not.toHaveProperty("reasoning_content");
    expect(gpt.warnings).toEqual(["Earlier reasoning items cannot be sent to this model through Chat Completions and were left out."]);
  });

  it("another model's encrypted reasoning: its summary is used, with a warning", () => {
    const { chat, warnings } = translate(roundTrip("gAAAAABopaque"), { protocol: "openai-compatible" });
    expect(chat.messages[2]).toMatchObject({ reasoning_content: "Need the tool." });
    expect(warnings).toEqual(["Encrypted reasoning from another model cannot be read by this model; its summary was used instead."]);
  });

  it("user parts: text, images with detail, PDFs per protocol", () => {
    const content = [
      { type: "input_text", text: "Look" },
      { type: "input_image", image_url: "https://x/cat.png", detail: "high" },
      { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
    ];
    expect(translate({ input: [user(content)] }).chat.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "Look" },
        { type: "image_url", image_url: { url: "https://x/cat.png", detail: "high" } },
        { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
      ],
    });
    expect(translate({ input: [user([content[2]])] }, { protocol: "google" }).chat.messages[0]).toEqual({ role: "user", content: [{ type: "image_url", image_url: { url: "data:application/pdf;base64,JVBERi0=" } }] });
    expect(translate({ input: [user([{ type: "input_file", file_url: "https://x/a.pdf" }])] }, { protocol: "google" }).chat.messages[0]).toMatchObject({ content: [{ image_url: { url: "https://x/a.pdf" } }] });
  });

  it("developer and system items keep their place as text", () => {
    expect(translate({ input: [{ role: "developer", content: [{ type: "input_text", text: "a" }, { type: "input_text", text: "b" }] }, user("hi")] }).chat.messages).toEqual([
      { role: "developer", content: "a\n\nb" },
      { role: "user", content: "hi" },
    ]);
  });

  it("tool_choice: a named function; parallel_tool_calls only with tools", () => {
    expect(translate({ input: "x", tools: [weather], tool_choice: { type: "function", name: "get_weather" } }).chat.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(translate({ input: "x", tool_choice: "none", parallel_tool_calls: true }).chat).not.toHaveProperty("tool_choice");
  });

  it("text.format: json_schema and json_object", () => {
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"], additionalProperties: false };
    expect(translate({ input: "x", text: { format: { type: "json_schema", name: "out", schema, strict: true } } }).chat.response_format).toEqual({ type: "json_schema", json_schema: { name: "out", schema, strict: true } });
    expect(translate({ input: "x", text: { format: { type: "json_object" } } }).chat.response_format).toEqual({ type: "json_object" });
    expect(translate({ input: "x", text: { format: { type: "text" } } }).chat).not.toHaveProperty("response_format");
  });

  it("reasoning.effort on a reasoning model; xhigh is high with a warning", () => {
    expect(translate({ input: "x", reasoning: { effort: "low", summary: "auto" } }, { reasoning: true })).toEqual(expect.objectContaining({ warnings: [] }));
    expect(translate({ input: "x", reasoning: { effort: "low" } }, { reasoning: true }).chat.reasoning_effort).toBe("low");
    const xhigh = translate({ input: "x", reasoning: { effort: "xhigh" } }, { reasoning: true });
    expect(xhigh.chat.reasoning_effort).toBe("high");
    expect(xhigh.warnings).toEqual(['reasoning.effort "xhigh" was sent as "high", this model\'s highest effort.']);
  });

  it("state and gateway fields never go upstream", () => {
    const { chat } = translate({ input: "x", store: true, previous_response_id: "resp_1", metadata: { a: "b" }, vecstruct: {}, models: ["openai/gpt-4o-mini"] });
    expect(Object.keys(chat).sort()).toEqual(["messages", "model"]);
  });

  it("prompt_cache_key goes to OpenAI's chat API as is", () => {
    expect(translate({ input: "x", prompt_cache_key: "k1" }).chat).toMatchObject({ prompt_cache_key: "k1" });
  });
});

describe("toChatRequest: hints without effect are warnings", () => {
  const cases: [string, Record<string, unknown>, Partial<TranslateOptions>, string][] = [
    ["truncation auto", { truncation: "auto" }, {}, 'truncation "auto" has no effect on this model: a conversation over its context window fails instead of being truncated.'],
    ["text.verbosity", { text: { verbosity: "low" } }, {}, "text.verbosity has no effect on this model and was ignored."],
    ["prompt_cache_key off OpenAI", { prompt_cache_key: "k" }, { protocol: "anthropic" }, "prompt_cache_key has no effect on this model and was ignored."],
    ["client_metadata", { client_metadata: { session: "s" } }, {}, "client_metadata has no effect on this model and was ignored."],
    ["effort without a reasoning control", { reasoning: { effort: "high" } }, {}, "reasoning.effort has no effect on this model (it has no reasoning control) and was ignored."],
    ["summary concise", { reasoning: { summary: "concise" } }, {}, 'reasoning.summary "concise": this model\'s reasoning summary is the reasoning text its upstream returns.'],
    ["annotations on an earlier answer", { input: [{ role: "assistant", content: [{ type: "output_text", text: "a", annotations: [{ type: "url_citation" }] }] }, user("b")] }, {}, "Annotations on earlier answers have no counterpart on this model and were not sent."],
  ];
  for (const [name, body, extra, warning] of cases) {
    it(name, () => {
      const { chat, warnings } = translate({ input: "x", ...body }, extra);
      expect(warnings).toEqual([warning]);
      expect(chat).not.toHaveProperty("truncation");
      expect(chat).not.toHaveProperty("client_metadata");
    });
  }
});

describe("toChatRequest: what cannot be translated is a 400 naming it", () => {
  it("hosted tools name `tools`", () => {
    for (const type of ["web_search", "file_search", "code_interpreter", "mcp", "custom"]) rejects({ input: "x", tools: [weather, { type, name: "t" }] }, "tools");
    rejects({ input: "x", tools: [{ type: "namespace", name: "ns", tools: [{ type: "web_search" }] }] }, "tools");
  });

  it("namespace tools: flattened as <namespace>__<name>; a malformed one, an unknown field or a name clash is a 400 naming it", () => {
    const ns = { type: "namespace", name: "files", description: "File tools", tools: [weather] };
    expect(translate({ input: "x", tools: [ns] }).chat.tools?.map((t) => t.function.name)).toEqual(["files__get_weather"]);
    rejects({ input: "x", tools: [weather, { type: "namespace", name: "t" }] }, "tools[1]");
    rejects({ input: "x", tools: [{ ...ns, defer_loading: true }] }, "tools[0].defer_loading");
    rejects({ input: "x", tools: [{ ...weather, name: "files__get_weather" }, ns] }, "tools[1].tools[0].name");
    rejects({ input: "x", tools: [{ ...ns, name: "n".repeat(60) }] }, "tools[0].tools[0].name");
  });
  const cases: [string, Record<string, unknown>, string, Partial<TranslateOptions>?][] = [
    ["an unknown top-level field", { background: true }, "background"],
    ["no input", { input: undefined }, "input"],
    ["an unknown tool field", { tools: [{ ...weather, defer_loading: true }] }, "tools[0].defer_loading"],
    ["a bad function name", { tools: [{ ...weather, name: "has space" }] }, "tools[0].name"],
    ["tool_choice naming a missing tool", { tools: [weather], tool_choice: { type: "function", name: "nope" } }, "tool_choice.name"],
    ["tool_choice required without tools", { tool_choice: "required" }, "tool_choice"],
    ["a hosted tool_choice", { tools: [weather], tool_choice: { type: "web_search" } }, "tool_choice"],
    ["an include of hosted tool output", { include: ["file_search_call.results"] }, "include[0]"],
    ["an unknown text field", { text: { format: { type: "text" }, other: 1 } }, "text.other"],
    ["an unknown reasoning field", { reasoning: { effort: "low", budget: 3 } }, "reasoning.budget"],
    ["a hosted tool call item", { input: [{ type: "web_search_call", id: "ws_1" }] }, "input[0].type"],
    ["a custom tool call item", { input: [{ type: "custom_tool_call", call_id: "c", name: "apply_patch", input: "x" }] }, "input[0].type"],
    ["an item reference", { input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type"],
    ["an unknown item field", { input: [{ ...user("x"), phase: "final" }] }, "input[0].phase"],
    ["an image by file_id", { input: [user([{ type: "input_image", file_id: "file_1" }])] }, "input[0].content[0].file_id"],
    ["a file by file_id", { input: [user([{ type: "input_file", file_id: "file_1" }])] }, "input[0].content[0].file_id"],
    ["a file by URL off Gemini", { input: [user([{ type: "input_file", file_url: "https://x/a.pdf" }])] }, "input[0].content[0].file_url"],
    ["a PDF to Anthropic", { input: [user([{ type: "input_file", file_data: "JVBERi0=" }])] }, "input[0].content[0]", { protocol: "anthropic" }],
    ["an image in a system item", { input: [{ role: "system", content: [{ type: "input_image", image_url: "https://x" }] }] }, "input[0].content[0].type"],
    ["audio", { input: [user([{ type: "input_audio", input_audio: {} }])] }, "input[0].content[0].type"],
    ["an image in a tool output", { input: [{ type: "function_call", call_id: "c", name: "f", arguments: "{}" }, { type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "https://x" }] }] }, "input[1].output[0].type"],
    ["a tool output without its call", { input: [{ type: "function_call_output", call_id: "c", output: "x" }] }, "input[0].call_id"],
    ["a function call without a name", { input: [{ type: "function_call", call_id: "c", arguments: "{}" }] }, "input[0].name"],
  ];
  for (const [name, body, param, extra] of cases) {
    it(name, () => {
      rejects({ input: "x", ...body }, param, extra);
    });
  }
});

describe("the upstream request each adapter builds from a translated request", () => {
  const target = { baseUrl: "https://upstream.example/v1", apiKey: "sk-test", upstreamModel: "" };
  const cases: [Protocol, string, boolean][] = [
    ["openai", "gpt-4o", false],
    ["openai-compatible", "deepseek-chat", true],
    ["anthropic", "claude-sonnet-4-5", true],
    ["google", "gemini-3-pro-preview", true],
  ];
  const sealed = sealReasoning("Need the tool (full).", [{ type: "thinking", thinking: "Need the tool (full).", signature: "EqQBCkYIBxgCKkDsig" }]);
  for (const [protocol, upstreamModel, reasoning] of cases) {
    it(`${protocol} (${upstreamModel})`, () => {
      const warnings: string[] = [];
      const chat = toChatRequest(responses({ ...roundTrip(sealed), stream: true, reasoning: { effort: "medium", summary: "auto" } }), opts({ protocol, upstreamModel, reasoning }), warnings);
      const upstream = chatAdapterFor(protocol)!.buildRequest(chat, { ...target, upstreamModel }, { stream: true });
      expect({ url: upstream.url, body: upstream.body, warnings: [...warnings, ...upstream.warnings] }).toMatchSnapshot();
    });
  }
});
