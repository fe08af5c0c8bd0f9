// A Responses stream to the client (lib/gateway/event-stream.ts with OpenAI's Responses events):
// headers wait for the first output item (or a response that ends without one); a later failure is
// one OpenAI `error` event numbered after the last event sent. The `vecstruct` payload rides on the
// `response` of the terminal event (an unknown event would break the OpenAI SDKs' stream typing).
import { ApiError } from "../../errors";
import type { SequenceCounter } from "./translate";
import { encodeResponsesEvent, responsesErrorEvent } from "./translate";
import type { EventDialect, OutEvent } from "../event-stream";

const STARTS = new Set(["response.output_item.added", "response.completed", "response.incomplete", "response.failed"]);
const ENDS = new Set(["response.completed", "response.incomplete"]);

/** An upstream's `error` event, or a response that failed: ours, so the router may retry or fall back. */
function upstreamError(e: OutEvent): ApiError | null {
  let error: { code?: unknown; message?: unknown } | null | undefined;
  if (e.type === "error") error = e.data;
  else if (e.type === "response.failed") error = (e.data.response as { error?: { code?: unknown; message?: unknown } | null } | undefined)?.error ?? {};
  else return null;
  const code = typeof error?.code === "string" ? error.code : "server_error";
  const detail = typeof error?.message === "string" ? error.message.slice(0, 500) : "no message";
  const rateLimited = code.includes("rate_limit");
  const err = rateLimited
    ? new ApiError("rate_limit_exceeded", `The upstream is rate limiting requests (${detail}).`)
    : new ApiError("upstream_error", `The upstream failed (${code}: ${detail}).`);
  err.upstreamStatus = rateLimited ? 429 : 500;
  return err;
}

export function responsesEventDialect(counter: SequenceCounter): EventDialect {
  return {
    starts: STARTS,
    ends: ENDS,
    upstreamError,
    errorEvent: (err) => encodeResponsesEvent(responsesErrorEvent({ code: err.code, message: err.message, param: err.param }, counter)),
    finalText: (e, extension) => {
      if (extension === null) return e.text;
      const data = { ...e.data, response: { ...(e.data.response as Record<string, unknown>), vecstruct: extension } };
      return `event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`;
    },
  };
}
