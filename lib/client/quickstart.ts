// The console's first-request snippets (Overview → Get started): one entry per front door, each
// with the languages a new user copies from. Only routes that exist are listed: OpenAI Responses
// (`/v1/responses`) adds an entry here when it ships.

export const LANGUAGES = ["curl", "Python", "TypeScript"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface SnippetInput {
  /** `<origin>/v1` of this console. */
  baseUrl: string;
  /** A catalog id the organization can use, e.g. `openai/gpt-4o-mini`. */
  model: string;
}

export interface Dialect {
  id: string;
  label: string;
  route: string;
  snippet: (lang: Language, input: SnippetInput) => string;
}

const PROMPT = "Say hello in one sentence.";

function chatCompletions(lang: Language, { baseUrl, model }: SnippetInput): string {
  const body = { model, messages: [{ role: "user", content: PROMPT }] };
  if (lang === "curl") {
    const json = JSON.stringify(body, null, 2).replace(/'/g, "'\\''");
    return `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $VECSTRUCT_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '${json}'`;
  }
  if (lang === "Python") {
    return `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["VECSTRUCT_API_KEY"])

reply = client.chat.completions.create(
    model=${JSON.stringify(model)},
    messages=[{"role": "user", "content": ${JSON.stringify(PROMPT)}}],
)
print(reply.choices[0].message.content)
`;
  }
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: process.env.VECSTRUCT_API_KEY });

const reply = await client.chat.completions.create({
  model: ${JSON.stringify(model)},
  messages: [{ role: "user", content: ${JSON.stringify(PROMPT)} }],
});
console.log(reply.choices[0]?.message.content);
`;
}

/** The Anthropic SDKs append `/v1/messages` themselves: their base URL is the origin. */
const originOf = (baseUrl: string) => baseUrl.replace(/\/v1\/?$/, "");

function anthropicMessages(lang: Language, { baseUrl, model }: SnippetInput): string {
  // max_tokens is required by the Messages API.
  const body = { model, max_tokens: 1024, messages: [{ role: "user", content: PROMPT }] };
  if (lang === "curl") {
    const json = JSON.stringify(body, null, 2).replace(/'/g, "'\\''");
    return `curl ${baseUrl}/messages \\
  -H "x-api-key: $VECSTRUCT_API_KEY" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "Content-Type: application/json" \\
  -d '${json}'`;
  }
  if (lang === "Python") {
    return `import os
from anthropic import Anthropic

client = Anthropic(base_url="${originOf(baseUrl)}", api_key=os.environ["VECSTRUCT_API_KEY"])

message = client.messages.create(
    model=${JSON.stringify(model)},
    max_tokens=1024,
    messages=[{"role": "user", "content": ${JSON.stringify(PROMPT)}}],
)
print(message.content[0].text)
`;
  }
  return `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${originOf(baseUrl)}", apiKey: process.env.VECSTRUCT_API_KEY });

const message = await client.messages.create({
  model: ${JSON.stringify(model)},
  max_tokens: 1024,
  messages: [{ role: "user", content: ${JSON.stringify(PROMPT)} }],
});
console.log(message.content[0]?.type === "text" ? message.content[0].text : message.content);
`;
}

export const DIALECTS: readonly Dialect[] = [
  { id: "chat", label: "Chat Completions", route: "/v1/chat/completions", snippet: chatCompletions },
  { id: "messages", label: "Anthropic Messages", route: "/v1/messages", snippet: anthropicMessages },
];

/** A shell line that puts the key where every snippet reads it. */
export const exportKeyLine = (key: string) => `export VECSTRUCT_API_KEY=${key}`;
