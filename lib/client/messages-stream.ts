// Reads our own /v1/messages stream the way an Anthropic client would: `message_start` (input
// usage) … `content_block_delta` (text_delta, thinking_delta) … `message_delta` (stop reason,
// output usage) … `message_stop`, plus vecstruct's `event: vecstruct` right before `message_stop`
// and Anthropic's `event: error` for a stream that fails after it started. The handlers are the
// chat reader's, so the playground shows both dialects the same way (usage in prompt/completion terms).
import { ChatStreamError, openStream, sseEvents, type StreamHandlers, type Usage, type VecstructInfo } from "./chat-stream";

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Anthropic's error body `{"type":"error","error":{"type","message"}}` as the playground's error. */
function errorFrom(body: unknown, fallback: string): ChatStreamError {
  const e = (body as { error?: { message?: string; type?: string } } | null)?.error;
  return new ChatStreamError(e?.message ?? fallback, e?.type ?? null);
}

/** Input tokens as the chat dialect counts them: cache reads and writes are part of the prompt. */
const promptTokens = (u: AnthropicUsage) => (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);

/** Sends the request and feeds the handlers until message_stop; throws ChatStreamError on any error. */
export async function streamMessages(projectId: string, body: unknown, signal: AbortSignal, h: StreamHandlers): Promise<void> {
  const res = await openStream("/v1/messages", projectId, { "anthropic-version": "2023-06-01" }, body, signal, h, errorFrom);
  // message_start carries the input usage; message_delta the output (and, on translated upstreams
  // that know the input only at the end, the input too).
  let input: AnthropicUsage = {};
  let output = 0;
  const report = () => {
    const prompt = promptTokens(input);
    const usage: Usage = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
    h.onUsage(usage);
  };
  for await (const { event, data } of sseEvents(res.body)) {
    const parsed = JSON.parse(data) as {
      type?: string;
      message?: { usage?: AnthropicUsage };
      delta?: { type?: string; text?: string; thinking?: string };
      usage?: AnthropicUsage;
      error?: unknown;
    };
    if (event === "vecstruct") {
      h.onVecstruct(parsed as unknown as VecstructInfo);
      continue;
    }
    const type = parsed.type ?? event;
    if (type === "error") throw errorFrom(parsed, "The stream failed.");
    if (type === "message_start") {
      input = parsed.message?.usage ?? {};
      output = input.output_tokens ?? 0;
    } else if (type === "content_block_delta") {
      const delta = parsed.delta;
      if (delta?.type === "text_delta" && delta.text) h.onDelta(delta.text, "");
      else if (delta?.type === "thinking_delta" && delta.thinking) h.onDelta("", delta.thinking);
    } else if (type === "message_delta") {
      const u = parsed.usage ?? {};
      if (typeof u.output_tokens === "number") output = u.output_tokens;
      for (const k of ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] as const) if (typeof u[k] === "number") input = { ...input, [k]: u[k] };
      report();
    } else if (type === "message_stop") {
      return;
    }
  }
  throw new ChatStreamError("The stream ended before message_stop.", "api_error");
}
