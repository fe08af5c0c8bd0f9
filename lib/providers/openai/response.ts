// OpenAI chat answers (JSON and stream chunks), checked with loose zod schemas: what the gateway
// reads is validated, every other field is kept and forwarded as the upstream wrote it.
//
// Cost, measured on the fixtures' chunks: the schema costs about as much as the JSON.parse before it
// (0.7 µs on 0.9 µs in plain Node 20; 2–3 µs on 3 µs on a busy 2-core box under vitest), a small share
// of what relaying a chunk costs, so the stream path uses the schema too.
import { z } from "zod";
import { ApiError } from "../../errors";
import type { ChatCompletion, ChatCompletionChunk, FinishReason, ToolCall, ToolCallDelta, Usage } from "../types";

/**
 * A field the gateway forwards without reading it here (its readers check types themselves, e.g.
 * generatedText in lib/billing/chat.ts): only its JSON kind is checked, and it is typed as OpenAI
 * documents it. Compatible servers write null where OpenAI omits a field and name finish reasons of
 * their own (vLLM's "abort"); refusing those would fail answers the client reads fine today.
 */
const forwarded = <T>(kind: (v: unknown) => boolean) => z.custom<T>((v) => v === undefined || v === null || kind(v)).optional();
const isString = (v: unknown) => typeof v === "string";
const isArray = (v: unknown) => Array.isArray(v);
// Required in our types, so a missing one is null (what OpenAI sends until the last chunk).
const finishReason = z.custom<FinishReason | null>((v) => v === null || isString(v)).default(null);

// vLLM sends `"prompt_tokens_details": null`; a null count is read as absent (the client then sees none).
const optionalCount = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
const orAbsent = <T>(v: T | null | undefined) => v ?? undefined;
const promptDetails = z.looseObject({ cached_tokens: optionalCount }).nullish().transform(orAbsent);
const completionDetails = z.looseObject({ reasoning_tokens: optionalCount }).nullish().transform(orAbsent);

/** Usage priced by the gateway: the counts must be numbers; total_tokens is filled in when missing. */
export const usageSchema = z
  .looseObject({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number().optional(),
    prompt_tokens_details: promptDetails,
    completion_tokens_details: completionDetails,
  })
  .transform((u): Usage => ({ ...u, total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens }));

// Read by the gateway (per-choice text and token counts); a server that sends one choice without an
// index means choice 0.
const choiceIndex = z.number().default(0);

const envelope = {
  id: z.string().optional(),
  created: z.number().optional(),
  system_fingerprint: z.string().nullish(),
  usage: usageSchema.nullish(),
};

// Read by the gateway: content (audit text, memory extraction); the rest by generatedText's own checks.
// role and content are required in our type: an upstream that leaves one out gets OpenAI's value.
const messageSchema = z.looseObject({
  role: z.custom<"assistant">(isString).default("assistant"),
  content: z.string().nullable().default(null),
  reasoning_content: forwarded<string>(isString),
  refusal: forwarded<string>(isString),
  tool_calls: forwarded<ToolCall[]>(isArray),
});

const completionSchema = z.looseObject({
  ...envelope,
  object: forwarded<"chat.completion">(isString),
  choices: z.array(
    z.looseObject({
      index: choiceIndex,
      message: messageSchema,
      finish_reason: finishReason,
      logprobs: z.unknown().default(null),
    }),
  ),
});

const chunkSchema = z.looseObject({
  ...envelope,
  object: forwarded<"chat.completion.chunk">(isString),
  choices: z.array(
    z.looseObject({
      index: choiceIndex,
      delta: z.looseObject({
        role: forwarded<"assistant">(isString),
        // Text, or a list of content parts (Mistral's reasoning models stream [{type: "thinking"}, …]):
        // forwarded either way, as before; the gateway's readers take only text (gateway/chat.ts
        // checks typeof, generatedText too). A JSON answer's content is read as text, so it must be.
        content: forwarded<string | null>((v) => isString(v) || isArray(v)),
        reasoning_content: forwarded<string>(isString),
        tool_calls: forwarded<ToolCallDelta[]>(isArray),
      }),
      finish_reason: finishReason,
      logprobs: z.unknown().optional(),
    }),
  ),
});

// OpenAI's stream error event: `{"error": {"message": …}}` instead of a chunk.
const streamErrorSchema = z.looseObject({ error: z.union([z.looseObject({ message: z.string().optional() }), z.string()]) });

/** The JSON answer, under our model id; an upstream that omitted id/created gets ours. */
export function parseCompletion(body: unknown, ctx: { id: string; created: number; model: string }): ChatCompletion {
  const parsed = completionSchema.safeParse(body);
  if (!parsed.success) throw new ApiError("upstream_error", "The upstream answered with something that is not a chat.completion.");
  const c = parsed.data;
  return {
    ...c,
    id: c.id ?? ctx.id,
    object: c.object ?? "chat.completion",
    created: c.created ?? ctx.created,
    model: ctx.model,
    usage: c.usage ?? undefined,
  };
}

/** One SSE event's data → a chunk (null for [DONE]); an error event fails the stream. */
export function parseChunk(data: string, ctx: { id: string; created: number; model: string }): ChatCompletionChunk | null {
  if (data === "[DONE]") return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ApiError("upstream_error", "The upstream sent a malformed stream event.");
  }
  // An error event wins over anything else in it (a cheap key test first: this runs per chunk).
  if (typeof json === "object" && json !== null && "error" in json && json.error) {
    const failure = streamErrorSchema.safeParse(json);
    const error = failure.success ? failure.data.error : undefined;
    throw new ApiError("upstream_error", `The upstream failed mid-stream: ${(typeof error === "string" ? error : error?.message) ?? "unknown error"}`);
  }
  const parsed = chunkSchema.safeParse(json);
  if (!parsed.success) throw new ApiError("upstream_error", "The upstream sent a stream event that is not a chat.completion.chunk.");
  const c = parsed.data;
  return { ...c, id: c.id ?? ctx.id, object: c.object ?? "chat.completion.chunk", created: c.created ?? ctx.created, model: ctx.model };
}
