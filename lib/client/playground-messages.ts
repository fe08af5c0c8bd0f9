// The playground's request in the Anthropic Messages dialect (POST /v1/messages) and its "View code"
// snippets for the Anthropic SDKs: the same settings and turns as the chat request
// (playground-request.ts), shaped as Anthropic defines them.
import { curlPost, py, pyKwargs, vecstructOf, type ChatTurn, type PlaygroundSettings } from "./playground-request";

/** The Messages API requires max_tokens; the playground sends this when the field is left empty. */
export const MESSAGES_DEFAULT_MAX_TOKENS = 1024;

export function buildMessagesRequest(s: PlaygroundSettings, turns: ChatTurn[]) {
  return {
    model: s.model,
    max_tokens: s.maxTokens ?? MESSAGES_DEFAULT_MAX_TOKENS,
    ...(s.system.trim() ? { system: s.system } : {}),
    messages: turns,
    ...(s.temperature !== null ? { temperature: s.temperature } : {}),
    ...(s.topP !== null ? { top_p: s.topP } : {}),
    stream: true,
    // Always present (even empty): it asks for the `event: vecstruct` before message_stop.
    vecstruct: vecstructOf(s),
  };
}

type Body = ReturnType<typeof buildMessagesRequest>;

/** The Anthropic SDKs append `/v1/messages` themselves: their base URL is the origin. */
const originOf = (baseUrl: string) => baseUrl.replace(/\/v1\/?$/, "");

/** `baseUrl` is `<origin>/v1`, as for the chat snippets. */
export function messagesCurlSnippet(baseUrl: string, body: Body): string {
  return curlPost(`${baseUrl}/messages`, ["x-api-key: $VECSTRUCT_API_KEY", "anthropic-version: 2023-06-01"], body);
}

export function messagesPythonSnippet(baseUrl: string, body: Body): string {
  const { model, messages, stream: _s, vecstruct, ...params } = body;
  const extra = pyKwargs(params);
  return `import os
from anthropic import Anthropic

client = Anthropic(base_url="${originOf(baseUrl)}", api_key=os.environ["VECSTRUCT_API_KEY"])

with client.messages.stream(
    model=${JSON.stringify(model)},
    messages=${py(messages, "    ")},
${extra}    extra_body={"vecstruct": ${py(vecstruct, "    ")}},
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
    print()
    print(stream.get_final_message().usage)
`;
}

export function messagesTypescriptSnippet(baseUrl: string, body: Body): string {
  const { stream: _s, ...params } = body;
  return `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${originOf(baseUrl)}", apiKey: process.env.VECSTRUCT_API_KEY });

// \`vecstruct\` is vecstruct's extension (RAG, memory, metadata): not in Anthropic's types, sent as is.
const stream = client.messages.stream(${JSON.stringify(params, null, 2)} as Anthropic.MessageStreamParams);

stream.on("text", (text) => process.stdout.write(text));
const message = await stream.finalMessage();
console.log("\\n", message.usage);
`;
}
