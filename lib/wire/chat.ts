// Wire types shared by the /v1 surface and the providers (DESIGN.md §4: below both). The /v1/chat/completions request, with OpenAI's semantics and ranges. Loose objects: a field we
// do not know is kept, so OpenAI-compatible upstreams receive it and translating adapters can
// reject it by name (never silently dropped).
import { z } from "zod";
import { requestCacheOption } from "../cache/settings";
import { fallbackModels, providerPreferences } from "../tenancy/routing-prefs";

/** A longer `model` is a 400 on every /v1 endpoint: no catalog id is this long (DESIGN.md §3b). */
export { MAX_MODEL_ID } from "../catalog/model-id";
import { MAX_MODEL_ID } from "../catalog/model-id";

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const otherPart = z.looseObject({ type: z.string() });
export const contentPart = z.union([textPart, imagePart, otherPart]);
const content = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function").default("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content, name: z.string().optional() }),
  z.looseObject({ role: z.literal("developer"), content, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: content.nullish(),
    name: z.string().optional(),
    tool_calls: z.array(toolCall).optional(),
    reasoning_content: z.string().nullish(),
    refusal: z.string().nullish(),
  }),
  z.looseObject({ role: z.literal("tool"), content, tool_call_id: z.string() }),
]);

export const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "function names are 1-64 characters of a-z, A-Z, 0-9, _ and -"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

export const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const vecstructExtension = z.strictObject({
  project_id: z.string().min(1).optional(),
  rag: z.boolean().optional(),
  rag_top_k: z.number().int().min(1).max(50).optional(),
  rag_source_ids: z.array(z.string().min(1)).max(1000).optional(),
  rag_min_similarity: z.number().min(0).max(1).optional(),
  use_memory: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  cache: requestCacheOption.optional(),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  messages: z.array(message).min(1),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().nullish(),
  tools: z.array(tool).max(128).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormat.nullish(),
  reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high"]).nullish(),
  modalities: z.array(z.enum(["text", "audio"])).nullish(),
  // OpenRouter's routing fields: fallback models and provider preferences (never sent upstream).
  models: fallbackModels.optional(),
  provider: providerPreferences.optional(),
  vecstruct: vecstructExtension.optional(),
});

export type ChatRequestWithExtension = z.infer<typeof chatRequestSchema>;
/** What adapters see: the OpenAI request without our extension. */
export const chatRequestWithoutExtension = chatRequestSchema.omit({ vecstruct: true, models: true, provider: true });
export type ChatRequest = z.infer<typeof chatRequestWithoutExtension>;
export type ChatMessage = z.infer<typeof message>;
export type ContentPart = z.infer<typeof contentPart>;
export type VecstructExtension = z.infer<typeof vecstructExtension>;

/** Fields this schema knows; anything else on a request is an "extra" an adapter must handle. */
export const KNOWN_CHAT_FIELDS = new Set(Object.keys(chatRequestSchema.shape));
