// OpenAI messages → Gemini `systemInstruction` + `contents`.
import { ApiError } from "../../errors";
import type { ChatMessage } from "../../wire/chat";
import { contentParts, contentText } from "./parts";
import { signatureFromToolCallId, SKIP_SIGNATURE } from "./thought-signature";
import { isObject, type GeminiContent, type GeminiPart, type JsonObject } from "./wire";

type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;
type ToolMessage = Extract<ChatMessage, { role: "tool" }>;

export interface ConvertedMessages {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiPart[] };
}

export function convertMessages(messages: ChatMessage[], opts: { signaturesRequired: boolean }, warnings: Set<string>): ConvertedMessages {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();

  // Gemini rejects two adjacent turns of one role less predictably than one merged turn.
  const push = (role: "user" | "model", parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (typeof message.name === "string") warnings.add("messages[].name has no Gemini equivalent and was ignored.");
    switch (message.role) {
      case "system":
      case "developer":
        if (contents.length > 0) warnings.add(`${path}: a ${message.role} message after the conversation started was moved into Gemini's systemInstruction.`);
        system.push(...contentText(message.content, `${path}.content`).filter(Boolean).map((text) => ({ text })));
        break;
      case "user":
        push("user", contentParts(message.content, `${path}.content`, warnings));
        break;
      case "assistant":
        push("model", assistantParts(message, path, opts.signaturesRequired, toolNames, warnings));
        break;
      case "tool":
        push("user", [toolResultPart(message, path, toolNames)]);
        break;
    }
  });

  if (contents.length === 0) {
    throw new ApiError("invalid_value", "Gemini needs at least one user, assistant or tool message besides system messages.", { param: "messages" });
  }
  return system.length > 0 ? { contents, systemInstruction: { parts: system } } : { contents };
}

function assistantParts(
  message: AssistantMessage,
  path: string,
  signaturesRequired: boolean,
  toolNames: Map<string, string>,
  warnings: Set<string>,
): GeminiPart[] {
  for (const field of ["audio", "function_call"] as const) {
    if (message[field] != null) {
      throw new ApiError("unsupported_parameter", `Assistant messages with '${field}' cannot be replayed to Gemini models.`, { param: `${path}.${field}` });
    }
  }
  // reasoning_content is not replayed: Gemini keeps its reasoning state in thought signatures.
  // A refusal is what the assistant said, so it is replayed as text.
  const content = Array.isArray(message.content)
    ? message.content.map((p) => (p.type === "refusal" && typeof p.refusal === "string" ? { type: "text" as const, text: p.refusal } : p))
    : message.content;
  const parts = content ? contentParts(content, `${path}.content`, warnings) : [];
  if (parts.length === 0 && message.refusal) parts.push({ text: message.refusal });
  const calls = (message.tool_calls ?? []).map((call, j): GeminiPart => {
    toolNames.set(call.id, call.function.name);
    const args = parseArguments(call.function.arguments, `${path}.tool_calls[${j}].function.arguments`);
    const signature = signatureFromToolCallId(call.id) ?? googleExtraSignature(call.extra_content);
    const part: GeminiPart = { functionCall: { name: call.function.name, args } };
    return signature ? { ...part, thoughtSignature: signature } : part;
  });
  const first = calls[0];
  if (signaturesRequired && first && !calls.some((c) => c.thoughtSignature)) first.thoughtSignature = SKIP_SIGNATURE;
  return [...parts, ...calls];
}

function parseArguments(raw: string, param: string): JsonObject {
  let args: unknown;
  try {
    args = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch {
    throw new ApiError("invalid_value", "Tool call arguments must be valid JSON.", { param });
  }
  if (!isObject(args)) throw new ApiError("invalid_value", "Tool call arguments must be a JSON object.", { param });
  return args;
}

/** Google's own OpenAI-compatible endpoint carries the signature here; accept it from clients that kept it. */
function googleExtraSignature(extra: unknown): string | undefined {
  const google = isObject(extra) ? extra.google : undefined;
  const signature = isObject(google) ? google.thought_signature : undefined;
  return typeof signature === "string" && signature ? signature : undefined;
}

function toolResultPart(message: ToolMessage, path: string, toolNames: Map<string, string>): GeminiPart {
  const name = toolNames.get(message.tool_call_id);
  if (name === undefined) {
    throw new ApiError("invalid_value", `No earlier assistant tool call has the id '${message.tool_call_id}'; Gemini needs the function name of every tool result.`, { param: `${path}.tool_call_id` });
  }
  const text = contentText(message.content, `${path}.content`).join("");
  // functionResponse.response is a protobuf Struct: it must be an object.
  let response: JsonObject;
  try {
    const parsed: unknown = JSON.parse(text);
    response = isObject(parsed) ? parsed : { result: parsed };
  } catch {
    response = { result: text };
  }
  return { functionResponse: { name, response } };
}
