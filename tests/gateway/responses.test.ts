// POST /v1/responses and its stored state, driven by the official `openai` SDK (client.responses)
// and raw fetch where the wire itself is the point, against the mock upstreams of every protocol:
// OpenAI's own /v1/responses (native), an OpenAI-compatible server, Anthropic and Gemini (translated).
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { assertResponsesGrammar } from "../helpers/responses-grammar";
import type { ResponsesStreamEvent } from "@/lib/wire/responses";
import { admin, auditRow, baseURL, lastUpstreamRequest, newKey, orgWithKey } from "./helpers";

const MODELS = [
  ["openai/gpt-4o", "/v1/responses"],
  ["anthropic/claude-3-5-sonnet", "/v1/messages"],
  ["google/gemini-2.0-flash", "/v1beta/models/gemini-2.0-flash:generateContent"],
  ["local/llama-3", "/v1/chat/completions"],
] as const;
const WEATHER = { type: "function" as const, name: "get_weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true };

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
});

const sdk = (apiKey = key) => new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0, timeout: 20_000 });

/** Raw POST /v1/responses; the parsed SSE events when it streams. */
async function raw(body: unknown, apiKey = key) {
  const res = await fetch(`${baseURL}/v1/responses`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // a stream
  }
  const events = text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      let event = "";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      return { event, data: data ? JSON.parse(data) : null };
    });
  return { status: res.status, headers: res.headers, json, events };
}

describe.each(MODELS)("/v1/responses on %s", (model, upstreamPath) => {
  const native = upstreamPath === "/v1/responses";
  it("responses.create: a Response object, usage, vecstruct, one audit row, stored and retrievable", async () => {
    const r = (await sdk().responses.create({ model, input: `hello ${model}`, instructions: "Be brief." })) as any;
    expect(r.object).toBe("response");
    expect(r.id).toMatch(/^resp_/);
    expect(r.model).toBe(model);
    expect(r.status).toBe("completed");
    expect(r.output_text).toBe(`Echo: hello ${model}`);
    expect(r.usage.input_tokens).toBeGreaterThan(0);
    expect(r.usage.output_tokens).toBeGreaterThan(0);
    expect(r.usage.total_tokens).toBe(r.usage.input_tokens + r.usage.output_tokens);
    const row = await auditRow(r.vecstruct.audit_id);
    expect(row.endpoint).toBe("/v1/responses");
    expect(row.status).toBe("success");
    expect(row.promptTokens).toBe(r.usage.input_tokens);
    expect(row.completionTokens).toBe(r.usage.output_tokens);
    expect(row.responseText).toBe(`Echo: hello ${model}`);
    const sent = await lastUpstreamRequest(`hello ${model}`);
    expect(sent.path.split("?")[0]).toBe(upstreamPath);

    const again = (await sdk().responses.retrieve(r.id)) as any;
    expect(again.id).toBe(r.id);
    expect(again.output).toEqual(r.output);
    const items = await sdk().responses.inputItems.list(r.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: "message", role: "user", content: [{ type: "input_text", text: `hello ${model}` }] });
    const deleted = await sdk().responses.delete(r.id);
    expect(deleted).toEqual({ id: r.id, object: "response", deleted: true });
    await expect(sdk().responses.retrieve(r.id)).rejects.toMatchObject({ status: 404 });
  });

  it("responses.stream: every event in OpenAI's order, sequence_number, usage on response.completed", async () => {
    const stream = sdk().responses.stream({ model, input: `stream ${model}` });
    const seen: ResponsesStreamEvent[] = [];
    for await (const e of stream) seen.push(e as unknown as ResponsesStreamEvent);
    const final = (await stream.finalResponse()) as any;
    const checked = assertResponsesGrammar(seen);
    expect(checked.id).toBe(final.id);
    expect(final.output_text).toBe(`Echo: stream ${model}`);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(seen.map((e) => e.type)).toContain("response.output_text.delta");
    // As streamed (the SDK's finalResponse adds its own `parsed` fields).
    const stored = (await sdk().responses.retrieve(final.id)) as any;
    expect(stored.output).toEqual(checked.output);
  });

  it("a function-tool round trip with previous_response_id", async () => {
    const first = (await sdk().responses.create({ model, input: "Weather in Paris?", tools: [WEATHER] })) as any;
    const call = first.output.find((i: any) => i.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", status: "completed" });
    expect(JSON.parse(call.arguments)).toEqual({ city: "Paris" });
    const second = (await sdk().responses.create({ model, previous_response_id: first.id, input: [{ type: "function_call_output", call_id: call.call_id, output: "sunny, 21C" }], tools: [WEATHER] })) as any;
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text).toContain("sunny, 21C");
    // The upstream got the whole conversation: the question, the call and its output.
    const sent = await lastUpstreamRequest("sunny, 21C");
    expect(JSON.stringify(sent.body)).toContain("Weather in Paris?");
    const items = await sdk().responses.inputItems.list(second.id, { order: "asc" });
    expect(items.data.map((i: any) => i.type)).toEqual(["message", "function_call", "function_call_output"]);
  });

  it("the same round trip with the full item list and store: false (how Codex talks)", async () => {
    const first = (await sdk().responses.create({ model, input: "Weather in Paris, stateless?", tools: [WEATHER], store: false })) as any;
    const call = first.output.find((i: any) => i.type === "function_call");
    await expect(sdk().responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
    const second = (await sdk().responses.create({
      model,
      store: false,
      tools: [WEATHER],
      input: [{ role: "user", content: "Weather in Paris, stateless?" }, ...first.output, { type: "function_call_output", call_id: call.call_id, output: "rainy, 12C" }],
    })) as any;
    expect(second.output_text).toContain("rainy, 12C");
  });

  it("text.format json_schema reaches the upstream as structured output", async () => {
    const r = (await sdk().responses.create({
      model,
      input: `json ${model}`,
      text: { format: { type: "json_schema", name: "answer", schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false }, strict: true } },
    })) as any;
    expect(JSON.parse(r.output_text)).toHaveProperty("answer");
  });

  it("a hosted tool: a 400 naming tools, unless the upstream serves it (OpenAI's own Responses API)", async () => {
    const res = await raw({ model, input: `search ${model}`, tools: [{ type: "web_search" }] });
    if (!native) {
      expect(res.status).toBe(400);
      expect(res.json.error.param).toBe("tools");
      return;
    }
    expect(res.status).toBe(200);
    expect((await lastUpstreamRequest(`search ${model}`)).body.tools).toEqual([{ type: "web_search" }]);
  });
});

describe("/v1/responses on an OpenAI model goes upstream natively", () => {
  it("only model is rewritten: unknown fields, include and reasoning items pass; the answer keeps the upstream's ids", async () => {
    const res = await raw({ model: "openai/gpt-4o", input: "native lossless", include: ["reasoning.encrypted_content"], some_future_field: { x: 1 }, vecstruct: {} });
    expect(res.status).toBe(200);
    const sent = await lastUpstreamRequest("native lossless");
    expect(sent.path).toBe("/v1/responses");
    expect(sent.headers.authorization).toBe("Bearer sk-upstream-openai");
    expect(sent.body).toEqual({ model: "gpt-4o", input: "native lossless", include: ["reasoning.encrypted_content"], some_future_field: { x: 1 } });
    expect(res.json.model).toBe("openai/gpt-4o");
    expect(res.json.vecstruct.audit_id).toBe(res.headers.get("x-vecstruct-audit-id"));
  });

  it("previous_response_id is expanded by the gateway, never forwarded", async () => {
    const first = (await sdk().responses.create({ model: "openai/gpt-4o", input: "remember native" })) as any;
    const second = (await sdk().responses.create({ model: "openai/gpt-4o", input: "and again", previous_response_id: first.id })) as any;
    expect(second.previous_response_id).toBe(first.id);
    const sent = await lastUpstreamRequest("and again");
    expect(sent.body.previous_response_id).toBeUndefined();
    expect(JSON.stringify(sent.body.input)).toContain("remember native");
  });

  it("a conversation started on Claude continues on GPT-4o and back (state is the gateway's)", async () => {
    const a = (await sdk().responses.create({ model: "anthropic/claude-3-5-sonnet", input: "cross-provider one" })) as any;
    const b = (await sdk().responses.create({ model: "openai/gpt-4o", input: "cross-provider two", previous_response_id: a.id })) as any;
    const c = (await sdk().responses.create({ model: "google/gemini-2.0-flash", input: "cross-provider three", previous_response_id: b.id })) as any;
    expect(c.output_text).toBe("Echo: cross-provider three");
    const sent = await lastUpstreamRequest("cross-provider three");
    for (const t of ["cross-provider one", "Echo: cross-provider one", "cross-provider two", "Echo: cross-provider two"]) expect(JSON.stringify(sent.body)).toContain(t);
    const items = await sdk().responses.inputItems.list(c.id);
    expect(items.data).toHaveLength(5); // newest first: three, Echo two, two, Echo one, one
    expect(items.data[0]).toMatchObject({ type: "message", role: "user", content: [{ type: "input_text", text: "cross-provider three" }] });
  });
});

describe("stored conversations keep what each provider needs back", () => {
  it("Claude's signed thinking survives store → previous_response_id, hidden unless included", async () => {
    const first = (await sdk().responses.create({ model: "anthropic/claude-sonnet-4", input: "think first", reasoning: { effort: "low" } })) as any;
    const reasoning = first.output.find((i: any) => i.type === "reasoning");
    expect(reasoning.summary).toEqual([{ type: "summary_text", text: "Let me think about this." }]);
    expect(reasoning.encrypted_content).toBeUndefined(); // not included by the client
    await sdk().responses.create({ model: "anthropic/claude-sonnet-4", input: "then answer", reasoning: { effort: "low" }, previous_response_id: first.id });
    const sent = await lastUpstreamRequest("then answer");
    const assistant = sent.body.messages.find((m: any) => m.role === "assistant");
    expect(assistant.content[0]).toEqual({ type: "thinking", thinking: "Let me think about this.", signature: "sig-mock" });
  });

  it("Gemini's thought signature on a call goes back through the stored call id", async () => {
    const first = (await sdk().responses.create({ model: "google/gemini-2.5-flash", input: "Weather with a signature?", tools: [WEATHER] })) as any;
    const call = first.output.find((i: any) => i.type === "function_call");
    await sdk().responses.create({ model: "google/gemini-2.5-flash", previous_response_id: first.id, input: [{ type: "function_call_output", call_id: call.call_id, output: "signed result" }], tools: [WEATHER] });
    const sent = await lastUpstreamRequest("signed result");
    const modelTurn = sent.body.contents.find((c: any) => c.role === "model");
    expect(modelTurn.parts.find((p: any) => p.functionCall)).toMatchObject({ functionCall: { name: "get_weather" }, thoughtSignature: "c2lnLW1vY2s=" });
  });
});

describe("/v1/responses routing, allow-lists and errors as on chat", () => {
  it("a stream falls back across protocols before its first output (down OpenAI-compatible → native OpenAI → answered)", async () => {
    const res = await raw({ model: "local/down-model", models: ["openai/gpt-4o"], input: "responses fallback", stream: true, vecstruct: {} });
    expect(res.status).toBe(200);
    const events = res.events.map((e) => e.data as ResponsesStreamEvent);
    const final = assertResponsesGrammar(events) as any;
    expect(final.model).toBe("openai/gpt-4o");
    expect(final.vecstruct.audit_id).toBe(res.headers.get("x-vecstruct-audit-id"));
    const attempts = JSON.parse((await auditRow(final.vecstruct.audit_id)).attempts) as { model: string; status: number }[];
    expect(attempts.map((a) => `${a.model}:${a.status}`).at(-1)).toBe("openai/gpt-4o:200");
    expect(attempts[0]!.model).toBe("local/down-model");
  });

  it("a model outside the key's allow-list is OpenAI's 403", async () => {
    const limited = await newKey({ models: ["openai/gpt-4o-mini"] });
    const res = await raw({ model: "anthropic/claude-3-5-sonnet", input: "not allowed" }, limited.key);
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ type: "permission_error", code: "model_not_allowed" });
  });

  it("bad input is a 400 naming the field, never a 500", async () => {
    for (const [body, param] of [
      [{ model: "anthropic/claude-3-5-sonnet", input: 42 }, "input"],
      [{ model: "anthropic/claude-3-5-sonnet", input: [{ type: "function_call_output", output: "x" }] }, "input"],
      [{ model: "google/gemini-2.0-flash", input: [{ type: "function_call_output", call_id: "call_nowhere", output: "x" }] }, "input[0].call_id"],
      [{ model: "google/gemini-2.0-flash", input: "x", temperature: 9 }, "temperature"],
      [{ model: "local/llama-3", input: "x", frobnicate: true }, "frobnicate"],
      [{ model: "anthropic/claude-3-5-sonnet", input: "x", tools: [{ type: "custom", name: "apply_patch" }] }, "tools"],
    ] as const) {
      const res = await raw(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.json.error.param)).toContain(param);
    }
  });

  it("a stream that fails after its first output ends with one error event numbered after the last", async () => {
    const res = await raw({ model: "local/llama-3", input: "cut me [[fault:cut]]", stream: true });
    expect(res.status).toBe(200);
    const last = res.events.at(-1)!.data as any;
    const before = res.events.at(-2)!.data as any;
    expect(last.type).toBe("error");
    expect(last.sequence_number).toBe(before.sequence_number + 1);
    expect(res.events.some((e) => (e.data as any)?.type === "response.completed")).toBe(false);
  });
});

describe("/v1/responses state across tenants", () => {
  it("an unknown previous_response_id is OpenAI's 400 previous_response_not_found", async () => {
    const res = await raw({ model: "local/llama-3", input: "hi", previous_response_id: "resp_doesnotexist" });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "previous_response_not_found", param: "previous_response_id", type: "invalid_request_error" });
  });

  it("another organization's response: 404 on every route, previous_response_id answers like an unknown id", async () => {
    const mine = (await sdk().responses.create({ model: "local/llama-3", input: "private conversation" })) as any;
    const other = await orgWithKey("responses-intruder");
    const intruder = sdk(other.key);
    await expect(intruder.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(intruder.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(intruder.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 });
    const res = await raw({ model: "local/llama-3", input: "continue it", previous_response_id: mine.id }, other.key);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("previous_response_not_found");
    expect(JSON.stringify(res.json)).not.toContain("private conversation");
    // Still there for its owner.
    expect(((await sdk().responses.retrieve(mine.id)) as any).id).toBe(mine.id);
  });

  it("another project of the same organization: 404, and 400 as previous_response_id", async () => {
    const mine = (await sdk().responses.create({ model: "local/llama-3", input: "project-scoped" })) as any;
    const sibling = await newKey(); // another project of the operator's organization
    await expect(sdk(sibling.key).responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    const res = await raw({ model: "local/llama-3", input: "x", previous_response_id: mine.id }, sibling.key);
    expect(res.json.error.code).toBe("previous_response_not_found");
  });

  it("a metadata-only project stores nothing and says so", async () => {
    const project = await admin("/api/projects", { name: "responses-metadata-only", keep_metadata_only: true });
    const k = (await admin("/api/keys", { name: "m", project_id: project.id })).key as string;
    const res = await raw({ model: "local/llama-3", input: "do not keep me" }, k);
    expect(res.status).toBe(200);
    expect(res.json.vecstruct.warnings.join(" ")).toMatch(/metadata only/);
    await expect(sdk(k).responses.retrieve(res.json.id)).rejects.toMatchObject({ status: 404 });
  });
});
