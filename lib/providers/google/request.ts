// The OpenAI request → one generateContent / streamGenerateContent call.
import { ApiError } from "../../errors";
import { KNOWN_CHAT_FIELDS, type ChatRequest } from "../../wire/chat";
import type { UpstreamRequest, UpstreamTarget } from "../types";
import { joinUrl } from "../url";
import { convertMessages } from "./contents";
import { generationConfig } from "./generation-config";
import { validatesSignatures } from "./thought-signature";
import { convertTools } from "./tools";

export function buildRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamRequest {
  rejectExtraFields(req);
  const warnings = new Set<string>();
  const signaturesRequired = validatesSignatures(target.upstreamModel);
  const { contents, systemInstruction } = convertMessages(req.messages, { signaturesRequired }, warnings);
  const { tools, toolConfig } = convertTools(req, warnings);
  const config = generationConfig(req);
  const body = {
    contents,
    ...(systemInstruction && { systemInstruction }),
    ...(tools && { tools }),
    ...(toolConfig && { toolConfig }),
    ...(config && { generationConfig: config }),
  };
  return {
    url: upstreamUrl(target, opts.stream),
    headers: { "content-type": "application/json", "x-goog-api-key": target.apiKey },
    body,
    warnings: [...warnings],
  };
}

/** Gemini model ids (gemini-2.0-flash, gemma-3-27b-it, …); anything else never reaches the path. */
const GEMINI_MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function upstreamUrl(target: UpstreamTarget, stream: boolean): string {
  const model = target.upstreamModel.replace(/^models\//, "");
  if (!GEMINI_MODEL.test(model)) {
    throw new ApiError("invalid_value", "This model's upstream name is not a valid Gemini model id (letters, digits, '.', '_', '-').", { param: "model" });
  }
  // The model is one encoded segment: `../` or `?` in a catalog entry cannot reach another endpoint.
  return stream ? `${joinUrl(target.baseUrl, ["v1beta", "models", model], ":streamGenerateContent")}?alt=sse` : joinUrl(target.baseUrl, ["v1beta", "models", model], ":generateContent");
}

// `user` needs no upstream field (the gateway records it in the audit log); `stream` and
// `stream_options` are the gateway's. A null extra field asks for nothing, so it passes.
function rejectExtraFields(req: ChatRequest): void {
  for (const [key, value] of Object.entries(req)) {
    if (!KNOWN_CHAT_FIELDS.has(key) && value !== null && value !== undefined) {
      throw new ApiError("unsupported_parameter", `Unrecognized request argument for Gemini models: ${key}.`, { param: key });
    }
  }
}
