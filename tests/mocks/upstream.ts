// A real HTTP server on 127.0.0.1 that answers like OpenAI (/v1/chat/completions), Anthropic
// (/v1/messages) and Gemini (/v1beta/models/…:generateContent | :streamGenerateContent?alt=sse),
// in each provider's wire format; OpenAI's Responses API (/v1/responses) natively too, answering what
// the chat path answers (tests/mocks/responses.ts). The last user message steers it:
//   [[fault:500]] [[fault:429]] [[fault:401]] [[fault:400]]  HTTP errors in the provider's error shape
//   [[fault:slow:MS]]         wait MS before answering (headers included)
//   [[fault:stall-first:MS]]  stream: send headers, then wait MS before the first event
//   [[fault:idle:MS]]         stream: send the first event(s), then stall MS
//   [[fault:drop]]            stream: send some events, then cut the socket
//   [[fault:cut]]             stream: send every event up to the finish_reason, then cut the socket
//   [[tool-args:N]]           a tool call's arguments carry N words (streamed ~10 words per event)
//   [[fault:trickle:MS]]      stream: wait MS between events (never idle long, but slow overall)
//   [[fault:hang]]            never answer
//   [[fault:fail-first:N]]    the first N requests with this exact text answer 500, later ones succeed
//   [[fault:html]]            200 with an HTML page (wrong content-type), as a misconfigured proxy would
//   [[fault:bad-sse]]         200 that is not what it claims: broken JSON in SSE events / the JSON body
//   [[fault:flood]]           200 that never ends: a JSON body / one SSE line growing until the client hangs up
// Anthropic only (/v1/messages):
//   [[fault:529]]             529 overloaded_error
//   [[fault:early-overloaded]] stream: message_start, then `event: error` (overloaded_error) before any content
//   [[fault:stream-error]]    stream: the first content block's first delta, then `event: error` (overloaded_error)
//   [[unknown-event]]         stream: an event type Anthropic may add later, after ping
//   a request carrying `cache_control` anywhere reports prompt-cache usage (1200 written, 3400 read)
//   POST /v1/messages/count_tokens answers {input_tokens} counted as the message's input_tokens
//   ([[no-count]] in the body: 404, as an Anthropic-compatible server without that route)
// Routing faults (OpenAI wire format, /v1/chat/completions and /v1/responses): a bearer containing "refused" answers 401, one containing
// "down" 503; a model name containing "down" 503, "busy" 429 with Retry-After: 1.
// Otherwise it echoes ("Echo: <text>"), calls the first tool when tools are offered, and answers
// tool results, JSON modes and n / candidateCount deterministically.
//   [[use-tool:NAME:{json}]]  in any user message: call the agent's tool NAME with that input, then
//                             answer "Tool said: <result>" (tests/mocks/scripted-tools.ts)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { argumentParts, openaiError, plan, preFault, sendJson, startSse, streamEvents, textOf, tokens, words } from "./common";
import { lastUserTextOfResponses, newResponsesState, openaiResponses, storedResponse } from "./responses";
import { scriptedToolTurn } from "./scripted-tools";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface MockUpstream {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

// ───────────────────────────── OpenAI ─────────────────────────────

/**
 * A scripted memory model: answers vecstruct's extraction prompt with operations derived from the
 * user's statement ("my name is X" → add, "I live in X" → add, "I moved to X" → update the place,
 * "forget where I live" → delete it, anything else → no-op).
 */
function memoryOperations(payload: { memories: { id: string; content: string }[]; exchange: { user: string[] } }) {
  const said = payload.exchange.user[payload.exchange.user.length - 1] ?? "";
  const place = payload.memories.find((m) => /^Lives in /.test(m.content));
  let m: RegExpExecArray | null;
  if ((m = /my name is (\w+)/i.exec(said))) return [{ op: "add", content: `Name is ${m[1]}` }];
  if ((m = /i (?:moved|have moved|relocated) to (\w+)/i.exec(said))) {
    return place ? [{ op: "update", id: place.id, content: `Lives in ${m[1]}` }] : [{ op: "add", content: `Lives in ${m[1]}` }];
  }
  if ((m = /i live in (\w+)/i.exec(said))) return place?.content === `Lives in ${m[1]}` ? [] : [{ op: "add", content: `Lives in ${m[1]}` }];
  if (/forget where i live/i.test(said) && place) return [{ op: "delete", id: place.id }];
  return [];
}



async function openai(body: any, res: http.ServerResponse) {
  const messages: any[] = body.messages ?? [];
  if (typeof messages[0]?.content === "string" && messages[0].content.startsWith("You maintain long-term memories")) {
    const content = JSON.stringify({ operations: memoryOperations(JSON.parse(messages[1].content)) });
    return sendJson(res, 200, {
      id: "chatcmpl-memory",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
    });
  }
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const p = plan(textOf(lastUser?.content));
  if (await preFault(p, res, openaiError)) return;
  const n = body.n ?? 1;
  const created = 1_700_000_000;
  const promptTokens = tokens(JSON.stringify(messages));
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && last?.role !== "tool" && body.tool_choice !== "none";
  let text = last?.role === "tool" ? `Tool result: ${textOf(last.content)}` : p.text;
  if (body.response_format?.type === "json_schema" || body.response_format?.type === "json_object") text = JSON.stringify({ answer: text });
  if (body.stop) {
    for (const s of [body.stop].flat()) {
      const at = text.indexOf(s);
      if (at >= 0) text = text.slice(0, at);
    }
  }
  const bigArgs = /\[\[tool-args:(\d+)\]\]/.exec(textOf(lastUser?.content));
  const argParts = bigArgs ? argumentParts(Number(bigArgs[1])) : ['{"city":', '"Paris"}'];
  const toolCall = wantsTool ? { id: "call_mock_1", type: "function", function: { name: body.tools[0].function.name, arguments: argParts.join("") } } : null;
  const completionTokens = toolCall ? (bigArgs ? tokens(toolCall.function.arguments) : 8) : words(text).length;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const finish = toolCall ? "tool_calls" : "stop";
  if (!body.stream) {
    return sendJson(res, 200, {
      id: "chatcmpl-mock",
      object: "chat.completion",
      created,
      model: body.model,
      choices: Array.from({ length: n }, (_, index) => ({
        index,
        message: { role: "assistant", content: toolCall ? null : text, refusal: null, ...(toolCall ? { tool_calls: [toolCall] } : {}), annotations: [] },
        logprobs: null,
        finish_reason: finish,
      })),
      usage,
      service_tier: "default",
      system_fingerprint: "fp_mock",
    });
  }
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created, model: body.model, service_tier: "default", system_fingerprint: "fp_mock" };
  const includeUsage = body.stream_options?.include_usage === true;
  const u = includeUsage ? { usage: null } : {};
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const events: string[] = [];
  for (let index = 0; index < n; index++) {
    events.push(ev({ ...base, choices: [{ index, delta: { role: "assistant", content: toolCall ? null : "", refusal: null }, logprobs: null, finish_reason: null }], ...u }));
    if (toolCall) {
      events.push(ev({ ...base, choices: [{ index, delta: { tool_calls: [{ index: 0, id: toolCall.id, type: "function", function: { name: toolCall.function.name, arguments: "" } }] }, logprobs: null, finish_reason: null }], ...u }));
      for (const part of argParts) {
        events.push(ev({ ...base, choices: [{ index, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, logprobs: null, finish_reason: null }], ...u }));
      }
    } else {
      for (const w of words(text)) events.push(ev({ ...base, choices: [{ index, delta: { content: w }, logprobs: null, finish_reason: null }], ...u }));
    }
    events.push(ev({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: finish }], ...u }));
  }
  if (includeUsage) events.push(ev({ ...base, choices: [], usage }));
  events.push("data: [DONE]\n\n");
  // Cut: everything generated arrives, but no finish_reason, usage or [DONE].
  await streamEvents(p, res, p.fault?.kind === "cut" ? events.filter((e) => !/"finish_reason":"|"choices":\[\],|\[DONE\]/.test(e)) : events);
}

// ───────────────────────────── Anthropic ─────────────────────────────

function anthropicError(status: number, message: string) {
  const type =
    status === 429 ? "rate_limit_error" : status === 401 ? "authentication_error" : status === 400 ? "invalid_request_error" : status === 529 ? "overloaded_error" : "api_error";
  return { type: "error", error: { type, message } };
}

async function anthropic(body: any, res: http.ServerResponse) {
  const messages: any[] = body.messages ?? [];
  const last = messages[messages.length - 1];
  const lastBlocks: any[] = Array.isArray(last?.content) ? last.content : [];
  const toolResult = lastBlocks.find((b) => b.type === "tool_result");
  const lastUserText = [...messages].reverse().map((m) => textOf(m.content)).find((t) => t) ?? "";
  const p = plan(lastUserText);
  if (await preFault(p, res, anthropicError)) return;
  const forced = body.tool_choice?.type === "tool" ? body.tool_choice.name : null;
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && !toolResult && body.tool_choice?.type !== "none";
  const text = toolResult ? `Tool result: ${textOf(toolResult.content)}` : p.text;
  const thinking = body.thinking?.type === "enabled" ? "Let me think about this." : null;
  const tool = wantsTool
    ? { type: "tool_use", id: "toolu_mock_1", name: forced ?? body.tools[0].name, input: forced ? { answer: text } : { city: "Paris" } }
    : null;
  const inputTokens = tokens(JSON.stringify(body.messages) + JSON.stringify(body.system ?? ""));
  const outputTokens = tool ? 12 : words(text).length;
  const content: any[] = [];
  if (thinking) content.push({ type: "thinking", thinking, signature: "sig-mock" });
  if (tool) content.push(tool);
  else content.push({ type: "text", text });
  const stopReason = tool && !forced ? "tool_use" : tool ? "tool_use" : "end_turn";
  const cached = JSON.stringify(body).includes('"cache_control"');
  const usage = { input_tokens: inputTokens, cache_creation_input_tokens: cached ? 1200 : 0, cache_read_input_tokens: cached ? 3400 : 0, output_tokens: outputTokens };
  if (!body.stream) {
    return sendJson(res, 200, { id: "msg_mock", type: "message", role: "assistant", model: body.model, content, stop_reason: stopReason, stop_sequence: null, usage });
  }
  const ev = (type: string, o: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
  const events = [
    ev("message_start", { message: { id: "msg_mock", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }),
    ev("ping", {}),
  ];
  if (lastUserText.includes("[[unknown-event]]")) events.push(ev("some_future_event", { detail: { nested: true } }));
  const overloaded = `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`;
  if (p.fault?.kind === "early-overloaded") return streamEvents(p, res, [...events, overloaded]);
  content.forEach((block, index) => {
    if (block.type === "thinking") {
      events.push(ev("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }));
      events.push(ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking: block.thinking } }));
      events.push(ev("content_block_delta", { index, delta: { type: "signature_delta", signature: block.signature } }));
    } else if (block.type === "tool_use") {
      events.push(ev("content_block_start", { index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } }));
      const json = JSON.stringify(block.input);
      const mid = Math.floor(json.length / 2);
      for (const part of [json.slice(0, mid), json.slice(mid)]) events.push(ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } }));
    } else {
      events.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
      for (const w of words(block.text)) events.push(ev("content_block_delta", { index, delta: { type: "text_delta", text: w } }));
    }
    events.push(ev("content_block_stop", { index }));
  });
  if (p.fault?.kind === "stream-error") {
    const firstDelta = events.findIndex((e) => e.startsWith("event: content_block_delta"));
    return streamEvents(p, res, [...events.slice(0, firstDelta + 1), overloaded]);
  }
  events.push(ev("message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }));
  events.push(ev("message_stop", {}));
  await streamEvents(p, res, events);
}

// ───────────────────────────── Gemini ─────────────────────────────

function geminiError(status: number, message: string) {
  const s = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE" } as Record<number, string>;
  return { error: { code: status, message, status: s[status] ?? "UNKNOWN" } };
}

async function gemini(body: any, model: string, stream: boolean, res: http.ServerResponse) {
  const contents: any[] = body.contents ?? [];
  const last = contents[contents.length - 1];
  const fnResponse = (last?.parts ?? []).find((pt: any) => pt.functionResponse);
  const lastUserText = [...contents].reverse().map((c) => (c.parts ?? []).map((pt: any) => pt.text ?? "").join("")).find((t) => t) ?? "";
  const p = plan(lastUserText);
  if (await preFault(p, res, geminiError)) return;
  const decls = body.tools?.flatMap((t: any) => t.functionDeclarations ?? []) ?? [];
  const mode = body.toolConfig?.functionCallingConfig?.mode;
  const wantsTool = decls.length > 0 && !fnResponse && mode !== "NONE";
  let text = fnResponse ? `Tool result: ${JSON.stringify(fnResponse.functionResponse.response)}` : p.text;
  if (body.generationConfig?.responseMimeType === "application/json") text = JSON.stringify({ answer: text });
  const thinking = body.generationConfig?.thinkingConfig?.includeThoughts ? "Thinking it through." : null;
  const n = body.generationConfig?.candidateCount ?? 1;
  const promptTokens = tokens(JSON.stringify(contents));
  const outTokens = wantsTool ? 6 : words(text).length;
  const usageMetadata = {
    promptTokenCount: promptTokens,
    candidatesTokenCount: outTokens,
    totalTokenCount: promptTokens + outTokens + (thinking ? 5 : 0),
    ...(thinking ? { thoughtsTokenCount: 5 } : {}),
  };
  const partsFor = (): any[] => {
    const parts: any[] = [];
    if (thinking) parts.push({ text: thinking, thought: true });
    if (wantsTool) parts.push({ functionCall: { name: decls[0].name, args: { city: "Paris" } }, thoughtSignature: "c2lnLW1vY2s=" });
    else parts.push({ text });
    return parts;
  };
  if (!stream) {
    return sendJson(res, 200, {
      candidates: Array.from({ length: n }, (_, index) => ({ content: { parts: partsFor(), role: "model" }, finishReason: "STOP", index })),
      usageMetadata,
      modelVersion: model,
      responseId: "resp-mock",
    });
  }
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\r\n\r\n`;
  const events: string[] = [];
  const parts = partsFor();
  const pieces: any[] = parts.flatMap((pt) => (typeof pt.text === "string" && !pt.thought ? words(pt.text).map((w) => ({ text: w })) : [pt]));
  pieces.forEach((piece, i) => {
    const lastPiece = i === pieces.length - 1;
    events.push(
      ev({
        candidates: [{ content: { parts: [piece], role: "model" }, ...(lastPiece ? { finishReason: "STOP" } : {}), index: 0 }],
        usageMetadata: lastPiece ? usageMetadata : { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
        modelVersion: model,
        responseId: "resp-mock",
      }),
    );
  });
  await streamEvents(p, res, events);
}

// ─────────────────────── embeddings and rerank ───────────────────────

// Embeddings are hashed bags of words (texts sharing words point the same way, so retrieval through
// them behaves like a crude real model), as wide as the model says: `dimensions` in the request, a
// `-<N>d` suffix on the model name (`hash-384d`), 1024 for bge-m3 (its real width), else 8.
// A text containing [[fault:500]] or [[embed-fault]] fails the call with a 500. Rerank scores are
// the share of query words found in each document; a query containing [[rerank-fault]] fails with 500.

function embeddingWidth(body: any): number {
  if (Number.isInteger(body.dimensions) && body.dimensions > 0) return body.dimensions;
  const m = /-(\d+)d$/.exec(String(body.model));
  if (m) return Number(m[1]);
  return String(body.model).includes("bge-m3") ? 1024 : 8;
}

function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A deterministic unit vector per text, so equal texts embed equally and shared words mean similarity. */
function fakeVector(text: string, dims: number): number[] {
  const v: number[] = Array.from({ length: dims }, () => 0);
  for (const w of text.toLowerCase().match(/[a-z0-9]{2,}/g) ?? []) {
    const h = fnv1a(w);
    v[h % dims]! += h & 0x80000000 ? -1 : 1;
  }
  if (!v.some((x) => x !== 0)) v[0] = 1; // no words: still a usable direction
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function embeddings(body: any, res: http.ServerResponse) {
  const inputs: string[] = typeof body.input === "string" ? [body.input] : body.input.map((x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)));
  if (inputs.some((t) => t.includes("[[fault:500]]") || t.includes("[[embed-fault]]"))) return sendJson(res, 500, openaiError(500, "mock failure 500"));
  const dims = embeddingWidth(body);
  const usage = { prompt_tokens: inputs.reduce((n, t) => n + tokens(t), 0), total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens;
  sendJson(res, 200, { object: "list", data: inputs.map((t, index) => ({ object: "embedding", index, embedding: fakeVector(t, dims) })), model: body.model, usage });
}

/** Relevance = share of query words found in the document. */
export function mockRelevance(query: string, document: string): number {
  const words = query.toLowerCase().split(/\W+/).filter(Boolean);
  return words.filter((w) => document.toLowerCase().includes(w)).length / Math.max(1, words.length);
}

function rerank(body: any, res: http.ServerResponse, cohere: boolean) {
  if (String(body.query).includes("[[rerank-fault]]")) return sendJson(res, 500, openaiError(500, "mock rerank failure 500"));
  const results = (body.documents as string[])
    .map((d, index) => ({ index, relevance_score: mockRelevance(body.query, d) }))
    .sort((a, b) => b.relevance_score - a.relevance_score)
    .slice(0, body.top_n ?? body.documents.length);
  if (cohere) sendJson(res, 200, { id: "rerank-mock", results, meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } } });
  else sendJson(res, 200, { model: body.model, results, usage: { total_tokens: tokens(body.query) * body.documents.length } });
}

// ───────────────────────────── routing faults ─────────────────────────────

function lastUserTextOf(body: any): string {
  if (!Array.isArray(body?.messages)) return lastUserTextOfResponses(body);
  const msgs: any[] = body.messages;
  for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i]?.role === "user") return textOf(msgs[i].content);
  return "";
}

/** Writes 64 KiB pieces of one JSON string / one SSE data line until the client closes the socket. */
function flood(res: http.ServerResponse, stream: boolean) {
  res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json" });
  res.write(stream ? 'data: {"choices":[{"index":0,"delta":{"content":"' : '{"id":"chatcmpl-flood","choices":[{"index":0,"message":{"role":"assistant","content":"');
  const piece = "x".repeat(64 * 1024);
  let sent = 0;
  const pump = () => {
    while (!res.destroyed && sent < 1024) {
      sent++; // at most 64 MiB, so a broken client cannot keep the mock busy forever
      if (!res.write(piece)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on("close", () => {
    sent = Infinity;
  });
  pump();
}

/** Faults that depend on the credential, the model or a counter; true when it answered. */
function routingFault(req: http.IncomingMessage, body: any, res: http.ServerResponse, failures: Map<string, number>): boolean {
  const auth = String(req.headers.authorization ?? "");
  const model = String(body?.model ?? "");
  if (auth.includes("refused")) return sendJson(res, 401, openaiError(401, "Incorrect API key provided")), true;
  if (auth.includes("down") || model.includes("down")) return sendJson(res, 503, openaiError(503, "mock: overloaded")), true;
  if (model.includes("busy")) {
    res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
    return res.end(JSON.stringify(openaiError(429, "mock: rate limited"))), true;
  }
  const text = lastUserTextOf(body);
  const m = /\[\[fault:(fail-first:(\d+)|html|bad-sse|flood)\]\]/.exec(text);
  if (!m) return false;
  if (m[1] === "flood") return flood(res, Boolean(body?.stream)), true;
  if (m[2] !== undefined) {
    const seen = failures.get(text) ?? 0;
    failures.set(text, seen + 1);
    if (seen >= Number(m[2])) return false;
    return sendJson(res, 500, openaiError(500, "mock: transient failure")), true;
  }
  if (m[1] === "html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end("<html><body><h1>Welcome to nginx!</h1></body></html>"), true;
  }
  if (body?.stream) {
    startSse(res);
    res.write('data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel\n\n');
    res.write("data: {not json}\n\n");
    return res.end(), true;
  }
  res.writeHead(200, { "content-type": "application/json" });
  return res.end('{"id":"chatcmpl-mock","choices":[{"index":0,"mess'), true;
}

// ───────────────────────────── server ─────────────────────────────

/** `host`: the loopback address to listen on (127.0.0.1; e.g. 127.0.0.2 for allow-list tests). */
export async function startMockUpstream(host = "127.0.0.1"): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, number>();
  const responses = newResponsesState();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return sendJson(res, 400, { error: { message: "mock: invalid JSON" } });
      }
      const url = new URL(req.url ?? "/", "http://mock");
      // Lets tests in another process see what the gateway sent upstream.
      if (url.pathname === "/__requests") return sendJson(res, 200, requests);
      requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, headers: req.headers, body });
      const g = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
      let handled: Promise<void> | void;
      // [[use-tool:NAME:{…}]] (an agent's own tools, e.g. Claude Code's Read): tests/mocks/scripted-tools.ts
      if (scriptedToolTurn(url.pathname, body, res)) handled = undefined;
      else if (url.pathname === "/v1/chat/completions" && routingFault(req, body, res, failures)) handled = undefined;
      else if (url.pathname === "/v1/chat/completions") handled = openai(body, res);
      else if (url.pathname === "/v1/responses" && routingFault(req, body, res, failures)) handled = undefined;
      else if (url.pathname === "/v1/responses" && req.method === "POST") handled = openaiResponses(body, responses, res);
      else if (storedResponse(req.method ?? "GET", url.pathname, responses, res)) handled = undefined;
      else if (url.pathname === "/v1/embeddings") handled = embeddings(body, res);
      else if (url.pathname === "/v2/rerank") handled = rerank(body, res, true);
      else if (url.pathname === "/v1/rerank") handled = rerank(body, res, false);
      else if (url.pathname === "/v1/messages") handled = anthropic(body, res);
      else if (url.pathname === "/v1/messages/count_tokens" && JSON.stringify(body).includes("[[no-count]]")) handled = sendJson(res, 404, anthropicError(404, "Not found"));
      else if (url.pathname === "/v1/messages/count_tokens") handled = sendJson(res, 200, { input_tokens: tokens(JSON.stringify(body?.messages) + JSON.stringify(body?.system ?? "")) });
      else if (url.pathname === "/v1/traces") handled = sendJson(res, 200, {}); // an OTLP/HTTP collector
      else if (g) handled = gemini(body, g[1]!, g[2] === "streamGenerateContent", res);
      else handled = sendJson(res, 404, { error: { message: `mock: no route ${url.pathname}` } });
      Promise.resolve(handled).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
        else res.destroy();
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
