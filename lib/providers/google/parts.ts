// OpenAI content (a string or typed parts) → Gemini parts.
import { ApiError } from "../../errors";
import type { ContentPart } from "../../wire/chat";
import { isObject, type GeminiPart } from "./wire";

type Content = string | ContentPart[];

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif",
  heic: "image/heic", heif: "image/heif", pdf: "application/pdf",
};
const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/s;

/** Text-only content (system, developer and tool messages). */
export function contentText(content: Content, path: string): string[] {
  if (typeof content === "string") return [content];
  return content.map((part, j) => {
    if (part.type === "text" && typeof part.text === "string") return part.text;
    throw new ApiError("unsupported_parameter", `Content parts of type '${part.type}' are not supported in this message for Gemini models; only text is.`, { param: `${path}[${j}]` });
  });
}

export function contentParts(content: Content, path: string, warnings: Set<string>): GeminiPart[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  const parts: GeminiPart[] = [];
  content.forEach((part, j) => {
    const at = `${path}[${j}]`;
    if (part.type === "text") {
      if (typeof part.text !== "string") throw new ApiError("invalid_value", "A text content part needs a string `text`.", { param: `${at}.text` });
      if (part.text) parts.push({ text: part.text });
    } else if (part.type === "image_url") {
      parts.push(imagePart(part.image_url, at, warnings));
    } else {
      throw new ApiError("unsupported_parameter", `Content parts of type '${part.type}' are not supported for Gemini models.`, { param: at });
    }
  });
  return parts;
}

function imagePart(image: unknown, at: string, warnings: Set<string>): GeminiPart {
  const url = isObject(image) ? image.url : undefined;
  if (typeof url !== "string" || !url) throw new ApiError("invalid_value", "An image_url part needs `image_url.url`.", { param: `${at}.image_url.url` });
  if (isObject(image) && (image.detail === "low" || image.detail === "high")) {
    warnings.add("image_url.detail has no per-image equivalent on Gemini and was ignored.");
  }
  const data = DATA_URL.exec(url);
  if (data?.[1] && data[3] !== undefined) return { inlineData: { mimeType: data[1], data: data[3] } };
  if (/^https?:\/\//i.test(url)) return { fileData: { mimeType: mimeFromUrl(url), fileUri: url } };
  throw new ApiError("invalid_value", "image_url.url must be an http(s) URL or a base64 data URL.", { param: `${at}.image_url.url` });
}

function mimeFromUrl(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // keep the raw string
  }
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return (extension && MIME_BY_EXTENSION[extension]) ?? "image/jpeg";
}
