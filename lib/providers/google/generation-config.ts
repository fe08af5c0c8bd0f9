// OpenAI sampling / output parameters → Gemini generationConfig.
import { ApiError } from "../../errors";
import type { ChatRequest } from "../../wire/chat";
import { convertSchema } from "./schema-convert";
import type { JsonObject } from "./wire";

/**
 * reasoning_effort → thinkingBudget (tokens). Every value except `none` is inside the range of all
 * Gemini 2.5 models (Pro 128-32768, Flash 0-24576, Flash-Lite 512-24576); Gemini 3 accepts budgets
 * for compatibility. `none` is 0, which models that cannot stop thinking (2.5 Pro) answer with a 400.
 */
export const THINKING_BUDGET = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576 } as const;

export function generationConfig(req: ChatRequest): JsonObject | undefined {
  rejectUnsupported(req);
  const config: JsonObject = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) config[key] = value;
  };
  set("temperature", req.temperature);
  set("topP", req.top_p);
  set("maxOutputTokens", req.max_completion_tokens ?? req.max_tokens);
  set("stopSequences", typeof req.stop === "string" ? [req.stop] : req.stop);
  set("candidateCount", req.n);
  set("seed", req.seed);
  set("presencePenalty", req.presence_penalty);
  set("frequencyPenalty", req.frequency_penalty);
  if (req.logprobs) {
    config.responseLogprobs = true;
    set("logprobs", req.top_logprobs || undefined);
  }
  Object.assign(config, responseFormat(req.response_format));
  if (req.reasoning_effort) {
    const thinkingBudget = THINKING_BUDGET[req.reasoning_effort];
    config.thinkingConfig = thinkingBudget === 0 ? { thinkingBudget } : { thinkingBudget, includeThoughts: true };
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function rejectUnsupported(req: ChatRequest): void {
  if (req.logit_bias && Object.keys(req.logit_bias).length > 0) {
    throw new ApiError("unsupported_parameter", "logit_bias is not supported by Gemini models.", { param: "logit_bias" });
  }
  if (req.modalities?.includes("audio")) {
    throw new ApiError("unsupported_parameter", "Audio output is not supported for Gemini models through this endpoint.", { param: "modalities" });
  }
  if (req.top_logprobs != null && req.top_logprobs > 0 && !req.logprobs) {
    throw new ApiError("invalid_value", "top_logprobs requires logprobs to be true.", { param: "top_logprobs" });
  }
}

function responseFormat(format: ChatRequest["response_format"]): JsonObject {
  if (!format || format.type === "text") return {};
  if (format.type === "json_object") return { responseMimeType: "application/json" };
  const schema = format.json_schema.schema;
  if (!schema) return { responseMimeType: "application/json" };
  const converted = convertSchema(schema, { ordering: true });
  return {
    responseMimeType: "application/json",
    [converted.kind === "openapi" ? "responseSchema" : "responseJsonSchema"]: converted.schema,
  };
}
