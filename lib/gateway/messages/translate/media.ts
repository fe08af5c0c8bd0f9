// Image and document blocks → OpenAI content parts (what each adapter accepts for them).
import type { ContentPart } from "../../../wire/chat";
import { checkKeys, invalid, textOf, unsupported, type Block, type Ctx } from "./blocks";
import type { Protocol } from "./types";

export function imagePart(block: Block, at: string): ContentPart {
  const source = (block.source ?? {}) as Record<string, unknown>;
  if (source.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string") {
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === "url" && typeof source.url === "string") return { type: "image_url", image_url: { url: source.url } };
  throw unsupported(`Image sources of type '${String(source.type)}' are not supported for this model; send base64 or url.`, `${at}.source`);
}

export function documentParts(block: Block, at: string, ctx: Ctx): ContentPart[] {
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

