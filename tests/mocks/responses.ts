// The OpenAI mock's native Responses API: POST /v1/responses (Response object, or with `stream: true`
// the SSE events `event: <type>\ndata: {…, sequence_number}` in OpenAI's order), GET and DELETE
// /v1/responses/{id}. Shapes follow recorded OpenAI streams (tests/fixtures/responses/README.md).
// It answers what the chat path (/v1/chat/completions in tests/mocks/upstream.ts) answers for the
// same prompt, so native and translated runs tell the same story:
//   - the last user message steers it: "Echo: <text>" and the [[fault:…]] directives of common.ts
//     (status faults before the answer; stall-first / idle / trickle / drop in the stream; cut = every
//     item arrives, the final response.completed does not)
//   - function tools offered and no function_call_output last: a call of the first function tool
//     (or tool_choice's) with {"city":"Paris"} ([[tool-args:N]]: N words, streamed in 70-char deltas)
//   - a function_call_output last: "Tool result: <output>"
//   - [[use-tool:NAME:{json}]] in a user message: tests/mocks/scripted-tools.ts ("Tool said: <output>")
//   - text.format json_object / json_schema: {"answer": "<text>"}
//   - max_output_tokens below the answer's words: the first words, status "incomplete"
//     (incomplete_details.reason "max_output_tokens", final event response.incomplete)
// Usage: input_tokens = ceil(chars of JSON(input) + JSON(instructions) / 4); output_tokens = the
// answer's words, 8 for a call (12 scripted, the arguments' tokens with [[tool-args:N]]);
// cached_tokens = half the input when the request has a prompt_cache_key, else 0; reasoning_tokens 0
// (the mock's models do not reason, as on its chat path).
// State: `store` (default true) keeps the final response for GET / DELETE /v1/responses/{id}; a
// previous_response_id the mock did not store is OpenAI's 400 previous_response_not_found (vecstruct
// never forwards it, so seeing one upstream is a bug the test should hear about).
// Refused like OpenAI, 400 invalid_request_error naming `param`: a body that is not an object, no
// `model`, `input` neither string nor array, chat fields (`messages`, `max_tokens`, `response_format`),
// vecstruct's own fields (`vecstruct`, `models`, `provider`), a function_call_output whose call is not
// in the input. Other unknown fields are accepted (and recorded at /__requests).
import crypto from "node:crypto";
import type http from "node:http";
import { argumentParts, openaiError, plan, preFault, sendJson, streamEvents, textOf, tokens, words } from "./common";
import { responsesTurn } from "./scripted-tools";

type Item = Record<string, any>;
type Output = Item & { id: string; type: "message" | "function_call" };

export interface ResponsesState {
  stored: Map<string, Item>;
}

export const newResponsesState = (): ResponsesState => ({ stored: new Map() });

const hex = (n: number) => crypto.randomBytes(n).toString("hex");

function badRequest(res: http.ServerResponse, message: string, param: string | null, code: string | null) {
  sendJson(res, 400, { error: { message, type: "invalid_request_error", param, code } });
}

/** The input as items (a string is one user message). */
function itemsOf(body: Item): Item[] {
  if (typeof body.input === "string") return [{ type: "message", role: "user", content: body.input }];
  return Array.isArray(body.input) ? body.input : [];
}

/** The user text that steers the answer: the last user message's text. */
export function lastUserTextOfResponses(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const items = itemsOf(body as Item);
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if ((it.type ?? "message") === "message" && it.role === "user") return textOf(it.content);
  }
  return "";
}

const MOVED: Record<string, string> = { messages: "input", max_tokens: "max_output_tokens", max_completion_tokens: "max_output_tokens", response_format: "text.format" };

/** OpenAI's 400 for a body it refuses; true when it answered. */
function refused(body: unknown, state: ResponsesState, res: http.ServerResponse): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return badRequest(res, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", null, "invalid_json"), true;
  }
  const b = body as Item;
  if (typeof b.model !== "string" || !b.model) return badRequest(res, "Missing required parameter: 'model'.", "model", "missing_required_parameter"), true;
  for (const [field, to] of Object.entries(MOVED)) {
    if (field in b) return badRequest(res, `Unsupported parameter: '${field}'. In the Responses API, this parameter has moved to '${to}'.`, field, "unsupported_parameter"), true;
  }
  for (const field of ["vecstruct", "models", "provider"]) {
    if (field in b) return badRequest(res, `Unknown parameter: '${field}'.`, field, "unknown_parameter"), true;
  }
  if (b.input !== undefined && typeof b.input !== "string" && !Array.isArray(b.input)) {
    return badRequest(res, `Invalid type for 'input': expected one of a string or array of input items, but got ${typeof b.input} instead.`, "input", "invalid_type"), true;
  }
  const previous = b.previous_response_id;
  if (previous != null && !state.stored.has(previous)) {
    return badRequest(res, `Previous response with id '${previous}' not found.`, "previous_response_id", "previous_response_not_found"), true;
  }
  if (previous == null) {
    const items = itemsOf(b);
    const calls = new Set(items.filter((i) => i?.type === "function_call").map((i) => i.call_id));
    const orphan = items.find((i) => i?.type === "function_call_output" && !calls.has(i.call_id));
    if (orphan) return badRequest(res, `No tool call found for function call output with call_id ${orphan.call_id}.`, "input", null), true;
  }
  return false;
}

interface Answer {
  call: { name: string; parts: string[] } | null;
  text: string;
  outputTokens: number;
  incomplete: boolean;
}

function answer(body: Item): Answer {
  const scripted = responsesTurn(body);
  if (scripted?.kind === "tool") return { call: { name: scripted.name, parts: [JSON.stringify(scripted.input)] }, text: "", outputTokens: 12, incomplete: false };
  if (scripted) return { call: null, text: scripted.text, outputTokens: words(scripted.text).length, incomplete: false };
  const items = itemsOf(body);
  const last = items[items.length - 1];
  const userText = lastUserTextOfResponses(body);
  const functions = (Array.isArray(body.tools) ? body.tools : []).filter((t: Item) => t?.type === "function");
  const forced = body.tool_choice?.type === "function" ? String(body.tool_choice.name) : null;
  const toolResult = last?.type === "function_call_output";
  if (functions.length > 0 && !toolResult && body.tool_choice !== "none") {
    const big = /\[\[tool-args:(\d+)\]\]/.exec(userText);
    const parts = big ? argumentParts(Number(big[1])) : ['{"city":', '"Paris"}'];
    return { call: { name: forced ?? functions[0].name, parts }, text: "", outputTokens: big ? tokens(parts.join("")) : 8, incomplete: false };
  }
  let text = toolResult ? `Tool result: ${textOf(last.output)}` : plan(userText).text;
  const format = body.text?.format?.type;
  if (format === "json_schema" || format === "json_object") text = JSON.stringify({ answer: text });
  const max = body.max_output_tokens;
  const all = words(text);
  if (Number.isInteger(max) && max > 0 && all.length > max) return { call: null, text: all.slice(0, max).join(""), outputTokens: max, incomplete: true };
  return { call: null, text, outputTokens: all.length, incomplete: false };
}

/** A function tool as OpenAI echoes it: every field present, `strict` defaulting to true. */
function echoTool(t: Item): Item {
  if (t?.type !== "function") return t;
  return { type: "function", description: t.description ?? null, name: t.name, output_schema: t.output_schema ?? null, parameters: t.parameters ?? null, strict: t.strict ?? true };
}

/** The Response object around `output`, echoing the request's parameters as OpenAI does. */
function responseObject(body: Item, id: string, createdAt: number, status: string, output: Output[], usage: Item | null, incomplete: boolean): Item {
  const done = status !== "in_progress";
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    completed_at: status === "completed" ? createdAt : null,
    error: null,
    frequency_penalty: 0,
    incomplete_details: incomplete && done ? { reason: "max_output_tokens" } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: body.model,
    moderation: null,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    presence_penalty: 0,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    prompt_cache_retention: "in_memory",
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    safety_identifier: body.safety_identifier ?? null,
    service_tier: done ? "default" : "auto",
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: "text" }, verbosity: body.text?.verbosity ?? "medium" },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools.map(echoTool) : [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    usage,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

/** POST /v1/responses. */
export async function openaiResponses(body: unknown, state: ResponsesState, res: http.ServerResponse): Promise<void> {
  if (refused(body, state, res)) return;
  const b = body as Item;
  const p = plan(lastUserTextOfResponses(b));
  // Scripted turns ignore faults, as on the other routes.
  if (!responsesTurn(b) && (await preFault(p, res, openaiError))) return;
  const a = answer(b);
  const id = `resp_mock${hex(20)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const inputTokens = tokens(JSON.stringify(b.input ?? "") + JSON.stringify(b.instructions ?? ""));
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: b.prompt_cache_key != null ? Math.floor(inputTokens / 2) : 0 },
    output_tokens: a.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + a.outputTokens,
  };
  const status = a.incomplete ? "incomplete" : "completed";
  const part = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });
  const item: Output = a.call
    ? { id: `fc_mock${hex(20)}`, type: "function_call", status: "completed", arguments: a.call.parts.join(""), call_id: `call_mock${hex(10)}`, name: a.call.name }
    : { id: `msg_mock${hex(20)}`, type: "message", status, content: [part(a.text)], role: "assistant" };
  const final = responseObject(b, id, createdAt, status, [item], usage, a.incomplete);
  if (final.store) state.stored.set(id, final);
  if (!b.stream) return sendJson(res, 200, final);

  const events: string[] = [];
  const ev = (type: string, o: object) => events.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...o, sequence_number: events.length })}\n\n`);
  const started = responseObject(b, id, createdAt, "in_progress", [], null, false);
  ev("response.created", { response: started });
  ev("response.in_progress", { response: started });
  const at = { item_id: item.id, output_index: 0 };
  if (a.call) {
    ev("response.output_item.added", { item: { ...item, status: "in_progress", arguments: "" }, output_index: 0 });
    for (const delta of a.call.parts) ev("response.function_call_arguments.delta", { delta, ...at });
    ev("response.function_call_arguments.done", { arguments: item.arguments, ...at, name: item.name });
  } else {
    ev("response.output_item.added", { item: { ...item, status: "in_progress", content: [] }, output_index: 0 });
    ev("response.content_part.added", { content_index: 0, ...at, part: part("") });
    for (const delta of words(a.text)) ev("response.output_text.delta", { content_index: 0, delta, ...at, logprobs: [] });
    ev("response.output_text.done", { content_index: 0, ...at, logprobs: [], text: a.text });
    ev("response.content_part.done", { content_index: 0, ...at, part: part(a.text) });
  }
  ev("response.output_item.done", { item, output_index: 0 });
  // Cut: every item arrives, the final event does not.
  if (p.fault?.kind !== "cut") ev(`response.${status}`, { response: final });
  await streamEvents(p, res, events);
}

/** GET / DELETE /v1/responses/{id} of a stored response; false when the request is not one. */
export function storedResponse(method: string, path: string, state: ResponsesState, res: http.ServerResponse): boolean {
  const m = /^\/v1\/responses\/([^/]+)$/.exec(path);
  if (!m || (method !== "GET" && method !== "DELETE")) return false;
  const id = decodeURIComponent(m[1]!);
  const stored = state.stored.get(id);
  if (!stored) return sendJson(res, 404, { error: { message: `Response with id '${id}' not found.`, type: "invalid_request_error", param: null, code: null } }), true;
  if (method === "GET") return sendJson(res, 200, stored), true;
  state.stored.delete(id);
  return sendJson(res, 200, { id, object: "response", deleted: true }), true;
}
