// An OpenAI Responses request → the OpenAI chat request the upstream's adapter takes (DESIGN §1
// "Three front doors": hints without a counterpart are warnings, output-changing fields are
// translated or a 400 naming them). State (`store`, `previous_response_id`) is the endpoint's
// business: it resolves a previous response into `input` before calling this.
import { ApiError } from "../../../errors";
import type { ChatRequest } from "../../../wire/chat";
import { KNOWN_RESPONSES_FIELDS, type ResponsesRequest } from "../../../wire/responses";
import { convertInput } from "./items";
import { Notes } from "./notes";
import { convertTools } from "./tools";
import type { Req, TranslateOptions } from "./types";

type Effort = NonNullable<ChatRequest["reasoning_effort"]>;

/** Our extension and routing fields, and the state fields the endpoint handles: never sent upstream. */
const GATEWAY_FIELDS = new Set(["vecstruct", "models", "provider", "store", "previous_response_id", "metadata"]);
/** What `include` may ask for here: the rest names hosted tools' outputs or logprobs. */
const INCLUDABLE = new Set(["reasoning.encrypted_content"]);

export function toChatRequest(request: ResponsesRequest, opts: TranslateOptions, warnings: string[]): ChatRequest {
  const req = request as Req;
  const notes = new Notes(warnings);
  for (const [key, value] of Object.entries(req)) {
    if (KNOWN_RESPONSES_FIELDS.has(key) || GATEWAY_FIELDS.has(key) || value === undefined || value === null) continue;
    throw new ApiError("unsupported_parameter", `Unrecognized request argument for this model: ${key}.`, { param: key });
  }
  const chat: ChatRequest = {
    model: req.model,
    messages: convertInput(req, { protocol: opts.protocol, notes }),
    ...convertTools(req),
  };
  if (req.stream != null) {
    chat.stream = req.stream;
    // Usage in the stream: the Responses usage object is always filled.
    if (req.stream) chat.stream_options = { include_usage: true };
  }
  if (req.max_output_tokens != null) {
    // OpenAI's reasoning models only take max_completion_tokens; compatible servers know max_tokens.
    if (opts.protocol === "openai-compatible") chat.max_tokens = req.max_output_tokens;
    else chat.max_completion_tokens = req.max_output_tokens;
  }
  if (req.temperature != null) chat.temperature = req.temperature;
  if (req.top_p != null) chat.top_p = req.top_p;
  if (req.user != null) chat.user = req.user;
  const format = responseFormat(req);
  if (format) chat.response_format = format;
  const effort = reasoningEffort(req, opts, notes);
  if (effort) chat.reasoning_effort = effort;
  hints(req, opts, chat, notes);
  return chat;
}

function responseFormat(req: Req): ChatRequest["response_format"] {
  const text = req.text as Record<string, unknown> | null | undefined;
  if (!text) return undefined;
  for (const key of Object.keys(text)) {
    if (key !== "format" && key !== "verbosity") throw new ApiError("unsupported_parameter", `Unknown text field '${key}'.`, { param: `text.${key}` });
  }
  const format = req.text?.format;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  const f = format as { name: string; schema: Record<string, unknown>; description?: string | null; strict?: boolean | null };
  const json_schema: Extract<NonNullable<ChatRequest["response_format"]>, { type: "json_schema" }>["json_schema"] = { name: f.name, schema: f.schema };
  if (f.description != null) json_schema.description = f.description;
  if (f.strict != null) json_schema.strict = f.strict;
  return { type: "json_schema", json_schema };
}

function reasoningEffort(req: Req, opts: TranslateOptions, notes: Notes): Effort | undefined {
  const reasoning = req.reasoning;
  if (!reasoning) return undefined;
  for (const key of Object.keys(reasoning)) {
    if (!["effort", "summary", "generate_summary"].includes(key)) throw new ApiError("unsupported_parameter", `Unknown reasoning field '${key}'.`, { param: `reasoning.${key}` });
  }
  const summary = reasoning.summary ?? reasoning.generate_summary;
  // Translated models give their reasoning as they produce it: that text is the summary.
  if (summary === "concise" || summary === "detailed") notes.once("summary", `reasoning.summary "${summary}": this model's reasoning summary is the reasoning text its upstream returns.`);
  const effort = reasoning.effort;
  if (effort == null) return undefined;
  if (!opts.reasoning) {
    notes.once("effort", "reasoning.effort has no effect on this model (it has no reasoning control) and was ignored.");
    return undefined;
  }
  if (effort === "xhigh") {
    notes.once("effort", 'reasoning.effort "xhigh" was sent as "high", this model\'s highest effort.');
    return "high";
  }
  return effort;
}

function hints(req: Req, opts: TranslateOptions, chat: ChatRequest, notes: Notes): void {
  for (const [j, entry] of (req.include ?? []).entries()) {
    if (!INCLUDABLE.has(entry)) throw new ApiError("unsupported_parameter", `include '${entry}' is not supported for this model.`, { param: `include[${j}]` });
  }
  if (req.truncation === "auto") notes.once("truncation", 'truncation "auto" has no effect on this model: a conversation over its context window fails instead of being truncated.');
  if (req.text?.verbosity != null) notes.once("verbosity", "text.verbosity has no effect on this model and was ignored.");
  if (req.prompt_cache_key != null) {
    // OpenAI's chat API takes the same key; other upstreams cache on their own, or not at all.
    if (opts.protocol === "openai") (chat as Record<string, unknown>).prompt_cache_key = req.prompt_cache_key;
    else notes.once("prompt_cache_key", "prompt_cache_key has no effect on this model and was ignored.");
  }
  if (req.client_metadata != null) notes.once("client_metadata", "client_metadata has no effect on this model and was ignored.");
}
