import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { beforeAll, describe, expect, it } from "vitest";
import { baseURL, MODELS, newKey } from "./helpers";

let provider: ReturnType<typeof createOpenAICompatible>;
beforeAll(async () => {
  const { key } = await newKey();
  provider = createOpenAICompatible({ name: "vecstruct", baseURL: `${baseURL}/v1`, apiKey: key, includeUsage: true });
});

describe.each(MODELS)("%s through the AI SDK (@ai-sdk/openai-compatible)", (model) => {
  it("generates and streams the same text with usage", async () => {
    const generated = await generateText({ model: provider(model), prompt: "ai sdk says hi", maxRetries: 0 });
    expect(generated.text).toBe("Echo: ai sdk says hi");
    expect(generated.usage.inputTokens).toBeGreaterThan(0);

    const streamed = streamText({ model: provider(model), prompt: "ai sdk says hi", maxRetries: 0 });
    let text = "";
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(generated.text);
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  it("calls tools", async () => {
    const result = await generateText({
      model: provider(model),
      prompt: "weather in Paris?",
      maxRetries: 0,
      tools: {
        get_weather: tool({
          description: "weather",
          inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
        }),
      },
    });
    expect(result.toolCalls[0]).toMatchObject({ toolName: "get_weather", input: { city: "Paris" } });
  });
});
