// An Anthropic Messages request → the OpenAI chat request the upstream's adapter takes (DESIGN §1
// "Three front doors": hints without a counterpart are warnings, output-changing fields are
// translated or a 400 naming them).
import { ApiError } from "../../../errors";
import type { ChatRequest } from "../../../wire/chat";
import { KNOWN_MESSAGES_FIELDS, type MessagesRequest } from "../../../wire/messages";
import { convertMessages } from "./content";
import { Notes } from "./notes";
import { convertTools } from "./tools";
import type { Protocol, Req, TranslateOptions } from "./types";

type Effort = NonNullable<ChatRequest["reasoning_effort"]>;

/** Our extension and routing fields: the endpoint's business, never sent upstream. */
const GATEWAY_FIELDS = new Set(["vecstruct", "models", "provider"]);
/** Stop sequences per request: OpenAI's limit (also our chat front door's), Gemini's. */
const STOP_LIMIT: Record<Protocol, number | null> = { openai: 4, google: 5, "openai-compatible": null };

export function toChatRequest(request: MessagesRequest, opts: TranslateOptions, warnings: string[]): ChatRequest {
  const req = request as Req;
  const notes = new Notes(warnings);
  rejectUnknownFields(req, notes);
  if (opts.betas.length > 0) {
    notes.once("betas", `anthropic-beta has no effect on this model and was ignored (${opts.betas.join(", ")}).`);
  }

  const chat: ChatRequest = {
    model: req.model,
    messages: convertMessages(req, { protocol: opts.protocol, notes }),
    ...convertTools(req, notes),
  };
  if (req.stream !== undefined) chat.stream = req.stream;
  // OpenAI's reasoning models only take max_completion_tokens; compatible servers (vLLM, DeepSeek, …)
  // know max_tokens; the Gemini adapter reads either.
  if (opts.protocol === "openai-compatible") chat.max_tokens = req.max_tokens;
  else chat.max_completion_tokens = req.max_tokens;
  if (req.temperature !== undefined) chat.temperature = req.temperature;
  if (req.top_p !== undefined) chat.top_p = req.top_p;
  if (req.top_k !== undefined) {
    // vLLM, SGLang, OpenRouter, Together… take top_k; OpenAI has none; the Gemini adapter has no field for it.
    if (opts.protocol !== "openai-compatible") throw new ApiError("unsupported_parameter", "top_k is not supported for this model.", { param: "top_k" });
    (chat as Record<string, unknown>).top_k = req.top_k;
  }
  const stop = stopSequences(req, opts.protocol);
  if (stop) chat.stop = stop;
  const effort = reasoningEffort(req, opts, notes);
  if (effort) chat.reasoning_effort = effort;
  const format = responseFormat(req);
  if (format) chat.response_format = format;
  metadata(req, notes);
  return chat;
}

function rejectUnknownFields(req: Req, notes: Notes): void {
  for (const [key, value] of Object.entries(req)) {
    if (KNOWN_MESSAGES_FIELDS.has(key) || GATEWAY_FIELDS.has(key) || value === undefined || value === null) continue;
    if (key === "context_management") {
      notes.once("context_management", "context_management has no effect on this model and was ignored.");
      continue;
    }
    throw new ApiError("unsupported_parameter", `Unrecognized request argument for this model: ${key}.`, { param: key });
  }
}

function stopSequences(req: Req, protocol: Protocol): string[] | undefined {
  const stop = req.stop_sequences;
  if (!stop || stop.length === 0) return undefined;
  const limit = STOP_LIMIT[protocol];
  if (limit !== null && stop.length > limit) {
    throw new ApiError("invalid_value", `This model takes at most ${limit} stop_sequences.`, { param: "stop_sequences" });
  }
  return stop;
}

/** budget_tokens → the nearest OpenAI effort (the Gemini adapter budgets 1024 / 8192 / 24576 for them). */
function effortForBudget(budget: number): Effort {
  if (budget <= 2048) return "low";
  if (budget <= 12288) return "medium";
  return "high";
}

const EFFORTS: Record<string, Effort> = { low: "low", medium: "medium", high: "high", max: "high" };

function reasoningEffort(req: Req, opts: TranslateOptions, notes: Notes): Effort | undefined {
  const thinking = req.thinking;
  const effort = req.output_config?.effort;
  if (thinking) {
    for (const key of Object.keys(thinking)) {
      if (!["type", "budget_tokens", "display"].includes(key)) throw new ApiError("unsupported_parameter", `Unknown thinking field '${key}'.`, { param: `thinking.${key}` });
    }
  }
  if (!opts.reasoning) {
    // Adaptive means "think if useful": without a reasoning control that is no reasoning, silently.
    if (thinking?.type === "enabled") notes.once("thinking", "This model has no reasoning control: thinking was ignored and the answer has no thinking blocks.");
    if (effort) notes.once("effort", "output_config.effort has no effect on this model (it has no reasoning control) and was ignored.");
    return undefined;
  }
  if (thinking?.type === "disabled") {
    notes.once("thinking", "thinking.disabled: this model reasons as its upstream does by default; reasoning it returns comes back as thinking blocks.");
    return undefined;
  }
  if (effort) return EFFORTS[effort];
  if (thinking?.type === "enabled") {
    const mapped = effortForBudget(thinking.budget_tokens);
    notes.once("thinking", `thinking.budget_tokens ${thinking.budget_tokens} was mapped to reasoning_effort "${mapped}" (this model takes an effort, not a budget).`);
    return mapped;
  }
  // Adaptive without an effort: the upstream's own default.
  return undefined;
}

function responseFormat(req: Req): ChatRequest["response_format"] {
  const config = req.output_config as Record<string, unknown> | undefined;
  if (!config) return undefined;
  for (const key of Object.keys(config)) {
    if (key !== "effort" && key !== "format") throw new ApiError("unsupported_parameter", `Unknown output_config field '${key}'.`, { param: `output_config.${key}` });
  }
  const format = config.format as Record<string, unknown> | null | undefined;
  if (format == null) return undefined;
  if (format.type !== "json_schema" || typeof format.schema !== "object" || format.schema === null) {
    throw new ApiError("invalid_value", "output_config.format must be {type: \"json_schema\", schema}.", { param: "output_config.format" });
  }
  // Anthropic's structured outputs always follow the schema: OpenAI's strict mode is the counterpart.
  return { type: "json_schema", json_schema: { name: "output", schema: format.schema as Record<string, unknown>, strict: true } };
}

function metadata(req: Req, notes: Notes): void {
  const meta = req.metadata;
  if (!meta) return;
  for (const key of Object.keys(meta)) {
    if (key !== "user_id") throw new ApiError("unsupported_parameter", `Unknown metadata field '${key}'.`, { param: `metadata.${key}` });
  }
  if (meta.user_id) notes.once("metadata.user_id", "metadata.user_id has no effect on this model and was ignored.");
}
