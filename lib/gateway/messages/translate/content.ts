// Anthropic `system` + `messages` → OpenAI chat messages (the form every adapter takes).
import type { ChatMessage, ContentPart } from "../../../wire/chat";
import { checkKeys, invalid, textOf, unsupported, type Block, type Ctx } from "./blocks";
import { documentParts, imagePart } from "./media";
import { readSignature } from "./signature";
import type { Req } from "./types";

type Content = string | Block[];

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
  // Anthropic continues a final assistant message (prefill); chat upstreams answer with a new message.
  if (req.messages.at(-1)?.role === "assistant") {
    ctx.notes.once("prefill", "The final assistant message (prefill) was sent as conversation history: this model answers with a new message instead of continuing it.");
  }
  return out;
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
