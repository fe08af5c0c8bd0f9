import { beforeAll, describe, expect, it } from "vitest";
import { auditRow, client, lastUpstreamRequest, MODELS, newKey } from "./helpers";

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe.each(MODELS)("%s through the official openai client", (model) => {
  it("answers non-streaming with usage, the asked model id and an audit id", async () => {
    const { data, response } = await client(key)
      .chat.completions.create({ model, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello there" }] })
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe(model);
    expect(data.choices[0]!.message.content).toBe("Echo: hello there");
    expect(data.choices[0]!.finish_reason).toBe("stop");
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    const auditId = response.headers.get("x-vecstruct-audit-id")!;
    expect(auditId).toMatch(/^aud_/);
    expect((data as any).vecstruct.audit_id).toBe(auditId);
    const row = await auditRow(auditId);
    expect(row).toMatchObject({ status: "success", httpStatus: 200, model, stream: 0, origin: "api" });
    expect(row.promptTokens).toBe(data.usage!.prompt_tokens);
    expect(row.completionTokens).toBe(data.usage!.completion_tokens);
  });

  it("streams the same text, with usage only when asked", async () => {
    const messages = [{ role: "user" as const, content: "stream me please" }];
    const plain = await client(key).chat.completions.create({ model, messages });
    const stream = await client(key).chat.completions.create({ model, messages, stream: true });
    let text = "";
    let sawUsage = false;
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe(model);
      if (chunk.usage) sawUsage = true;
      for (const c of chunk.choices) {
        text += c.delta.content ?? "";
        finish = c.finish_reason ?? finish;
      }
    }
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(finish).toBe("stop");
    expect(sawUsage).toBe(false);

    const withUsage = await client(key).chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
  });

  it("round-trips a tool call, streamed and not", async () => {
    const messages: any[] = [{ role: "user", content: "weather in Paris?" }];
    const first = await client(key).chat.completions.create({ model, messages, tools: [weatherTool] });
    const call = first.choices[0]!.message.tool_calls![0]! as any;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.type).toBe("function");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });

    const stream = await client(key).chat.completions.create({ model, messages, tools: [weatherTool], stream: true });
    const calls: Record<number, { id?: string; name?: string; args: string }> = {};
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        const c = (calls[tc.index] ??= { args: "" });
        c.id ??= tc.id;
        c.name ??= tc.function?.name;
        c.args += tc.function?.arguments ?? "";
      }
    }
    expect(Object.keys(calls)).toEqual(["0"]);
    expect(calls[0]!.name).toBe("get_weather");
    expect(JSON.parse(calls[0]!.args)).toEqual({ city: "Paris" });

    messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' });
    const second = await client(key).chat.completions.create({ model, messages, tools: [weatherTool] });
    expect(second.choices[0]!.message.content).toContain("Tool result:");
    expect(second.choices[0]!.message.content).toContain("21");
  });

  it("returns JSON for response_format json_schema", async () => {
    const res = await client(key).chat.completions.create({
      model,
      messages: [{ role: "user", content: "give json" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] } },
      },
    });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ answer: expect.stringContaining("give json") });
    expect(res.choices[0]!.finish_reason).toBe("stop");
  });

  it("passes images through (data URL)", async () => {
    const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const res = await client(key).chat.completions.create({
      model,
      messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: png } }] }],
    });
    expect(res.choices[0]!.message.content).toBe("Echo: what is this?");
    const sent = JSON.stringify((await lastUpstreamRequest("what is this?")).body);
    expect(sent).toContain("iVBORw0KGgo");
  });
});

describe("request translation details", () => {
  it("honours n and stop on OpenAI", async () => {
    const res = await client(key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "one two three" }], n: 2, stop: ["three"] });
    expect(res.choices).toHaveLength(2);
    expect(res.choices[1]!.message.content).toBe("Echo: one two ");
    const sent = (await lastUpstreamRequest('"stop":["three"]')).body;
    expect(sent).toMatchObject({ model: "gpt-4o", n: 2, stop: ["three"] });
    expect(sent.vecstruct).toBeUndefined();
  });

  it("sends the upstream credentials of the provider, never the client's key", async () => {
    await client(key).chat.completions.create({ model: "anthropic/claude-3-5-sonnet", messages: [{ role: "user", content: "credentials check" }] });
    const req = await lastUpstreamRequest("credentials check");
    expect(req.headers["x-api-key"]).toBe("sk-upstream-anthropic");
    expect(JSON.stringify(req)).not.toContain(key);
  });

  it("rejects what a provider cannot honour, naming the parameter", async () => {
    const err = await client(key)
      .chat.completions.create({ model: "anthropic/claude-3-5-sonnet", messages: [{ role: "user", content: "hi" }], n: 3 })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ param: "n", type: "invalid_request_error" });
  });
});
