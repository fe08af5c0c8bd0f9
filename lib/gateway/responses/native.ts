// The native path: a /v1/responses request to a model whose upstream serves OpenAI's Responses API
// goes upstream with only `model` rewritten (our `vecstruct` / `models` / `provider` fields removed,
// a stored conversation expanded into `input`, RAG / memory context added to `instructions`). The
// answer comes back unchanged except the Response object's `model` (and the client's
// `previous_response_id`, which the upstream never saw): JSON as parsed, a stream event by event with
// only the events that carry the Response object re-serialised.
import type { AuditDraft } from "../../audit/draft";
import { ApiError } from "../../errors";
import { responsesAdapterFor } from "../../providers/registry";
import { responseObjectSchema, responsesUsageSchema, responsesUsageToChat } from "../../providers/openai/responses";
import type { Usage } from "../../providers/types";
import { callUpstream, readUpstreamJson } from "../../upstream/call";
import type { Target } from "../../upstream/invoke";
import type { OutEvent } from "../event-stream";
import { rawSseEvents, type RawSseEvent } from "../messages/raw-sse";
import type { SequenceCounter } from "./translate";

export interface NativeAnswer {
  response: Record<string, unknown>;
  usage: Usage | null;
}

/** What the client sees of the upstream's Response object: our model id, its previous_response_id. */
function echo(response: Record<string, unknown>, model: string, previousId: string | null): Record<string, unknown> {
  return { ...response, model, ...(previousId ? { previous_response_id: previousId } : {}) };
}

function upstreamOf(target: Target, body: Record<string, unknown>, stream: boolean) {
  const adapter = responsesAdapterFor(target.provider.protocol);
  if (!adapter) throw new ApiError("invalid_value", `'${target.model.id}' does not serve /v1/responses natively.`, { param: "model" });
  const upstream = adapter.buildRequest(body, { baseUrl: target.provider.baseUrl, apiKey: target.provider.apiKey, upstreamModel: target.model.upstreamModel }, { stream });
  return { adapter, upstream };
}

export async function nativeJsonAttempt(audit: AuditDraft, body: Record<string, unknown>, target: Target, previousId: string | null): Promise<NativeAnswer> {
  const { adapter, upstream } = upstreamOf(target, body, false);
  const res = await callUpstream({ audit, abort: target.abort }, target.model, upstream, adapter.mapError, target.provider);
  const parsed = responseObjectSchema.safeParse(await readUpstreamJson(res, target.abort));
  if (!parsed.success) throw new ApiError("upstream_error", "The openai upstream returned a response this gateway could not read.");
  return { response: echo(parsed.data, target.model.id, previousId), usage: parsed.data.usage ? responsesUsageToChat(parsed.data.usage) : null };
}

const RESPONSE_EVENTS = new Set(["response.created", "response.in_progress", "response.completed", "response.incomplete", "response.failed", "response.queued"]);

/** What a native stream reports as it goes (per attempt). */
export class NativeStreamState {
  usage: Usage | null = null;
  /** The next sequence_number after the upstream's last: our own error event is numbered with it. */
  readonly counter: SequenceCounter = { next: 0 };

  observe(e: OutEvent): void {
    if (typeof e.data.sequence_number === "number") this.counter.next = e.data.sequence_number + 1;
    if (!RESPONSE_EVENTS.has(e.type)) return;
    const usage = responsesUsageSchema.safeParse((e.data.response as { usage?: unknown } | undefined)?.usage);
    if (usage.success && usage.data) this.usage = responsesUsageToChat(usage.data);
  }
}

function parseData(data: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(data); // a SyntaxError is the upstream's malformed event (event-stream)
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ApiError("upstream_error", "The upstream sent a malformed stream event.");
  return parsed as Record<string, unknown>;
}

/** The upstream's events, unchanged but for the Response object's `model` (and previous_response_id). */
export function relayNativeEvents(model: string, previousId: string | null): TransformStream<RawSseEvent, OutEvent> {
  return new TransformStream({
    transform(raw, controller) {
      if (raw.data === "" || raw.data === "[DONE]") return;
      const data = parseData(raw.data);
      const type = typeof data.type === "string" ? data.type : (raw.event ?? "");
      if (RESPONSE_EVENTS.has(type) && data.response && typeof data.response === "object") {
        const rewritten = { ...data, response: echo(data.response as Record<string, unknown>, model, previousId) };
        controller.enqueue({ type, text: `event: ${type}\ndata: ${JSON.stringify(rewritten)}\n\n`, data: rewritten });
        return;
      }
      controller.enqueue({ type, text: raw.text, data });
    },
  });
}

export async function nativeStreamAttempt(audit: AuditDraft, body: Record<string, unknown>, target: Target, previousId: string | null): Promise<ReadableStream<OutEvent>> {
  const { adapter, upstream } = upstreamOf(target, body, true);
  const res = await callUpstream({ audit, abort: target.abort }, target.model, upstream, adapter.mapError, target.provider);
  if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
  return res.body.pipeThrough(rawSseEvents()).pipeThrough(relayNativeEvents(target.model.id, previousId));
}
