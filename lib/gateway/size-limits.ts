// Request size limits beyond the body cap (VECSTRUCT_MAX_BODY_BYTES, enforced while reading):
// how many messages, how many images, and how large one inline image may be. Each is a 400
// naming the offending parameter, so a client can tell which limit it hit.
import { env } from "../env";
import { ApiError } from "../errors";
import type { ChatMessage } from "../wire/chat";

/** Decoded size of a base64 data URL, without decoding it. */
function dataUrlBytes(url: string): number {
  const comma = url.indexOf(",");
  const payload = comma === -1 ? "" : url.slice(comma + 1);
  const padding = payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

export function checkSizeLimits(messages: ChatMessage[]): void {
  const e = env();
  if (messages.length > e.VECSTRUCT_MAX_MESSAGES) {
    throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_MESSAGES} messages; this one has ${messages.length}.`, { param: "messages" });
  }
  let images = 0;
  messages.forEach((m, i) => {
    if (!Array.isArray(m.content)) return;
    m.content.forEach((part, j) => {
      if (part.type !== "image_url" || !("image_url" in part)) return;
      images += 1;
      const param = `messages[${i}].content[${j}].image_url`;
      if (images > e.VECSTRUCT_MAX_IMAGES) throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_IMAGES} images.`, { param });
      const url = (part.image_url as { url: string }).url;
      if (url.startsWith("data:") && dataUrlBytes(url) > e.VECSTRUCT_MAX_IMAGE_BYTES) {
        throw new ApiError("invalid_value", `An inline image may be at most ${e.VECSTRUCT_MAX_IMAGE_BYTES} bytes.`, { param });
      }
    });
  });
}
