// The Responses dialect as the pipeline sees it: OpenAI's request schema and error body (the default),
// size limits counted over input items, and an audit copy without megabytes of inline files.
import { env } from "../../env";
import { ApiError } from "../../errors";
import { responsesRequestSchema } from "../../wire/responses";
import type { Dialect } from "../pipeline";

/**
 * Bare base64 `file_data` is kept as its start and size only (the audit draft already shortens
 * data: URLs, as chat's copy does).
 */
function redactFiles(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFiles);
  if (!value || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o.type === "input_file" && typeof o.file_data === "string" && o.file_data.length > 256) return { ...o, file_data: `${o.file_data.slice(0, 48)}…[${o.file_data.length} chars]` };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redactFiles(v)]));
}

/** Decoded size of inline base64 (a data URL or bare base64), without decoding it. */
function inlineBytes(data: string): number {
  const payload = data.startsWith("data:") ? data.slice(data.indexOf(",") + 1) : data;
  return Math.floor((payload.length * 3) / 4);
}

type Body = { input?: unknown };

/** Chat's limits on a Responses body: items, images, and the decoded size of one inline image. */
function checkSizes(body: Body): void {
  if (!Array.isArray(body.input)) return;
  const e = env();
  if (body.input.length > e.VECSTRUCT_MAX_MESSAGES) {
    throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_MESSAGES} input items; this one has ${body.input.length}.`, { param: "input" });
  }
  let images = 0;
  body.input.forEach((item: { content?: unknown }, i) => {
    if (!Array.isArray(item?.content)) return;
    item.content.forEach((part: { type?: unknown; image_url?: unknown }, j) => {
      if (part?.type !== "input_image") return;
      images += 1;
      const param = `input[${i}].content[${j}].image_url`;
      if (images > e.VECSTRUCT_MAX_IMAGES) throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_IMAGES} images.`, { param });
      const url = typeof part.image_url === "string" ? part.image_url : "";
      if (url.startsWith("data:") && inlineBytes(url) > e.VECSTRUCT_MAX_IMAGE_BYTES) throw new ApiError("invalid_value", `An inline image may be at most ${e.VECSTRUCT_MAX_IMAGE_BYTES} bytes.`, { param });
    });
  });
}

export const responsesDialect: Dialect<typeof responsesRequestSchema> = {
  schema: responsesRequestSchema,
  auditCopy: (raw) => redactFiles(raw) as Record<string, unknown>,
  check: checkSizes,
  extension: (body) => body.vecstruct,
  stream: (raw) => raw.stream === true,
  guardrails: true,
};
