// The OpenAI Agents SDK (@openai/agents, Responses API, tracing off) running a one-tool agent through
// /v1/responses on an OpenAI model (native) and on Anthropic and Gemini models (translated), both as
// the SDK does it by default (the whole item list every turn) and with previous_response_id.
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from "@openai/agents";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { baseURL, dbQuery, newKey, until } from "./helpers";

let key: string;
let keyId: string;
beforeAll(async () => {
  setTracingDisabled(true);
  ({ key, keyId } = await newKey());
});

const getWeather = tool({ name: "get_weather", description: "Weather of a city", parameters: z.object({ city: z.string() }), execute: async ({ city }) => `sunny in ${city}` });

describe.each(["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash"])("an @openai/agents agent on %s", (model) => {
  it("calls its tool and answers with the tool's result, two audited /v1/responses calls", async () => {
    const provider = new OpenAIProvider({ apiKey: key, baseURL: `${baseURL}/v1`, useResponses: true });
    const agent = new Agent({ name: "Weather", instructions: `Answer with the tool (${model}).`, model, tools: [getWeather] });
    const result = await new Runner({ modelProvider: provider }).run(agent, "What is the weather in Paris?");
    // Gemini's mock quotes the functionResponse object the adapter sends ({"result": …}).
    expect(result.finalOutput).toMatch(/^Tool result: .*sunny in Paris/);
    await until(async () => (await dbQuery(`SELECT id FROM audit_logs WHERE "apiKeyId" = ? AND model = ?`, keyId, model)).length >= 2);
    const rows = await dbQuery(`SELECT endpoint, status FROM audit_logs WHERE "apiKeyId" = ? AND model = ?`, keyId, model);
    expect(rows).toEqual([
      { endpoint: "/v1/responses", status: "success" },
      { endpoint: "/v1/responses", status: "success" },
    ]);
  });

  it("continues with previous_response_id when the run is given one", async () => {
    const provider = new OpenAIProvider({ apiKey: key, baseURL: `${baseURL}/v1`, useResponses: true });
    const agent = new Agent({ name: "Weather", instructions: "Answer with the tool.", model, tools: [getWeather] });
    const runner = new Runner({ modelProvider: provider });
    const first = await runner.run(agent, "What is the weather in Lyon?");
    expect(first.finalOutput).toContain("sunny in Paris"); // the mock always asks for Paris
    const second = await runner.run(agent, "Thanks, and now?", { previousResponseId: first.lastResponseId });
    expect(second.finalOutput).toContain("sunny in Paris");
  });
});
