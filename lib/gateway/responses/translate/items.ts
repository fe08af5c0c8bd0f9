// Responses `instructions` + `input` items → OpenAI chat messages (the form every adapter takes).
// Consecutive assistant-side items (reasoning, message, function_call) form one assistant turn;
// function_call_output items become tool messages in place.
import { ApiError } from "../../../errors";
import type { ChatMessage, ContentPart } from "../../../wire/chat";
import type { Notes } from "./notes";
import { openReasoning, type ThinkingBlock } from "./reasoning";
import { qualified } from "./tools";
import type { Protocol, Req } from "./types";

type Item = Record<string, unknown> & { type?: string };
type Assistant = Extract<ChatMessage, { role: "assistant" }>;

export interface Ctx {
  protocol: Protocol;
  notes: Notes;
}

export const unsupported = (message: string, param: string) => new ApiError("unsupported_parameter", message, { param });
export const invalid = (message: string, param: string) => new ApiError("invalid_value", message, { param });

/** Keys each item type may carry (OpenAI rejects other keys too); anything else is a 400 naming it. */
const ITEM_KEYS: Record<string, string[]> = {
  message: ["type", "role", "content", "id", "status"],
  function_call: ["type", "call_id", "name", "namespace", "arguments", "id", "status"],
  function_call_output: ["type", "call_id", "output", "id", "status"],
  reasoning: ["type", "id", "summary", "content", "encrypted_content", "status"],
};

interface Turn {
  texts: string[];
  reasoning: string[];
  blocks: ThinkingBlock[];
  calls: NonNullable<Assistant["tool_calls"]>;
}

export function convertInput(req: Req, ctx: Ctx): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (req.instructions) out.push({ role: "system", content: req.instructions });
  if (req.input === undefined) throw new ApiError("missing_required_parameter", "Missing required parameter: 'input'.", { param: "input" });
  if (typeof req.input === "string") {
    out.push({ role: "user", content: req.input });
    return out;
  }
  let turn: Turn | null = null;
  const flush = () => {
    if (turn) {
      const message = assistantMessage(turn, ctx);
      if (message) out.push(message);
    }
    turn = null;
  };
  const current = (): Turn => (turn ??= { texts: [], reasoning: [], blocks: [], calls: [] });
  const calls = new Set<string>();

  (req.input as Item[]).forEach((item, i) => {
    const at = `input[${i}]`;
    const type = item.type ?? "message";
    const allowed = ITEM_KEYS[type];
    if (!allowed) throw unsupported(`Input items of type '${type}' are not supported for this model.`, `${at}.type`);
    for (const key of Object.keys(item)) if (!allowed.includes(key)) throw unsupported(`Unknown field '${key}' on a ${type} item.`, `${at}.${key}`);
    switch (type) {
      case "message":
        if (item.role === "assistant") return assistantContent(item.content, `${at}.content`, current(), ctx);
        flush();
        out.push(role(item, at, ctx));
        return;
      case "function_call":
        for (const key of ["call_id", "name", "arguments"]) {
          if (typeof item[key] !== "string" || (key !== "arguments" && item[key] === "")) throw invalid(`A function_call item needs a string \`${key}\`.`, `${at}.${key}`);
        }
        calls.add(item.call_id as string);
        // The call id goes back byte-exact: Gemini's thought signatures ride inside it.
        current().calls.push({ id: item.call_id as string, type: "function", function: { name: callName(item), arguments: item.arguments as string } });
        return;
      case "reasoning":
        return reasoningItem(item, at, current(), ctx);
      case "function_call_output":
        // As OpenAI answers: every upstream refuses a tool result without its call.
        if (typeof item.call_id !== "string" || !calls.has(item.call_id)) throw invalid(`No tool call found for function call output with call_id ${String(item.call_id).slice(0, 64)}.`, `${at}.call_id`);
        flush();
        out.push({ role: "tool", tool_call_id: item.call_id as string, content: toolOutput(item.output, `${at}.output`) });
        return;
    }
  });
  flush();
  return out;
}

/** A namespaced call goes upstream under the name its tool was sent with. */
function callName(item: Item): string {
  return typeof item.namespace === "string" && item.namespace ? qualified(item.namespace, item.name as string) : (item.name as string);
}

function role(item: Item, at: string, ctx: Ctx): ChatMessage {
  const r = item.role as "user" | "system" | "developer";
  const content = item.content as string | Item[];
  if (typeof content === "string") return { role: r, content };
  const parts = content.map((part, j) => userPart(part, `${at}.content[${j}]`, ctx, r === "user"));
  // System and developer text joins into one string; one text part is sent as a plain string.
  if (r !== "user") return { role: r, content: parts.map((p) => (p as { text: string }).text).join("\n\n") };
  const only = parts[0];
  return { role: r, content: parts.length === 1 && only?.type === "text" ? (only as { text: string }).text : parts };
}

function userPart(part: Item, at: string, ctx: Ctx, media: boolean): ContentPart {
  if (part.type === "input_text") {
    if (typeof part.text !== "string") throw invalid("An input_text part needs a string `text`.", `${at}.text`);
    return { type: "text", text: part.text };
  }
  if (!media) throw unsupported(`System and developer messages take input_text parts only; '${String(part.type)}' is not supported.`, `${at}.type`);
  if (part.type === "input_image") {
    if (part.file_id != null) throw unsupported("Images by file_id are not supported; send image_url (a URL or a data URL).", `${at}.file_id`);
    if (typeof part.image_url !== "string" || !part.image_url) throw invalid("An input_image part needs `image_url`.", `${at}.image_url`);
    const detail = part.detail === "low" || part.detail === "high" ? { detail: part.detail } : {};
    return { type: "image_url", image_url: { url: part.image_url, ...detail } };
  }
  if (part.type === "input_file") return filePart(part, at, ctx);
  throw unsupported(`Content parts of type '${String(part.type)}' are not supported for this model.`, `${at}.type`);
}

function filePart(part: Item, at: string, ctx: Ctx): ContentPart {
  if (part.file_id != null) throw unsupported("Files by file_id are not supported; send file_data.", `${at}.file_id`);
  if (part.file_url != null) {
    // Gemini fetches file URLs itself (the adapter sends them as fileData); the others take no URL.
    if (ctx.protocol === "google" && typeof part.file_url === "string") return { type: "image_url", image_url: { url: part.file_url } };
    throw unsupported("Files by URL are not supported for this model; send file_data.", `${at}.file_url`);
  }
  if (typeof part.file_data !== "string" || !part.file_data) throw invalid("An input_file part needs `file_data`.", `${at}.file_data`);
  // OpenAI takes a data URL or bare base64 (a PDF); the Gemini adapter reads a data URL's MIME type.
  const url = part.file_data.startsWith("data:") ? part.file_data : `data:application/pdf;base64,${part.file_data}`;
  if (ctx.protocol === "google") return { type: "image_url", image_url: { url } };
  if (ctx.protocol === "anthropic") throw unsupported("input_file parts are not supported for this model.", at);
  return { type: "file", file: { filename: typeof part.filename === "string" ? part.filename : "document.pdf", file_data: url } };
}

function assistantContent(content: unknown, at: string, turn: Turn, ctx: Ctx): void {
  if (typeof content === "string") {
    turn.texts.push(content);
    return;
  }
  (content as Item[]).forEach((part, j) => {
    const p = `${at}[${j}]`;
    if (part.type === "output_text" || part.type === "input_text") {
      if (typeof part.text !== "string") throw invalid("A text part needs a string `text`.", `${p}.text`);
      if (Array.isArray(part.annotations) && part.annotations.length > 0) ctx.notes.once("annotations", "Annotations on earlier answers have no counterpart on this model and were not sent.");
      turn.texts.push(part.text);
    } else if (part.type === "refusal" && typeof part.refusal === "string") turn.texts.push(part.refusal);
    else throw unsupported(`An assistant message cannot carry a '${String(part.type)}' part for this model.`, `${p}.type`);
  });
}

function reasoningItem(item: Item, at: string, turn: Turn, ctx: Ctx): void {
  const payload = openReasoning(item.encrypted_content as string | null | undefined);
  if (item.encrypted_content != null && !payload) {
    // Anthropic takes back only its own signed thinking: there the summary is not sent either.
    const fate = ctx.protocol === "anthropic" ? "it was left out" : "its summary was used instead";
    ctx.notes.once("foreign_reasoning", `Encrypted reasoning from another model cannot be read by this model; ${fate}.`);
  }
  const summary = (item.summary as { text: string }[]).map((s) => s.text).filter(Boolean).join("\n\n");
  const content = Array.isArray(item.content) ? (item.content as { text?: unknown }[]).map((c) => (typeof c.text === "string" ? c.text : "")).join("") : "";
  const text = payload?.t ?? (content || summary);
  if (text) turn.reasoning.push(text);
  turn.blocks.push(...(payload?.b ?? []));
  void at;
}

function assistantMessage(turn: Turn, ctx: Ctx): ChatMessage | null {
  const message: Assistant = { role: "assistant", content: turn.texts.length > 0 ? turn.texts.join("\n\n") : null };
  if (turn.calls.length > 0) message.tool_calls = turn.calls;
  if (ctx.protocol === "anthropic") {
    // Anthropic verifies thinking signatures: only its own signed blocks go back (the adapter's `thinking_blocks`).
    if (turn.blocks.length > 0) (message as Record<string, unknown>).thinking_blocks = turn.blocks;
    else if (turn.reasoning.length > 0) ctx.notes.once("reasoning_history", "Earlier reasoning without Anthropic's signatures cannot be sent to this model and was left out.");
  } else if (turn.reasoning.length > 0) {
    // OpenAI validates message fields strictly and never produced this reasoning; other upstreams take
    // it back (DeepSeek requires it on tool-call turns; the Gemini adapter ignores it).
    if (ctx.protocol === "openai") ctx.notes.once("reasoning_history", "Earlier reasoning items cannot be sent to this model through Chat Completions and were left out.");
    else message.reasoning_content = turn.reasoning.join("\n\n");
  }
  const hasBlocks = (message as Record<string, unknown>).thinking_blocks !== undefined;
  if (message.content === null && !message.tool_calls && message.reasoning_content === undefined && !hasBlocks) return null;
  if (message.content === null && !message.tool_calls) message.content = "";
  return message;
}

function toolOutput(output: unknown, at: string): string {
  if (typeof output === "string") return output;
  // Tool messages are text-only on chat upstreams.
  return (output as Item[])
    .map((part, j) => {
      if ((part.type === "input_text" || part.type === "output_text") && typeof part.text === "string") return part.text;
      throw unsupported(`A function_call_output can carry text only for this model; '${String(part.type)}' is not supported.`, `${at}[${j}].type`);
    })
    .join("\n\n");
}
