// OpenAI chat request → the Anthropic Messages API call.
import { joinUrl } from "../url";
import type { ChatRequest } from "../../wire/chat";
import type { UpstreamRequest, UpstreamTarget } from "../types";
import { convertMessages } from "./messages";
import { rejectUntranslatable, samplingParams } from "./params";
import { planOutput } from "./thinking";
import { convertTools } from "./tools";
import type { AnthropicRequestBody } from "./wire";

export const ANTHROPIC_VERSION = "2023-06-01";

export function buildAnthropicRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamRequest {
  rejectUntranslatable(req);
  const warnings: string[] = [];
  const output = planOutput(req, target.upstreamModel, warnings);
  const thinking = output.thinking !== undefined;
  const sampling = samplingParams(req, thinking, warnings);
  const { system, messages } = convertMessages(req.messages, warnings);
  const tools = convertTools(req, thinking, warnings);

  const body: AnthropicRequestBody = {
    model: target.upstreamModel,
    max_tokens: output.maxTokens,
    ...(system.length > 0 ? { system } : {}),
    messages,
    ...tools,
    ...sampling,
    ...(output.thinking ? { thinking: output.thinking } : {}),
    ...(output.effort ? { output_config: { effort: output.effort } } : {}),
    ...(opts.stream ? { stream: true as const } : {}),
  };

  return {
    url: messagesUrl(target.baseUrl),
    headers: { "x-api-key": target.apiKey, "anthropic-version": ANTHROPIC_VERSION, "content-type": "application/json" },
    body,
    warnings,
  };
}

/** The base URL is the origin, as the Anthropic SDK takes it; one that already ends in /v1 works too. */
export function messagesUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  return joinUrl(base, ["v1", "messages"]);
}
