import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { googleAdapter } from "./index";
import { convertSchema } from "./schema-convert";
import { build, ctx, fixtureJson, upstreamBody } from "./test-helpers";
import { signatureFromToolCallId, SKIP_SIGNATURE, toolCallId } from "./thought-signature";
import type { GeminiResponse } from "./wire";

const user = (content: unknown) => ({ role: "user", content });
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city.",
    strict: true,
    parameters: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        location: { type: "string", description: "City and region" },
        unit: { type: ["string", "null"], enum: ["celsius", "fahrenheit", null] },
      },
      required: ["location"],
      additionalProperties: false,
    },
  },
};

const sfSignature = (fixtureJson("tool-call.json") as GeminiResponse).candidates?.[0]?.content?.parts?.[0]?.thoughtSignature;
const sfId = toolCallId("chatcmpl-earlier", 0, 0, sfSignature);

const richRequest = {
  messages: [
    { role: "system", content: "You are a travel assistant." },
    { role: "developer", content: [{ type: "text", text: "Prefer metric units." }] },
    user([
      { type: "text", text: "What's the weather where these photos were taken?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==" } },
      { type: "image_url", image_url: { url: "https://example.com/photos/tokyo.webp?size=large", detail: "auto" } },
    ]),
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: sfId, type: "function", function: { name: "get_weather", arguments: '{"location":"San Francisco, CA"}' } },
        { id: "call_tokyo", type: "function", function: { name: "get_weather", arguments: '{"location":"Tokyo"}' } },
      ],
    },
    { role: "tool", tool_call_id: sfId, content: '{"temperature":18,"unit":"celsius"}' },
    { role: "tool", tool_call_id: "call_tokyo", content: "24" },
    user("Thanks! Summarize it."),
  ],
  tools: [weatherTool],
  tool_choice: "auto",
  temperature: 0.4,
  top_p: 0.9,
  max_completion_tokens: 1024,
  seed: 7,
  stop: ["END"],
  response_format: {
    type: "json_schema",
    json_schema: {
      name: "summary",
      strict: true,
      schema: {
        type: "object",
        properties: { cities: { type: "array", items: { $ref: "#/$defs/city" } }, note: { type: "string" } },
        required: ["cities", "note"],
        additionalProperties: false,
        $defs: { city: { type: "object", properties: { name: { type: "string" }, celsius: { type: "number" } }, required: ["name", "celsius"] } },
      },
    },
  },
  reasoning_effort: "low",
  user: "end-user-42",
  stream_options: { include_usage: true },
};

describe("google buildRequest", () => {
  it("translates a rich request (snapshot)", () => {
    const req = build(richRequest, "gemini-3-pro-preview", true);
    expect(req.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
    expect(req.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "test-key" });
    expect(req.warnings).toEqual(["tools[].function.strict is best effort on Gemini: arguments are not guaranteed to match the schema."]);
    expect(req.body).toMatchSnapshot();
  });

  it("keeps roles, order and merged turns", () => {
    const body = upstreamBody(richRequest, "gemini-3-pro-preview");
    expect(body.systemInstruction).toEqual({ parts: [{ text: "You are a travel assistant." }, { text: "Prefer metric units." }] });
    expect(body.contents.map((c) => c.role)).toEqual(["user", "model", "user"]);
    const [, model, results] = body.contents;
    expect(model?.parts[0]).toEqual({ functionCall: { name: "get_weather", args: { location: "San Francisco, CA" } }, thoughtSignature: sfSignature });
    expect(model?.parts[1]?.thoughtSignature).toBeUndefined(); // Gemini signs only the first call of a batch
    expect(results?.parts).toEqual([
      { functionResponse: { name: "get_weather", response: { temperature: 18, unit: "celsius" } } },
      { functionResponse: { name: "get_weather", response: { result: 24 } } },
      { text: "Thanks! Summarize it." },
    ]);
    expect(body.contents[0]?.parts.slice(1)).toEqual([
      { inlineData: { mimeType: "image/png", data: "iVBORw0KGgoAAAANSUhEUg==" } },
      { fileData: { mimeType: "image/webp", fileUri: "https://example.com/photos/tokyo.webp?size=large" } },
    ]);
  });

  it("maps generation parameters", () => {
    const config = upstreamBody({
      messages: [user("hi")],
      temperature: 1.7,
      top_p: 0.5,
      max_tokens: 50,
      stop: "\n\n",
      n: 2,
      seed: 1,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: "json_object" },
      reasoning_effort: "none",
      logit_bias: {},
      modalities: ["text"],
      parallel_tool_calls: true,
    }).generationConfig;
    expect(config).toEqual({
      temperature: 1.7,
      topP: 0.5,
      maxOutputTokens: 50,
      stopSequences: ["\n\n"],
      candidateCount: 2,
      seed: 1,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseLogprobs: true,
      logprobs: 3,
      responseMimeType: "application/json",
      thinkingConfig: { thinkingBudget: 0 },
    });
  });

  it.each([
    ["minimal", 512],
    ["low", 1024],
    ["medium", 8192],
    ["high", 24576],
  ])("reasoning_effort %s → thinkingBudget %d with thoughts", (effort, budget) => {
    expect(upstreamBody({ messages: [user("hi")], reasoning_effort: effort }).generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: budget, includeThoughts: true },
    });
  });

  it("maps tool_choice", () => {
    const config = (tool_choice: unknown) => upstreamBody({ messages: [user("hi")], tools: [weatherTool], tool_choice }).toolConfig;
    expect(config("none")).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(config("required")).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(config({ type: "function", function: { name: "get_weather" } })).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    });
    expect(config(undefined)).toBeUndefined();
  });

  it("omits parameters of a function without arguments", () => {
    const tool = { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } };
    expect(upstreamBody({ messages: [user("hi")], tools: [tool] }).tools).toEqual([{ functionDeclarations: [{ name: "now", description: "" }] }]);
  });

  it("sends a schema Gemini's Schema cannot express as parametersJsonSchema", () => {
    const parameters = { type: "object", properties: { tags: { type: "array", items: { type: "string" }, uniqueItems: true } } };
    const [declaration] = upstreamBody({ messages: [user("hi")], tools: [{ type: "function", function: { name: "tag", parameters } }] }).tools?.[0]?.functionDeclarations ?? [];
    expect(declaration).toEqual({ name: "tag", description: "", parametersJsonSchema: parameters });
  });

  it("reports meaning-changing translations as warnings", () => {
    const req = build({
      messages: [
        user([{ type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } }]),
        { role: "system", content: "Late instructions." },
        { role: "user", content: "hi", name: "alice" },
      ],
      tools: [weatherTool],
      parallel_tool_calls: false,
    });
    expect(req.warnings).toEqual([
      "image_url.detail has no per-image equivalent on Gemini and was ignored.",
      "messages[1]: a system message after the conversation started was moved into Gemini's systemInstruction.",
      "messages[].name has no Gemini equivalent and was ignored.",
      "parallel_tool_calls=false has no Gemini equivalent; the model may still return several tool calls.",
      "tools[].function.strict is best effort on Gemini: arguments are not guaranteed to match the schema.",
    ]);
  });

  it("builds the non-streaming URL from a base URL with a trailing slash", () => {
    expect(build({ messages: [user("hi")] }, "models/gemini-2.0-flash").url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent",
    );
  });
});

describe("google thought signatures", () => {
  it("round-trips a signature from a response tool call id into the next request", () => {
    const first = googleAdapter.parseResponse(fixtureJson("tool-call.json"), ctx);
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls[0]?.id).toMatch(/^call_[A-Za-z0-9]{24}_gts_[A-Za-z0-9_-]+$/);
    expect(calls[1]?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    const next = upstreamBody(
      {
        messages: [
          user("Weather in SF and Tokyo?"),
          { role: "assistant", content: null, tool_calls: calls },
          ...calls.map((c, i) => ({ role: "tool", tool_call_id: c.id, content: JSON.stringify({ celsius: 18 + 6 * i }) })),
        ],
        tools: [weatherTool],
      },
      "gemini-3-pro-preview",
    );
    expect(next.contents[1]?.parts.map((p) => p.thoughtSignature)).toEqual([sfSignature, undefined]);
  });

  it("decodes exactly what it encoded, padding included", () => {
    for (const signature of [sfSignature ?? "", "AA==", "ab+/", "AbC="]) {
      expect(signatureFromToolCallId(toolCallId("x", 0, 0, signature))).toBe(signature);
    }
    // A URL-safe signature comes back in the standard alphabet: the same bytes, which is what Gemini reads.
    const urlSafe = signatureFromToolCallId(toolCallId("x", 0, 0, "skip_thought_signature_validator"));
    expect(Buffer.from(urlSafe ?? "", "base64")).toEqual(Buffer.from("skip_thought_signature_validator", "base64url"));
    expect(signatureFromToolCallId("call_abc")).toBeUndefined();
    expect(signatureFromToolCallId("toolu_01_gts_AAAA")).toBeUndefined();
  });

  it("accepts Google's extra_content.google.thought_signature", () => {
    const body = upstreamBody({
      messages: [
        user("hi"),
        { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" }, extra_content: { google: { thought_signature: "AbC=" } } }] },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    });
    expect(body.contents[1]?.parts[0]?.thoughtSignature).toBe("AbC=");
  });

  it("stands in Google's skip signature for foreign tool calls on Gemini 3 only", () => {
    const messages = [
      user("hi"),
      { role: "assistant", content: "Let me check.", tool_calls: [{ id: "call_openai1", type: "function", function: { name: "f", arguments: "" } }] },
      { role: "tool", tool_call_id: "call_openai1", content: "[1,2]" },
    ];
    const gemini3 = upstreamBody({ messages }, "gemini-3-flash-preview").contents[1]?.parts;
    expect(gemini3).toEqual([{ text: "Let me check." }, { functionCall: { name: "f", args: {} }, thoughtSignature: SKIP_SIGNATURE }]);
    expect(upstreamBody({ messages }, "gemini-2.5-pro").contents[1]?.parts[1]).toEqual({ functionCall: { name: "f", args: {} } });
    expect(upstreamBody({ messages }).contents[2]?.parts[0]).toEqual({ functionResponse: { name: "f", response: { result: [1, 2] } } });
  });
});

describe("google schema conversion", () => {
  it("expresses plain schemas in Gemini's Schema, dropping only annotations", () => {
    expect(
      convertSchema({
        type: "object",
        title: "Person",
        properties: {
          name: { type: "string", format: "email", examples: ["a@b.c"] },
          age: { anyOf: [{ type: "integer", format: "int32" }, { type: "null" }] },
          when: { type: "string", format: "date-time", description: "ISO time" },
          kind: { const: "person" },
        },
        required: ["name"],
        additionalProperties: false,
      }),
    ).toEqual({
      kind: "openapi",
      schema: {
        type: "OBJECT",
        title: "Person",
        properties: {
          name: { type: "STRING", description: "(format: email)" },
          age: { type: "INTEGER", format: "int32", nullable: true },
          when: { type: "STRING", format: "date-time", description: "ISO time" },
          kind: { type: "STRING", enum: ["person"] },
        },
        required: ["name"],
      },
    });
  });

  it.each([
    ["a recursive $ref", { type: "object", properties: { child: { $ref: "#" } } }],
    ["a numeric enum", { type: "object", properties: { n: { type: "integer", enum: [1, 2] } } }],
    ["a free-form object", { type: "object", properties: { meta: { type: "object", additionalProperties: { type: "string" } } } }],
    ["a union of types", { type: "object", properties: { v: { type: ["string", "number"] } } }],
    ["an unknown keyword", { type: "object", properties: { v: { type: "number", multipleOf: 5 } } }],
  ])("keeps %s as JSON Schema", (_, schema) => {
    expect(convertSchema(schema)).toEqual({ kind: "json", schema });
  });
});

describe("google rejections", () => {
  const rejects = (body: Record<string, unknown>, code: string, param: string, model?: string) => {
    let error: unknown;
    try {
      build({ messages: [user("hi")], ...body }, model);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code, param, status: 400 });
  };

  it("logit_bias", () => rejects({ logit_bias: { "50256": -100 } }, "unsupported_parameter", "logit_bias"));
  it("audio modality", () => rejects({ modalities: ["text", "audio"] }, "unsupported_parameter", "modalities"));
  it("an unknown field", () => rejects({ service_tier: "flex" }, "unsupported_parameter", "service_tier"));
  it("legacy functions", () => rejects({ functions: [{ name: "f" }] }, "unsupported_parameter", "functions"));
  it("top_logprobs without logprobs", () => rejects({ top_logprobs: 2 }, "invalid_value", "top_logprobs"));
  it("tool_choice without tools", () => rejects({ tool_choice: "required" }, "invalid_value", "tool_choice"));
  it("tool_choice naming a missing tool", () =>
    rejects({ tools: [weatherTool], tool_choice: { type: "function", function: { name: "nope" } } }, "invalid_value", "tool_choice.function.name"));
  it("an audio content part", () =>
    rejects({ messages: [user([{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }])] }, "unsupported_parameter", "messages[0].content[0]"));
  it("an image in a system message", () =>
    rejects({ messages: [{ role: "system", content: [{ type: "image_url", image_url: { url: "https://x.y/a.png" } }] }, user("hi")] }, "unsupported_parameter", "messages[0].content[0]"));
  it("an image URL that is neither http(s) nor data", () =>
    rejects({ messages: [user([{ type: "image_url", image_url: { url: "ftp://x.y/a.png" } }])] }, "invalid_value", "messages[0].content[0].image_url.url"));
  it("a tool result for an unknown tool call", () =>
    rejects({ messages: [user("hi"), { role: "tool", tool_call_id: "call_x", content: "1" }] }, "invalid_value", "messages[1].tool_call_id"));
  it("tool call arguments that are not JSON", () =>
    rejects(
      { messages: [user("hi"), { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }] }] },
      "invalid_value",
      "messages[1].tool_calls[0].function.arguments",
    ));
  it("a legacy assistant function_call", () =>
    rejects({ messages: [user("hi"), { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } }] }, "unsupported_parameter", "messages[1].function_call"));
  it("system messages only", () => rejects({ messages: [{ role: "system", content: "x" }] }, "invalid_value", "messages"));
});

describe("google assistant replay", () => {
  it("replays refusals as text and leaves out empty assistant turns", () => {
    const body = upstreamBody({
      messages: [
        user("a"),
        { role: "assistant", content: null, refusal: "I can't help with that." },
        user("b"),
        { role: "assistant", content: [{ type: "refusal", refusal: "Still no." }], reasoning_content: "thinking…" },
        user("c"),
        { role: "assistant", content: "" },
        user("d"),
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "a" }] },
      { role: "model", parts: [{ text: "I can't help with that." }] },
      { role: "user", parts: [{ text: "b" }] },
      { role: "model", parts: [{ text: "Still no." }] },
      { role: "user", parts: [{ text: "c" }, { text: "d" }] },
    ]);
  });
});
