// The /v1/responses request (OpenAI Responses), with OpenAI's semantics and ranges (DESIGN §1
// "Three front doors"), and the Response object / stream events it answers with. Loose objects
// everywhere: a native OpenAI upstream receives the body unchanged (unknown fields included), and a
// translating path rejects what it cannot honour by name.
import { z } from "zod";
import { fallbackModels, providerPreferences } from "../tenancy/routing-prefs";
import { MAX_MODEL_ID } from "../catalog/model-id";
import { vecstructExtension } from "./chat";

export const inputText = z.looseObject({ type: z.literal("input_text"), text: z.string() });
export const inputImage = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["auto", "low", "high"]).nullish(),
});
export const inputFile = z.looseObject({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
export const outputText = z.looseObject({ type: z.literal("output_text"), text: z.string(), annotations: z.array(z.unknown()).nullish() });
export const refusalPart = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
/** Audio, computer screenshots…: accepted here, passed to OpenAI, rejected by name when translated. */
const otherPart = z.looseObject({ type: z.string() });
export const contentPart = z.union([inputText, inputImage, inputFile, outputText, refusalPart, otherPart]);

export const messageItem = z.looseObject({
  type: z.literal("message").optional(), // EasyInputMessage has no `type`
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
export const functionCallItem = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  // A call to a function inside a `namespace` tool (Codex's), as OpenAI returns it.
  namespace: z.string().nullish(),
  arguments: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
const toolOutput = z.union([z.string(), z.array(contentPart)]);
export const functionCallOutputItem = z.looseObject({ type: z.literal("function_call_output"), call_id: z.string().min(1), output: toolOutput, id: z.string().nullish(), status: z.string().nullish() });
export const summaryText = z.looseObject({ type: z.literal("summary_text"), text: z.string() });
export const reasoningItem = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string().nullish(),
  summary: z.array(summaryText),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).nullish(),
  encrypted_content: z.string().nullish(),
  status: z.string().nullish(),
});
export const customToolCallItem = z.looseObject({ type: z.literal("custom_tool_call"), call_id: z.string().min(1), name: z.string().min(1), input: z.string(), id: z.string().nullish() });
export const customToolCallOutputItem = z.looseObject({ type: z.literal("custom_tool_call_output"), call_id: z.string().min(1), output: toolOutput, id: z.string().nullish() });
/** Hosted tool calls, item references, compaction…: accepted here, rejected by name when translated. */
const otherItem = z.looseObject({ type: z.string() });

export const inputItem = z.union([messageItem, functionCallItem, functionCallOutputItem, reasoningItem, customToolCallItem, customToolCallOutputItem, otherItem]);

export const functionTool = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
export const customTool = z.looseObject({ type: z.literal("custom"), name: z.string().min(1), description: z.string().nullish(), format: z.looseObject({ type: z.string() }).nullish() });
/** Hosted tools (web_search, file_search, code_interpreter, mcp…), Codex's `namespace` tools. */
const otherTool = z.looseObject({ type: z.string() });
export const responsesTool = z.union([functionTool, customTool, otherTool]);

export const responsesToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);

export const textFormat = z.union([
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

export const reasoningConfig = z.looseObject({
  effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullish(),
  summary: z.enum(["auto", "concise", "detailed"]).nullish(),
  // Deprecated alias of `summary`.
  generate_summary: z.enum(["auto", "concise", "detailed"]).nullish(),
});

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesTool).nullish(),
  tool_choice: responsesToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.nullish(), verbosity: z.enum(["low", "medium", "high"]).nullish() }).nullish(),
  reasoning: reasoningConfig.nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  include: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.string().max(512)).nullish(),
  stream: z.boolean().nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  prompt_cache_key: z.string().nullish(),
  // Codex CLI's own field (installation id, session…): never a model input.
  client_metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z.string().nullish(),
  // OpenRouter's routing fields, as on chat (never sent upstream).
  models: fallbackModels.optional(),
  provider: providerPreferences.optional(),
  vecstruct: vecstructExtension.optional(),
});

export type ResponsesRequestWithExtension = z.infer<typeof responsesRequestSchema>;
/** What an upstream path sees: the Responses request without our extension and routing fields. */
export const responsesRequestWithoutExtension = responsesRequestSchema.omit({ vecstruct: true, models: true, provider: true });
// Inferred from the omitted schema: `Omit<>` over a loose object's type collapses to its index signature.
export type ResponsesRequest = z.infer<typeof responsesRequestWithoutExtension>;
export type InputItem = z.infer<typeof inputItem>;
export type ResponsesTool = z.infer<typeof responsesTool>;

/** Fields this schema knows; anything else is an "extra" a translating path must handle by name. */
export const KNOWN_RESPONSES_FIELDS = new Set(Object.keys(responsesRequestSchema.shape));

// ---- The response side (what /v1/responses answers), as OpenAI defines it.

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface OutputTextPart {
  type: "output_text";
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}
export interface SummaryTextPart {
  type: "summary_text";
  text: string;
}

export type OutputItem =
  | { type: "message"; id: string; role: "assistant"; status: ItemStatus; content: (OutputTextPart | { type: "refusal"; refusal: string })[] }
  | { type: "function_call"; id: string; call_id: string; name: string; namespace?: string; arguments: string; status: ItemStatus }
  | { type: "reasoning"; id: string; summary: SummaryTextPart[]; encrypted_content?: string | null; status?: ItemStatus };

export type ItemStatus = "in_progress" | "completed" | "incomplete";
export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseObject {
  id: string; // resp_…
  object: "response";
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  model: string; // the id the client asked for
  output: OutputItem[];
  usage: ResponsesUsage | null;
  [k: string]: unknown;
}

type Seq = { sequence_number: number };
type At = { item_id: string; output_index: number };
/** One SSE event of a Responses stream: `event: <type>` with `data: <the object>`. */
export type ResponsesStreamEvent = Seq &
  (
    | { type: "response.created" | "response.in_progress" | "response.completed" | "response.incomplete" | "response.failed"; response: ResponseObject }
    | { type: "response.output_item.added" | "response.output_item.done"; output_index: number; item: OutputItem }
    | (At & { type: "response.content_part.added" | "response.content_part.done"; content_index: number; part: OutputTextPart | { type: "refusal"; refusal: string } })
    | (At & { type: "response.output_text.delta"; content_index: number; delta: string; logprobs: unknown[] })
    | (At & { type: "response.output_text.done"; content_index: number; text: string; logprobs: unknown[] })
    | (At & { type: "response.refusal.delta"; content_index: number; delta: string })
    | (At & { type: "response.refusal.done"; content_index: number; refusal: string })
    | (At & { type: "response.function_call_arguments.delta"; delta: string })
    | (At & { type: "response.function_call_arguments.done"; arguments: string; name: string })
    | (At & { type: "response.reasoning_summary_part.added" | "response.reasoning_summary_part.done"; summary_index: number; part: SummaryTextPart })
    | (At & { type: "response.reasoning_summary_text.delta"; summary_index: number; delta: string })
    | (At & { type: "response.reasoning_summary_text.done"; summary_index: number; text: string })
    | { type: "error"; code: string | null; message: string; param: string | null }
  );
