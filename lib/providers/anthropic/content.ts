// OpenAI content (string or parts) → Anthropic content blocks. Anything we cannot express is a 400
// naming the exact part, never a silently dropped part.
import { ApiError } from "../../errors";
import type { ContentPart } from "../../wire/chat";
import type { CacheControl, ImageBlock, TextBlock } from "./wire";

/** The media types Anthropic's vision accepts for base64 images. */
const IMAGE_MEDIA_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

type Content = string | ContentPart[] | null | undefined;

export interface PartRules {
  images: boolean; // user and tool turns may carry images; system and assistant turns may not
  refusals: boolean; // an assistant's earlier refusal part is text it said
  role: string;
}

export function contentBlocks(content: Content, path: string, rules: PartRules, warnings: string[]): (TextBlock | ImageBlock)[] {
  if (content == null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  const blocks: (TextBlock | ImageBlock)[] = [];
  content.forEach((part, j) => {
    const block = partBlock(part, `${path}.content[${j}]`, rules, warnings);
    if (block) blocks.push(block);
  });
  return blocks;
}

function partBlock(part: ContentPart, path: string, rules: PartRules, warnings: string[]): TextBlock | ImageBlock | null {
  if (part.type === "text") {
    rejectUnknownKeys(part, ["type", "text", "cache_control"], path);
    if (typeof part.text !== "string") throw new ApiError("invalid_value", "A text part needs a string `text`.", { param: `${path}.text` });
    return withCache({ type: "text", text: part.text }, part.cache_control, path);
  }
  if (part.type === "refusal" && rules.refusals) {
    rejectUnknownKeys(part, ["type", "refusal"], path);
    if (typeof part.refusal !== "string") throw new ApiError("invalid_value", "A refusal part needs a string `refusal`.", { param: `${path}.refusal` });
    return part.refusal === "" ? null : { type: "text", text: part.refusal };
  }
  if (part.type === "image_url" && rules.images) {
    rejectUnknownKeys(part, ["type", "image_url", "cache_control"], path);
    return withCache(imageBlock(part.image_url, `${path}.image_url`, warnings), part.cache_control, path);
  }
  throw new ApiError("unsupported_parameter", `Content parts of type "${part.type}" are not supported in ${rules.role} messages by the anthropic provider.`, {
    param: path,
  });
}

function imageBlock(imageUrl: unknown, path: string, warnings: string[]): ImageBlock {
  if (typeof imageUrl !== "object" || imageUrl === null) throw new ApiError("invalid_value", "image_url must be an object with a url.", { param: path });
  const { url, detail } = imageUrl as { url?: unknown; detail?: unknown };
  rejectUnknownKeys(imageUrl as Record<string, unknown>, ["url", "detail"], path);
  // Anthropic sizes images itself; there is no resolution switch to map `detail` onto.
  if (detail === "low" || detail === "high") warn(warnings, "image_url.detail is not supported by Anthropic and was ignored.");
  if (typeof url !== "string") throw new ApiError("invalid_value", "image_url.url must be a string.", { param: `${path}.url` });
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  const data = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/is.exec(url);
  if (!data) {
    throw new ApiError("invalid_value", "image_url.url must be an http(s) URL or a base64 data URL (data:image/png;base64,…).", { param: `${path}.url` });
  }
  const mediaType = data[1]!.toLowerCase() === "image/jpg" ? "image/jpeg" : data[1]!.toLowerCase();
  if (!IMAGE_MEDIA_TYPES.has(mediaType)) {
    throw new ApiError("invalid_value", `Image type ${data[1]} is not supported by Anthropic (use jpeg, png, gif or webp).`, { param: `${path}.url` });
  }
  return { type: "image", source: { type: "base64", media_type: mediaType, data: data[3]! } };
}

// `cache_control` is the de-facto extension (LiteLLM, OpenRouter) for Anthropic prompt caching.
function withCache<T extends TextBlock | ImageBlock>(block: T, cacheControl: unknown, path: string): T | null {
  if (cacheControl == null) return block.type === "text" && block.text === "" ? null : block;
  const cc = cacheControl as Partial<CacheControl> & Record<string, unknown>;
  const validTtl = cc.ttl === undefined || cc.ttl === "5m" || cc.ttl === "1h";
  if (typeof cacheControl !== "object" || cc.type !== "ephemeral" || !validTtl || Object.keys(cc).some((k) => k !== "type" && k !== "ttl")) {
    throw new ApiError("invalid_value", 'cache_control must be {"type": "ephemeral"} with an optional ttl of "5m" or "1h".', {
      param: `${path}.cache_control`,
    });
  }
  return { ...block, cache_control: cc.ttl ? { type: "ephemeral", ttl: cc.ttl } : { type: "ephemeral" } };
}

/** A key we would otherwise ignore is a 400 naming it; null means "not set" in OpenAI's API. */
export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const [key, value] of Object.entries(obj)) {
    if (value == null || allowed.includes(key)) continue;
    throw new ApiError("unsupported_parameter", `${path}.${key} is not supported by the anthropic provider.`, { param: `${path}.${key}` });
  }
}

/** Warnings are shown to the client once each, however many messages triggered them. */
export function warn(warnings: string[], message: string): void {
  if (!warnings.includes(message)) warnings.push(message);
}
