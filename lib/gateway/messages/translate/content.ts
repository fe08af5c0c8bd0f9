// Anthropic `system` + `messages` → OpenAI chat messages (the form every adapter takes).
import { ApiError } from "../../../errors";
import type { ChatMessage, ContentPart } from "../../../wire/chat";
import type { Notes } from "./notes";
import { readSignature } from "./signature";
import type { Protocol, Req } from "./types";

type Block = Record<string, unknown> & { type: string };
type Content = string | Block[];

interface Ctx {
  protocol: Protocol;
  notes: Notes;
}

const unsupported = (message: string, param: string) => new ApiError("unsupported_parameter", message, { param });
const invalid = (message: string, param: string) => new ApiError("invalid_value", message, { param });

/** Keys each block type may carry (Anthropic rejects other keys too); anything else is a 400 naming it. */
const BLOCK_KEYS: Record<string, string[]> = {
  text: ["type", "text", "cache_control", "citations"],
  image: ["type", "source", "cache_control"],
  document: ["type", "source", "title", "context", "citations", "cache_control"],
  tool_use: ["type", "id", "name", "input", "cache_control", "caller"],
  tool_result: ["type", "tool_use_id", "content", "is_error", "cache_control"],
  thinking: ["type", "thinking", "signature"],
  redacted_thinking: ["type", "data"],
};

export function convertMessages(req: Req, ctx: Ctx): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (req.system !== undefined) {
    const text = systemText(req.system as Content, "system", ctx);
    if (text) out.push({ role: "system", content: text });
  }
  req.messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    for (const key of Object.keys(message)) {
      if (key !== "role" && key !== "content") throw unsupported(`Unknown message field '${key}'.`, `${path}.${key}`);
    }
    const content = message.content as Content;
    if (Array.isArray(content) && content.length === 0 && message.role !== "assistant") {
      throw invalid("Message content must not be empty.", `${path}.content`);
    }
    // System-role messages (the 2026 API accepts them, Claude Code sends them) keep their place.
    if (message.role === "system") out.push({ role: "system", content: systemText(content, `${path}.content`, ctx) });
    else if (message.role === "user") out.push(...userMessages(content, path, ctx));
    else {
      const assistant = assistantMessage(content, path, ctx);
      if (assistant) out.push(assistant);
    }
  });
  return out;
}

function checkKeys(block: Block, at: string, ctx: Ctx): void {
  const allowed = BLOCK_KEYS[block.type];
  if (!allowed) throw unsupported(`Content blocks of type '${block.type}' are not supported for this model.`, at);
  for (const key of Object.keys(block)) {
    if (!allowed.includes(key)) throw unsupported(`Unknown field '${key}' on a ${block.type} block.`, `${at}.${key}`);
  }
  if (block.cache_control != null) ctx.notes.once("cache_control", "cache_control has no effect on this model (its upstream caches prompts on its own, or not at all) and was ignored.");
}

/** Text-only content (system prompts, system-role messages), blocks joined by a blank line. */
function systemText(content: Content, path: string, ctx: Ctx): string {
  if (typeof content === "string") return content;
  return content
    .map((block, j) => {
      const at = `${path}[${j}]`;
      if (block.type !== "text") throw unsupported(`System content must be text blocks; '${block.type}' is not supported.`, at);
      checkKeys(block, at, ctx);
      return textOf(block, at, ctx);
    })
    .join("\n\n");
}

function textOf(block: Block, at: string, ctx: Ctx): string {
  if (typeof block.text !== "string") throw invalid("A text block needs a string `text`.", `${at}.text`);
  // Citations on earlier answers are references the model made; the upstream cannot use them.
  if (Array.isArray(block.citations) && block.citations.length > 0) ctx.notes.once("citations", "Citations on earlier text blocks have no counterpart on this model and were not sent.");
  return block.text;
}

function userMessages(content: Content, path: string, ctx: Ctx): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: ChatMessage[] = [];
  const toolImages: ContentPart[] = [];
  const parts: ContentPart[] = [];
  content.forEach((block, j) => {
    const at = `${path}.content[${j}]`;
    checkKeys(block, at, ctx);
    if (block.type === "tool_result") tools.push(toolMessage(block, at, ctx, toolImages));
    else parts.push(...userParts(block, at, ctx));
  });
  // Tool results answer the assistant turn just before, so they come first (OpenAI requires it).
  const out: ChatMessage[] = [...tools];
  const user = [...toolImages, ...parts];
  if (user.length > 0) out.push({ role: "user", content: simplify(user) });
  return out;
}

/** One text part is sent as a plain string, which every OpenAI-compatible server accepts. */
function simplify(parts: ContentPart[]): string | ContentPart[] {
  const only = parts[0];
  return parts.length === 1 && only?.type === "text" && typeof only.text === "string" ? only.text : parts;
}

function userParts(block: Block, at: string, ctx: Ctx): ContentPart[] {
  switch (block.type) {
    case "text":
      return [{ type: "text", text: textOf(block, at, ctx) }];
    case "image":
      return [imagePart(block, at)];
    case "document":
      return documentParts(block, at, ctx);
    default:
      throw unsupported(`A user message cannot carry a ${block.type} block.`, at);
  }
}

function imagePart(block: Block, at: string): ContentPart {
  const source = (block.source ?? {}) as Record<string, unknown>;
  if (source.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string") {
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === "url" && typeof source.url === "string") return { type: "image_url", image_url: { url: source.url } };
  throw unsupported(`Image sources of type '${String(source.type)}' are not supported for this model; send base64 or url.`, `${at}.source`);
}

function documentParts(block: Block, at: string, ctx: Ctx): ContentPart[] {
  const citations = block.citations as { enabled?: unknown } | null | undefined;
  if (citations?.enabled === true) throw unsupported("Citations are not supported for this model.", `${at}.citations`);
  const source = (block.source ?? {}) as Record<string, unknown>;
  // Anthropic shows the model a document's title and context; so do we, as a text part before it.
  const preface = [block.title, block.context].filter((s): s is string => typeof s === "string" && s !== "").join("\n");
  const head: ContentPart[] = preface ? [{ type: "text", text: preface }] : [];
  switch (source.type) {
    case "text":
      if (typeof source.data !== "string") throw invalid("A text document needs a string `source.data`.", `${at}.source.data`);
      return [...head, { type: "text", text: source.data }];
    case "content": {
      if (typeof source.content === "string") return [...head, { type: "text", text: source.content }];
      if (!Array.isArray(source.content)) throw invalid("A content document needs `source.content`.", `${at}.source.content`);
      return [
        ...head,
        ...(source.content as Block[]).map((inner, k): ContentPart => {
          const innerAt = `${at}.source.content[${k}]`;
          checkKeys(inner, innerAt, ctx);
          if (inner.type === "text") return { type: "text", text: textOf(inner, innerAt, ctx) };
          if (inner.type === "image") return imagePart(inner, innerAt);
          throw unsupported(`A content document cannot carry a ${inner.type} block.`, innerAt);
        }),
      ];
    }
    case "base64":
      if (source.media_type !== "application/pdf" || typeof source.data !== "string") {
        throw unsupported("Base64 documents must be PDFs (media_type application/pdf).", `${at}.source`);
      }
      return [...head, pdfPart(source.data, typeof block.title === "string" ? block.title : undefined, ctx.protocol)];
    case "url":
      // Gemini fetches file URLs itself (the adapter sends them as fileData); OpenAI's `file` part takes no URL.
      if (ctx.protocol === "google" && typeof source.url === "string") return [...head, { type: "image_url", image_url: { url: source.url } }];
      throw unsupported("PDF documents by URL are not supported for this model; send them base64-encoded.", `${at}.source`);
    default:
      throw unsupported(`Document sources of type '${String(source.type)}' are not supported for this model.`, `${at}.source`);
  }
}

function pdfPart(data: string, title: string | undefined, protocol: Protocol): ContentPart {
  const url = `data:application/pdf;base64,${data}`;
  // The Gemini adapter turns a data URL into inlineData with its MIME type, PDFs included.
  if (protocol === "google") return { type: "image_url", image_url: { url } };
  return { type: "file", file: { filename: title ? `${title.replace(/[\\/]/g, "_")}.pdf` : "document.pdf", file_data: url } };
}

function toolMessage(block: Block, at: string, ctx: Ctx, images: ContentPart[]): ChatMessage {
  const id = block.tool_use_id;
  if (typeof id !== "string" || !id) throw invalid("A tool_result needs its `tool_use_id`.", `${at}.tool_use_id`);
  const texts: string[] = [];
  const own: ContentPart[] = [];
  if (typeof block.content === "string") texts.push(block.content);
  else if (Array.isArray(block.content)) {
    (block.content as Block[]).forEach((inner, k) => {
      const innerAt = `${at}.content[${k}]`;
      checkKeys(inner, innerAt, ctx);
      if (inner.type === "text") texts.push(textOf(inner, innerAt, ctx));
      else if (inner.type === "image") own.push(imagePart(inner, innerAt));
      else if (inner.type === "document") own.push(...documentParts(inner, innerAt, ctx));
      else throw unsupported(`A tool_result cannot carry a ${inner.type} block for this model.`, innerAt);
    });
  } else if (block.content != null) throw invalid("tool_result content must be a string or an array of blocks.", `${at}.content`);
  // OpenAI and Gemini tool messages are text only: images (and PDFs) a tool returned go to the model in
  // the user message that follows the tool results, introduced by the id of the call they belong to.
  if (own.length > 0) {
    ctx.notes.once("tool_result_images", "Images and documents inside tool_result blocks were sent in a user message right after the tool results (tool messages are text-only on this model).");
    images.push({ type: "text", text: `Attachments returned by tool call ${id}:` }, ...own);
    if (texts.length === 0) texts.push("(attachments follow in the next message)");
  }
  let text = texts.join("\n\n");
  if (block.is_error === true) text = `Error: ${text}`;
  return { role: "tool", tool_call_id: id, content: text };
}

function assistantMessage(content: Content, path: string, ctx: Ctx): ChatMessage | null {
  if (typeof content === "string") return { role: "assistant", content };
  const texts: string[] = [];
  const reasoning: string[] = [];
  const calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
  content.forEach((block, j) => {
    const at = `${path}.content[${j}]`;
    checkKeys(block, at, ctx);
    switch (block.type) {
      case "text":
        texts.push(textOf(block, at, ctx));
        return;
      case "tool_use": {
        if (typeof block.id !== "string" || typeof block.name !== "string") throw invalid("A tool_use block needs `id` and `name`.", at);
        if (block.caller != null && (block.caller as { type?: unknown }).type !== "direct") throw unsupported("Programmatic tool calls are not supported for this model.", `${at}.caller`);
        // The id goes back byte-exact: Gemini's thought signatures ride inside it.
        calls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
        return;
      }
      case "thinking": {
        if (typeof block.thinking !== "string") throw invalid("A thinking block needs a string `thinking`.", `${at}.thinking`);
        // Our own signature may carry the text the client was not shown (display "omitted").
        const carried = readSignature(typeof block.signature === "string" ? block.signature : undefined)?.t;
        const text = block.thinking || carried || "";
        if (text) reasoning.push(text);
        return;
      }
      case "redacted_thinking":
        ctx.notes.once("redacted_thinking", "redacted_thinking blocks are Anthropic-encrypted reasoning; this model cannot read them and they were not sent.");
        return;
      default:
        throw unsupported(`An assistant message cannot carry a ${block.type} block for this model.`, at);
    }
  });
  const message: Extract<ChatMessage, { role: "assistant" }> = { role: "assistant", content: texts.length > 0 ? texts.join("\n\n") : null };
  if (calls.length > 0) message.tool_calls = calls;
  if (reasoning.length > 0) {
    // OpenAI validates message fields strictly and never produced this reasoning; other upstreams take
    // it back (DeepSeek requires it on tool-call turns; the Gemini adapter ignores it).
    if (ctx.protocol === "openai") ctx.notes.once("reasoning_history", "Earlier thinking blocks cannot be sent to OpenAI models and were left out.");
    else message.reasoning_content = reasoning.join("\n\n");
  }
  if (message.content === null && !message.tool_calls && message.reasoning_content === undefined) return null;
  if (message.content === null && !message.tool_calls) message.content = "";
  return message;
}
