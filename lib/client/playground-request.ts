// The playground's request, built once and used both to call /v1 and to show "View code": what
// the page sends is exactly what the snippets send.

/** Which front door the playground calls: /v1/chat/completions, /v1/messages or /v1/responses. */
export type PlaygroundDialect = "chat" | "messages" | "responses";

export interface PlaygroundSettings {
  dialect: PlaygroundDialect;
  model: string;
  system: string;
  temperature: number | null;
  maxTokens: number | null;
  topP: number | null;
  rag: boolean;
  ragTopK: number;
  ragSourceIds: string[];
  memory: boolean;
  userId: string;
}

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

export const DEFAULT_SETTINGS: PlaygroundSettings = {
  dialect: "chat",
  model: "",
  system: "",
  temperature: null,
  maxTokens: null,
  topP: null,
  rag: false,
  ragTopK: 5,
  ragSourceIds: [],
  memory: false,
  userId: "",
};

/** The `vecstruct` request object of the settings (the same in every dialect). */
export function vecstructOf(s: PlaygroundSettings): Record<string, unknown> {
  const vecstruct: Record<string, unknown> = {};
  if (s.rag) {
    vecstruct.rag = true;
    vecstruct.rag_top_k = s.ragTopK;
    if (s.ragSourceIds.length) vecstruct.rag_source_ids = s.ragSourceIds;
  }
  if (s.memory) {
    vecstruct.use_memory = true;
    vecstruct.metadata = { user_id: s.userId };
  }
  return vecstruct;
}

export function buildChatRequest(s: PlaygroundSettings, turns: ChatTurn[]) {
  const messages = [...(s.system.trim() ? [{ role: "system" as const, content: s.system }] : []), ...turns];
  const vecstruct = vecstructOf(s);
  return {
    model: s.model,
    messages,
    ...(s.temperature !== null ? { temperature: s.temperature } : {}),
    ...(s.maxTokens !== null ? { max_tokens: s.maxTokens } : {}),
    ...(s.topP !== null ? { top_p: s.topP } : {}),
    stream: true,
    stream_options: { include_usage: true },
    // Always present (even empty): it asks for the trailing `event: vecstruct` with the audit id and cost.
    vecstruct,
  };
}

type Body = ReturnType<typeof buildChatRequest>;

/** A Python literal of a JSON value (True/False/None; strings as JSON spells them, which Python reads). */
export function py(value: unknown, pad = ""): string {
  const inner = pad + "    ";
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => inner + py(v, inner)).join(",\n")},\n${pad}]` : "[]";
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length ? `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${py(v, inner)}`).join(",\n")},\n${pad}}` : "{}";
}

/** Python keyword arguments, one a line (indented for a call's argument list), each with its comma. */
export const pyKwargs = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `    ${k}=${py(v, "    ")},\n`)
    .join("");

/** A curl POST of a JSON body; `headers` are the dialect's auth and version lines; -N for a stream. */
export function curlPost(url: string, headers: string[], body: unknown, stream = true): string {
  // The body is single-quoted for the shell: an apostrophe in a prompt becomes '\''.
  const json = JSON.stringify(body, null, 2).replace(/'/g, "'\\''");
  return `curl ${url} \\\n${[...headers, "Content-Type: application/json"].map((h) => `  -H "${h}" \\\n`).join("")}  ${stream ? "-N " : ""}-d '${json}'`;
}

export function curlSnippet(baseUrl: string, body: Body): string {
  return curlPost(`${baseUrl}/chat/completions`, ["Authorization: Bearer $VECSTRUCT_API_KEY"], body);
}

export function pythonSnippet(baseUrl: string, body: Body): string {
  const { model, messages, stream: _s, stream_options: _o, vecstruct, ...params } = body;
  const extra = pyKwargs(params);
  return `import os
from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key=os.environ["VECSTRUCT_API_KEY"])

stream = client.chat.completions.create(
    model=${JSON.stringify(model)},
    messages=${py(messages, "    ")},
${extra}    stream=True,
    stream_options={"include_usage": True},
    extra_body={"vecstruct": ${py(vecstruct, "    ")}},
)
for chunk in stream:
    # The trailing vecstruct event arrives as an item without choices.
    if chunk.choices:
        print(chunk.choices[0].delta.content or "", end="", flush=True)
`;
}

export function typescriptSnippet(baseUrl: string, body: Body): string {
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: process.env.VECSTRUCT_API_KEY });

const stream = await client.chat.completions.create(${JSON.stringify(body, null, 2)} as OpenAI.ChatCompletionCreateParamsStreaming);

for await (const chunk of stream) {
  // The trailing vecstruct event (audit_id, rag_sources, cost) has no choices.
  if (chunk.choices?.length) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
}
`;
}
