// The playground's three front doors in one table: how each builds the request from the settings
// and turns, reads the answer, and shows it as code. The page, the settings and "View code" look a
// dialect up here instead of branching on it.
import { streamChat, type StreamHandlers } from "./chat-stream";
import { streamMessages } from "./messages-stream";
import { buildMessagesRequest, messagesCurlSnippet, messagesPythonSnippet, messagesTypescriptSnippet } from "./playground-messages";
import { buildChatRequest, curlSnippet, pythonSnippet, typescriptSnippet, type ChatTurn, type PlaygroundDialect, type PlaygroundSettings } from "./playground-request";
import { buildResponsesRequest, responsesCurlSnippet, responsesPythonSnippet, responsesTypescriptSnippet } from "./playground-responses";
import { streamResponses } from "./responses-stream";
import type { Language } from "./quickstart";

export interface DialectInfo {
  id: PlaygroundDialect;
  label: string;
  route: string;
  /** What the page header says it chats through. */
  heading: string;
  /** Whose SDKs the snippets use. */
  sdk: "OpenAI" | "Anthropic";
  build(s: PlaygroundSettings, turns: ChatTurn[]): unknown;
  stream(projectId: string, body: unknown, signal: AbortSignal, h: StreamHandlers): Promise<void>;
  snippet(lang: Language, baseUrl: string, s: PlaygroundSettings, turns: ChatTurn[]): string;
}

/** Ties a dialect's snippets to the body its builder returns. */
function dialect<B>(d: Omit<DialectInfo, "build" | "snippet"> & { build: (s: PlaygroundSettings, turns: ChatTurn[]) => B; snippets: Record<Language, (baseUrl: string, body: B) => string> }): DialectInfo {
  const { snippets, ...info } = d;
  return { ...info, snippet: (lang, baseUrl, s, turns) => snippets[lang](baseUrl, d.build(s, turns)) };
}

/** Every catalog chat model answers through each front door (translated where the upstream differs). */
export const PLAYGROUND_DIALECTS: readonly DialectInfo[] = [
  dialect({
    id: "chat",
    label: "Chat Completions",
    route: "/v1/chat/completions",
    heading: "/v1/chat/completions",
    sdk: "OpenAI",
    build: buildChatRequest,
    stream: streamChat,
    snippets: { curl: curlSnippet, Python: pythonSnippet, TypeScript: typescriptSnippet },
  }),
  dialect({
    id: "messages",
    label: "Anthropic Messages",
    route: "/v1/messages",
    heading: "/v1/messages (Anthropic Messages)",
    sdk: "Anthropic",
    build: buildMessagesRequest,
    stream: streamMessages,
    snippets: { curl: messagesCurlSnippet, Python: messagesPythonSnippet, TypeScript: messagesTypescriptSnippet },
  }),
  dialect({
    id: "responses",
    label: "OpenAI Responses",
    route: "/v1/responses",
    heading: "/v1/responses (OpenAI Responses)",
    sdk: "OpenAI",
    build: buildResponsesRequest,
    stream: streamResponses,
    snippets: { curl: responsesCurlSnippet, Python: responsesPythonSnippet, TypeScript: responsesTypescriptSnippet },
  }),
];

export const dialectOf = (id: PlaygroundDialect): DialectInfo => PLAYGROUND_DIALECTS.find((d) => d.id === id) ?? PLAYGROUND_DIALECTS[0]!;
