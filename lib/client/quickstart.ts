// The console's first-request snippets (Overview → Get started): one entry per front door, each
// with the languages a new user copies from.
import { curlPost } from "./playground-request";

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
const BEARER = ["Authorization: Bearer $VECSTRUCT_API_KEY"];

function chatCompletions(lang: Language, { baseUrl, model }: SnippetInput): string {
  const body = { model, messages: [{ role: "user", content: PROMPT }] };
  if (lang === "curl") return curlPost(`${baseUrl}/chat/completions`, BEARER, body, false);
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
  if (lang === "curl") return curlPost(`${baseUrl}/messages`, ["x-api-key: $VECSTRUCT_API_KEY", "anthropic-version: 2023-06-01"], body, false);
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

function openaiResponses(lang: Language, { baseUrl, model }: SnippetInput): string {
  const body = { model, input: PROMPT };
  if (lang === "curl") return curlPost(`${baseUrl}/responses`, BEARER, body, false);
  if (lang === "Python") {
    return `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["VECSTRUCT_API_KEY"])

response = client.responses.create(model=${JSON.stringify(model)}, input=${JSON.stringify(PROMPT)})
print(response.output_text)
`;
  }
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: process.env.VECSTRUCT_API_KEY });

const response = await client.responses.create({ model: ${JSON.stringify(model)}, input: ${JSON.stringify(PROMPT)} });
console.log(response.output_text);
`;
}

export const DIALECTS: readonly Dialect[] = [
  { id: "chat", label: "Chat Completions", route: "/v1/chat/completions", snippet: chatCompletions },
  { id: "messages", label: "Anthropic Messages", route: "/v1/messages", snippet: anthropicMessages },
  { id: "responses", label: "OpenAI Responses", route: "/v1/responses", snippet: openaiResponses },
];

/** A shell line that puts the key where every snippet reads it. */
export const exportKeyLine = (key: string) => `export VECSTRUCT_API_KEY=${key}`;
