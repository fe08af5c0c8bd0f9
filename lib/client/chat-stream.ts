// Reads our own /v1/chat/completions stream the way an OpenAI client would: `data:` chunks, the
// trailing `event: vecstruct` object, `data: [DONE]`, or one in-stream `data: {"error": …}`.
// A small reader instead of the AI SDK's useChat: that hook expects its own UI message stream
// protocol, and translating our wire format into it would hide exactly what the playground shows.

export interface RagSource {
  document_id: string;
  title: string;
  content: string;
  similarity: number;
}

export interface VecstructInfo {
  audit_id: string;
  rag_sources?: RagSource[];
  memory_used?: boolean;
  credits_consumed?: number;
  balance_consumed_usd?: number;
  warnings?: string[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface StreamHandlers {
  onAuditId(id: string): void;
  onDelta(text: string, reasoning: string): void;
  onUsage(usage: Usage): void;
  onVecstruct(info: VecstructInfo): void;
  /** x-vecstruct-cache of the reply (hit, miss, bypass), when the project's cache applied. */
  onCache?(result: string): void;
}

export class ChatStreamError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** OpenAI's error body `{"error":{"message","code",…}}` (Chat Completions and Responses) as the playground's error. */
export function errorFrom(body: unknown, fallback: string): ChatStreamError {
  const e = (body as { error?: { message?: string; code?: string } } | null)?.error;
  return new ChatStreamError(e?.message ?? fallback, e?.code ?? null);
}

/** Splits an SSE byte stream into events ({event, data}); tolerates \r\n and split chunks. */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: data.join("\n") };
    }
  }
}

/**
 * POSTs a playground request to a /v1 route as the console session, reports the audit id, and returns
 * the answer (its body is the stream, or a JSON object when the route answered without streaming);
 * a refused request throws the dialect's error (`toError` reads its body).
 */
export async function openStream(
  path: string,
  projectId: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  h: StreamHandlers,
  toError: (body: unknown, fallback: string) => ChatStreamError,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const res = await fetch(path, {
    method: "POST",
    // The project header is what lets the console session stand in for an API key (and it is
    // the CSRF guard: a cross-site page cannot send it).
    headers: { "content-type": "application/json", "x-vecstruct-project": projectId, ...headers },
    body: JSON.stringify(body),
    signal,
  });
  const auditId = res.headers.get("x-vecstruct-audit-id");
  if (auditId) h.onAuditId(auditId);
  const cache = res.headers.get("x-vecstruct-cache");
  if (cache) h.onCache?.(cache);
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => "");
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: fall back to the status */
    }
    throw toError(parsed, `Request failed (${res.status})`);
  }
  return res as Response & { body: ReadableStream<Uint8Array> };
}

/** Sends the request and feeds the handlers until [DONE]; throws ChatStreamError on any error. */
export async function streamChat(projectId: string, body: unknown, signal: AbortSignal, h: StreamHandlers): Promise<void> {
  const res = await openStream("/v1/chat/completions", projectId, {}, body, signal, h, errorFrom);
  for await (const { event, data } of sseEvents(res.body)) {
    if (data === "[DONE]") return;
    const parsed = JSON.parse(data) as Record<string, unknown>;
    if (event === "vecstruct") {
      h.onVecstruct(parsed as unknown as VecstructInfo);
      continue;
    }
    if (parsed.error) throw errorFrom(parsed, "The stream failed.");
    const choices = (parsed.choices ?? []) as { delta?: { content?: string | null; reasoning_content?: string | null } }[];
    const delta = choices[0]?.delta;
    if (delta && (delta.content || delta.reasoning_content)) h.onDelta(delta.content ?? "", delta.reasoning_content ?? "");
    if (parsed.usage) h.onUsage(parsed.usage as Usage);
  }
  throw new ChatStreamError("The stream ended before [DONE].", "upstream_error");
}
