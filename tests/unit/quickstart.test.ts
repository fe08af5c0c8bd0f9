// The Overview's first-request snippets: each must be a request the gateway accepts as written.
import { describe, expect, it } from "vitest";
import { DIALECTS, exportKeyLine, LANGUAGES } from "@/lib/client/quickstart";

const input = { baseUrl: "http://127.0.0.1:3000/v1", model: "openai/gpt-4o-mini" };

describe("get-started snippets", () => {
  it("lists only front doors that exist today (Chat Completions, Anthropic Messages)", () => {
    expect(DIALECTS.map((d) => d.route)).toEqual(["/v1/chat/completions", "/v1/messages", "/v1/responses"]);
  });

  it("curl: the URL is the dialect's route and the body is valid JSON with the model", () => {
    const code = DIALECTS[0]!.snippet("curl", input);
    expect(/curl (\S+)/.exec(code)![1]).toBe("http://127.0.0.1:3000/v1/chat/completions");
    expect(code).toContain('-H "Authorization: Bearer $VECSTRUCT_API_KEY"');
    const body = JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!);
    expect(body).toEqual({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello in one sentence." }] });
  });

  it("a single quote in a model id cannot break out of the shell string", () => {
    const code = DIALECTS[0]!.snippet("curl", { ...input, model: "x/it's" });
    expect(code).toContain(`"model": "x/it'\\''s"`);
  });

  it("Python and TypeScript use the OpenAI SDK against this server with the key from the environment", () => {
    const py = DIALECTS[0]!.snippet("Python", input);
    expect(py).toContain('client = OpenAI(base_url="http://127.0.0.1:3000/v1", api_key=os.environ["VECSTRUCT_API_KEY"])');
    expect(py).toContain('model="openai/gpt-4o-mini"');
    const ts = DIALECTS[0]!.snippet("TypeScript", input);
    expect(ts).toContain('new OpenAI({ baseURL: "http://127.0.0.1:3000/v1", apiKey: process.env.VECSTRUCT_API_KEY })');
    expect(ts).toContain('model: "openai/gpt-4o-mini"');
    expect(LANGUAGES).toEqual(["curl", "Python", "TypeScript"]);
  });

  it("Anthropic Messages: curl sends the key and version headers and a body with max_tokens", () => {
    const messages = DIALECTS.find((d) => d.id === "messages")!;
    const code = messages.snippet("curl", input);
    expect(/curl (\S+)/.exec(code)![1]).toBe("http://127.0.0.1:3000/v1/messages");
    expect(code).toContain('-H "x-api-key: $VECSTRUCT_API_KEY"');
    expect(code).toContain('-H "anthropic-version: 2023-06-01"');
    const body = JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!);
    expect(body).toEqual({ model: "openai/gpt-4o-mini", max_tokens: 1024, messages: [{ role: "user", content: "Say hello in one sentence." }] });
  });

  it("Anthropic Messages: the SDKs get the origin as base URL (they append /v1/messages)", () => {
    const messages = DIALECTS.find((d) => d.id === "messages")!;
    const py = messages.snippet("Python", input);
    expect(py).toContain('client = Anthropic(base_url="http://127.0.0.1:3000", api_key=os.environ["VECSTRUCT_API_KEY"])');
    expect(py).toContain('model="openai/gpt-4o-mini"');
    expect(py).toContain("max_tokens=1024");
    const ts = messages.snippet("TypeScript", input);
    expect(ts).toContain('import Anthropic from "@anthropic-ai/sdk"');
    expect(ts).toContain('new Anthropic({ baseURL: "http://127.0.0.1:3000", apiKey: process.env.VECSTRUCT_API_KEY })');
    expect(ts).toContain('model: "openai/gpt-4o-mini"');
  });

  it("OpenAI Responses: curl to /v1/responses with a bearer, the SDKs' client.responses.create", () => {
    const responses = DIALECTS.find((d) => d.id === "responses")!;
    const code = responses.snippet("curl", input);
    expect(/curl (\S+)/.exec(code)![1]).toBe("http://127.0.0.1:3000/v1/responses");
    expect(code).toContain('-H "Authorization: Bearer $VECSTRUCT_API_KEY"');
    expect(JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!)).toEqual({ model: "openai/gpt-4o-mini", input: "Say hello in one sentence." });
    expect(responses.snippet("Python", input)).toContain('client.responses.create(model="openai/gpt-4o-mini", input="Say hello in one sentence.")');
    expect(responses.snippet("TypeScript", input)).toContain("console.log(response.output_text);");
  });

  it("puts a just-created key where the snippets read it", () => {
    expect(exportKeyLine("sk-vs-abc")).toBe("export VECSTRUCT_API_KEY=sk-vs-abc");
  });
});
