// The playground's request in the OpenAI Responses dialect (POST /v1/responses) and its "View code"
// snippets for the `openai` SDKs' `client.responses`: the same settings and turns as the chat
// request (playground-request.ts), shaped as OpenAI defines them.
import { curlPost, py, pyKwargs, vecstructOf, type ChatTurn, type PlaygroundSettings } from "./playground-request";

export function buildResponsesRequest(s: PlaygroundSettings, turns: ChatTurn[]) {
  return {
    model: s.model,
    ...(s.system.trim() ? { instructions: s.system } : {}),
    // The whole conversation as input items every turn (OpenAI's "easy" message form), not a
    // previous_response_id: the playground's history is what the page shows, edits and clears.
    input: turns.map((t) => ({ role: t.role, content: t.content })),
    ...(s.temperature !== null ? { temperature: s.temperature } : {}),
    ...(s.maxTokens !== null ? { max_output_tokens: s.maxTokens } : {}),
    ...(s.topP !== null ? { top_p: s.topP } : {}),
    stream: true,
    // Always present (even empty): response.completed then carries response.vecstruct (audit id, cost).
    vecstruct: vecstructOf(s),
  };
}

type Body = ReturnType<typeof buildResponsesRequest>;

/** `baseUrl` is `<origin>/v1`: the OpenAI SDKs append `/responses` to it. */
export function responsesCurlSnippet(baseUrl: string, body: Body): string {
  return curlPost(`${baseUrl}/responses`, ["Authorization: Bearer $VECSTRUCT_API_KEY"], body);
}

export function responsesPythonSnippet(baseUrl: string, body: Body): string {
  const { model, input, stream: _s, vecstruct, ...params } = body;
  return `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["VECSTRUCT_API_KEY"])

stream = client.responses.create(
    model=${JSON.stringify(model)},
    input=${py(input, "    ")},
${pyKwargs(params)}    stream=True,
    extra_body={"vecstruct": ${py(vecstruct, "    ")}},
)
for event in stream:
    if event.type == "response.output_text.delta":
        print(event.delta, end="", flush=True)
    elif event.type == "response.completed":
        print()
        print(event.response.usage)
        # vecstruct's extension (audit_id, rag_sources, cost) rides on the completed response.
        print(getattr(event.response, "vecstruct", None))
`;
}

export function responsesTypescriptSnippet(baseUrl: string, body: Body): string {
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: process.env.VECSTRUCT_API_KEY });

// \`vecstruct\` is vecstruct's extension (RAG, memory, metadata): not in OpenAI's types, sent as is.
const stream = await client.responses.create(${JSON.stringify(body, null, 2)} as OpenAI.Responses.ResponseCreateParamsStreaming);

for await (const event of stream) {
  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);
  // The completed response carries usage, and vecstruct's audit_id, rag_sources and cost.
  else if (event.type === "response.completed") console.log("\\n", event.response.usage, (event.response as { vecstruct?: unknown }).vecstruct);
}
`;
}
