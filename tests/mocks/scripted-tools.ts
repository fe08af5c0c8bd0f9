// Scripted tool round trips for agents that bring their own tools (Claude Code: Read, Bash, …; Codex:
// exec_command), in every wire format (Responses: responsesTurn, rendered by tests/mocks/responses.ts). The mock's default "call the first offered tool with {city: Paris}" is
// wrong for such an agent, so a directive in a user message names the tool and its input:
//   [[use-tool:Read:{"file_path":"/abs/path"}]]
// Turn 1 (no tool result in the conversation yet): a call of that tool with exactly that input.
// Turn 2 (a tool result is there): the text "Tool said: <the result>".
// The directive is looked up in every user message (agents add reminders after the prompt and put
// tool results in later user turns), so it steers the whole conversation.
import type http from "node:http";

const DIRECTIVE = /\[\[use-tool:([A-Za-z0-9_-]+):(\{.*?\})\]\]/s;

export type Turn = { kind: "tool"; name: string; input: Record<string, unknown> } | { kind: "text"; text: string };

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));
const words = (text: string) => text.split(/(?<= )/);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("\n");
  return "";
}

function decide(userTexts: string[], toolResult: string | null): Turn | null {
  const m = userTexts.map((t) => DIRECTIVE.exec(t)).find(Boolean);
  if (!m) return null;
  if (toolResult !== null) return { kind: "text", text: `Tool said: ${toolResult}` };
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(m[2]!);
  } catch {
    return { kind: "text", text: "mock: the use-tool directive's input is not JSON" };
  }
  return { kind: "tool", name: m[1]!, input };
}

function sse(res: http.ServerResponse, events: string[]) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events) res.write(e);
  res.end();
}

function json(res: http.ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// ───────────── Anthropic /v1/messages ─────────────

function anthropicTurn(body: any): Turn | null {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const results = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b: any) => b?.type === "tool_result");
  const last = results[results.length - 1];
  return decide(
    messages.filter((m) => m.role === "user").map((m) => textOf(m.content)),
    last ? textOf(last.content) : null,
  );
}

function anthropicReply(body: any, turn: Turn, res: http.ServerResponse) {
  const inputTokens = tokens(JSON.stringify(body.messages) + JSON.stringify(body.system ?? ""));
  const block = turn.kind === "tool" ? { type: "tool_use", id: "toolu_scripted_1", name: turn.name, input: turn.input } : { type: "text", text: turn.text };
  const outputTokens = turn.kind === "tool" ? 12 : words(turn.text).length;
  const stop = turn.kind === "tool" ? "tool_use" : "end_turn";
  const usage = { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens };
  const message = { id: "msg_scripted", type: "message", role: "assistant", model: body.model, content: [block], stop_reason: stop, stop_sequence: null, usage };
  if (!body.stream) return json(res, message);
  const ev = (type: string, o: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
  const events = [ev("message_start", { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } })];
  if (block.type === "tool_use") {
    events.push(ev("content_block_start", { index: 0, content_block: { ...block, input: {} } }));
    events.push(ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } }));
  } else {
    events.push(ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }));
    for (const w of words(block.text as string)) events.push(ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: w } }));
  }
  events.push(ev("content_block_stop", { index: 0 }));
  events.push(ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: outputTokens } }));
  events.push(ev("message_stop", {}));
  sse(res, events);
}

// ───────────── OpenAI /v1/chat/completions ─────────────

function openaiTurn(body: any): Turn | null {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const results = messages.filter((m) => m.role === "tool");
  const last = results[results.length - 1];
  return decide(
    messages.filter((m) => m.role === "user").map((m) => textOf(m.content)),
    last ? textOf(last.content) : null,
  );
}

function openaiReply(body: any, turn: Turn, res: http.ServerResponse) {
  const promptTokens = tokens(JSON.stringify(body.messages));
  const call = turn.kind === "tool" ? { id: "call_scripted_1", type: "function", function: { name: turn.name, arguments: JSON.stringify(turn.input) } } : null;
  const completionTokens = turn.kind === "tool" ? 12 : words(turn.text).length;
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const finish = call ? "tool_calls" : "stop";
  const base = { id: "chatcmpl-scripted", created: 1_700_000_000, model: body.model };
  if (!body.stream) {
    const message = { role: "assistant", content: call ? null : (turn as { text: string }).text, ...(call ? { tool_calls: [call] } : {}) };
    return json(res, { ...base, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
  }
  const chunk = (delta: object, finish_reason: string | null) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason }] })}\n\n`;
  const events = [chunk({ role: "assistant", content: call ? null : "" }, null)];
  if (call) {
    events.push(chunk({ tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, null));
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: call.function.arguments } }] }, null));
  } else {
    for (const w of words((turn as { text: string }).text)) events.push(chunk({ content: w }, null));
  }
  events.push(chunk({}, finish));
  if (body.stream_options?.include_usage) events.push(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`);
  events.push("data: [DONE]\n\n");
  sse(res, events);
}

// ───────────── Gemini generateContent / streamGenerateContent ─────────────

function geminiTurn(body: any): Turn | null {
  const contents: any[] = Array.isArray(body?.contents) ? body.contents : [];
  const parts = contents.flatMap((c) => (Array.isArray(c.parts) ? c.parts : []));
  const results = parts.filter((p: any) => p?.functionResponse);
  const last = results[results.length - 1];
  return decide(
    contents.filter((c) => c.role !== "model").map((c) => (c.parts ?? []).map((p: any) => p?.text ?? "").join("\n")),
    last ? JSON.stringify(last.functionResponse.response) : null,
  );
}

function geminiReply(body: any, model: string, stream: boolean, turn: Turn, res: http.ServerResponse) {
  const promptTokens = tokens(JSON.stringify(body.contents));
  const outTokens = turn.kind === "tool" ? 6 : words(turn.text).length;
  const usageMetadata = { promptTokenCount: promptTokens, candidatesTokenCount: outTokens, totalTokenCount: promptTokens + outTokens };
  const part = turn.kind === "tool" ? { functionCall: { name: turn.name, args: turn.input }, thoughtSignature: "c2lnLXNjcmlwdGVk" } : { text: turn.text };
  const reply = { candidates: [{ content: { parts: [part], role: "model" }, finishReason: "STOP", index: 0 }], usageMetadata, modelVersion: model, responseId: "resp-scripted" };
  if (!stream) return json(res, reply);
  sse(res, [`data: ${JSON.stringify(reply)}\r\n\r\n`]);
}

// ───────────── OpenAI /v1/responses ─────────────

/**
 * The scripted turn of a Responses request (`input` a string or items), or null without the
 * directive. The Responses mock (tests/mocks/responses.ts) renders it in its own wire format.
 */
export function responsesTurn(body: any): Turn | null {
  const items: any[] = typeof body?.input === "string" ? [{ role: "user", content: body.input }] : Array.isArray(body?.input) ? body.input : [];
  const results = items.filter((i) => i?.type === "function_call_output");
  const last = results[results.length - 1];
  return decide(
    items.filter((i) => (i?.type ?? "message") === "message" && i.role === "user").map((i) => textOf(i.content)),
    last ? textOf(last.output) : null,
  );
}

/**
 * Answers a scripted turn when a user message carries the directive; false otherwise (the mock's
 * ordinary behaviour applies). `route` is the request path without the query.
 */
export function scriptedToolTurn(route: string, body: any, res: http.ServerResponse): boolean {
  if (route === "/v1/messages") {
    const turn = anthropicTurn(body);
    return turn ? (anthropicReply(body, turn, res), true) : false;
  }
  if (route === "/v1/chat/completions") {
    const turn = openaiTurn(body);
    return turn ? (openaiReply(body, turn, res), true) : false;
  }
  const g = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent)$/.exec(route);
  if (g) {
    const turn = geminiTurn(body);
    return turn ? (geminiReply(body, g[1]!, g[2] === "streamGenerateContent", turn, res), true) : false;
  }
  return false;
}
