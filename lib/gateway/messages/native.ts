// The native path: a /v1/messages request to an Anthropic-protocol model goes upstream losslessly.
// The body is the client's (unknown and beta fields, cache_control, thinking signatures included)
// with only `model` rewritten (and our own `vecstruct` / `models` / `provider` fields removed, plus
// any RAG / memory context appended to `system`); `anthropic-version` and `anthropic-beta` are
// forwarded. The answer comes back unchanged except `model`: JSON as parsed, a stream event by event
// with only message_start re-serialised.
import { z } from "zod";
import { ApiError } from "../../errors";
import { mapAnthropicError } from "../../providers/anthropic/error";
import { ANTHROPIC_VERSION, messagesUrl } from "../../providers/anthropic/request";
import { mergeUsage, toOpenAIUsage } from "../../providers/anthropic/usage";
import type { AnthropicUsage } from "../../providers/anthropic/wire";
import type { UpstreamRequest, Usage } from "../../providers/types";
import { callUpstream, readUpstreamJson } from "../../upstream/call";
import type { Target } from "../../upstream/invoke";
import type { AuditDraft } from "../../audit/draft";
import type { MessagesOut } from "./stream-out";
import { rawSseEvents } from "./raw-sse";

/** The client headers an Anthropic upstream gets as they were sent. */
export function nativeHeaders(target: Target, client: Headers): Record<string, string> {
  const headers: Record<string, string> = {
    "x-api-key": target.provider.apiKey,
    "anthropic-version": client.get("anthropic-version")?.trim() || ANTHROPIC_VERSION,
    "content-type": "application/json",
  };
  const beta = client.get("anthropic-beta");
  if (beta) headers["anthropic-beta"] = beta;
  return headers;
}

/** `/v1/messages` (or `/count_tokens`) on the credential's base URL; the SDKs' `?beta=true` is kept. */
export function nativeUrl(target: Target, clientUrl: string, suffix = ""): string {
  const beta = new URL(clientUrl, "http://local").searchParams.get("beta") === "true";
  return `${messagesUrl(target.provider.baseUrl)}${suffix}${beta ? "?beta=true" : ""}`;
}

export function nativeRequest(body: Record<string, unknown>, target: Target, client: { headers: Headers; url: string }, suffix = ""): UpstreamRequest {
  return { url: nativeUrl(target, client.url, suffix), headers: nativeHeaders(target, client.headers), body: { ...body, model: target.model.upstreamModel }, warnings: [] };
}

const count = z.number().nullish();
const usageSchema = z.looseObject({ input_tokens: count, output_tokens: count, cache_creation_input_tokens: count, cache_read_input_tokens: count });
const messageSchema = z.looseObject({ type: z.literal("message"), content: z.array(z.looseObject({ type: z.string() })), usage: usageSchema });

export interface NativeMessage {
  message: Record<string, unknown>;
  usage: Usage;
  text: string;
}

/** One non-streaming attempt: the upstream's message with our `model`. */
export async function nativeJsonAttempt(audit: AuditDraft, body: Record<string, unknown>, target: Target, client: { headers: Headers; url: string }): Promise<NativeMessage> {
  const res = await callUpstream({ audit, abort: target.abort }, target.model, nativeRequest(body, target, client), mapAnthropicError, target.provider);
  const parsed = messageSchema.safeParse(await readUpstreamJson(res, target.abort));
  if (!parsed.success) throw new ApiError("upstream_error", "The anthropic upstream returned a response this gateway could not read.");
  const text = parsed.data.content.map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
  return { message: { ...parsed.data, model: target.model.id }, usage: toOpenAIUsage(parsed.data.usage), text };
}

/** What a native stream reports as it goes (per attempt: a retried attempt's usage is not kept). */
export class NativeStreamState {
  usage: AnthropicUsage | null = null;
  /** message_delta arrived: its usage is the final count (cumulative, Anthropic's rule). */
  final = false;

  observe(e: MessagesOut): void {
    if (e.type === "message_start") this.usage = mergeUsage(this.usage ?? {}, (e.data.message as { usage?: unknown } | undefined)?.usage);
    else if (e.type === "message_delta") {
      this.usage = mergeUsage(this.usage ?? {}, e.data.usage);
      this.final = true;
    }
  }

  billable(): Usage | null {
    return this.usage ? toOpenAIUsage(this.usage) : null;
  }
}

function parseData(data: string): Record<string, unknown> {
  if (data === "") return {};
  const parsed: unknown = JSON.parse(data); // a SyntaxError is the upstream's malformed event (stream-out)
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ApiError("upstream_error", "The upstream sent a malformed stream event.");
  return parsed as Record<string, unknown>;
}

/** One streaming attempt: the upstream's events, unchanged but for message_start's `model`. */
export async function nativeStreamAttempt(audit: AuditDraft, body: Record<string, unknown>, target: Target, client: { headers: Headers; url: string }): Promise<ReadableStream<MessagesOut>> {
  const res = await callUpstream({ audit, abort: target.abort }, target.model, nativeRequest(body, target, client), mapAnthropicError, target.provider);
  if (!res.body) throw new ApiError("upstream_error", "The upstream answered without a body.");
  const model = target.model.id;
  return res.body.pipeThrough(rawSseEvents()).pipeThrough(
    new TransformStream({
      transform(raw, controller) {
        const data = parseData(raw.data);
        const type = typeof data.type === "string" ? data.type : (raw.event ?? "");
        if (type === "message_start" && data.message && typeof data.message === "object") {
          const rewritten = { ...data, message: { ...(data.message as Record<string, unknown>), model } };
          controller.enqueue({ type, text: `event: message_start\ndata: ${JSON.stringify(rewritten)}\n\n`, data: rewritten });
          return;
        }
        controller.enqueue({ type, text: raw.text, data });
      },
    }),
  );
}
