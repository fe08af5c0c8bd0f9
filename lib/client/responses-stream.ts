// Reads our own /v1/responses answer the way an OpenAI client would: a stream of `event: <type>`
// Responses events (response.created … response.output_text.delta … response.completed, or
// response.incomplete / response.failed / `error`), or a Response object when the route answered
// without streaming. vecstruct's extension rides on the final Response (`response.vecstruct` of
// response.completed; top-level `vecstruct` of a JSON answer). The handlers are the chat reader's,
// so the playground shows all three dialects the same way (usage in prompt/completion terms).
import type { ResponseObject, ResponsesStreamEvent, ResponsesUsage } from "@/lib/wire/responses";
import { ChatStreamError, errorFrom, openStream, sseEvents, type StreamHandlers, type VecstructInfo } from "./chat-stream";

type FinalResponse = Pick<ResponseObject, "status" | "error" | "output"> & { usage?: ResponsesUsage | null; vecstruct?: VecstructInfo };

/** Usage, vecstruct and (for a failed response) the error of the final Response object. */
function finish(r: FinalResponse, h: StreamHandlers): void {
  if (r.usage) h.onUsage({ prompt_tokens: r.usage.input_tokens, completion_tokens: r.usage.output_tokens, total_tokens: r.usage.total_tokens });
  if (r.vecstruct) h.onVecstruct(r.vecstruct);
  if (r.status === "failed") throw new ChatStreamError(r.error?.message ?? "The response failed.", r.error?.code ?? null);
}

/** A non-streamed Response object: its text and reasoning summaries at once, then usage and vecstruct. */
export function readResponseObject(r: FinalResponse, h: StreamHandlers): void {
  const text: string[] = [];
  const reasoning: string[] = [];
  for (const item of r.output ?? []) {
    if (item.type === "message") for (const part of item.content) text.push(part.type === "output_text" ? part.text : part.refusal);
    else if (item.type === "reasoning") reasoning.push(...item.summary.map((s) => s.text));
  }
  if (text.length || reasoning.length) h.onDelta(text.join(""), reasoning.join("\n\n"));
  finish(r, h);
}

/** Sends the request and feeds the handlers until the response ends; throws ChatStreamError on any error. */
export async function streamResponses(projectId: string, body: unknown, signal: AbortSignal, h: StreamHandlers): Promise<void> {
  const res = await openStream("/v1/responses", projectId, {}, body, signal, h, errorFrom);
  if (res.headers.get("content-type")?.includes("application/json")) return readResponseObject((await res.json()) as FinalResponse, h);
  let reasoned = false;
  for await (const { data } of sseEvents(res.body)) {
    const e = JSON.parse(data) as ResponsesStreamEvent;
    switch (e.type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        h.onDelta(e.delta, "");
        break;
      // Each summary part after the first (of this or a later reasoning item) starts a new paragraph.
      case "response.reasoning_summary_part.added":
        if (reasoned) h.onDelta("", "\n\n");
        break;
      case "response.reasoning_summary_text.delta":
        reasoned = true;
        h.onDelta("", e.delta);
        break;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        return finish(e.response as FinalResponse, h);
      case "error":
        throw new ChatStreamError(e.message, e.code);
    }
  }
  throw new ChatStreamError("The stream ended before response.completed.", "server_error");
}
