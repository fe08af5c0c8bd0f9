// The Messages dialect as the pipeline sees it: Anthropic's request schema, `x-api-key` accepted,
// Anthropic's error body, an audit copy without megabytes of base64.
import { env } from "../../env";
import { ApiError } from "../../errors";
import type { Dialect } from "../pipeline";
import type { countTokensRequestSchema, messagesRequestSchema } from "../../wire/messages";
import { anthropicErrorResponse } from "./errors";

/** Base64 image / document data is kept as its size only (as chat's audit copy does for data: URLs). */
function redactBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBase64);
  if (!value || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o.type === "base64" && typeof o.data === "string" && o.data.length > 256) return { ...o, data: `${o.data.slice(0, 48)}…[${o.data.length} chars]` };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redactBase64(v)]));
}

type Body = { messages: { content: unknown }[] };

/** Counts as chat's size limits do: messages, images, and the decoded size of one inline image. */
function checkSizes(body: Body): void {
  const e = env();
  if (body.messages.length > e.VECSTRUCT_MAX_MESSAGES) {
    throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_MESSAGES} messages; this one has ${body.messages.length}.`, { param: "messages" });
  }
  let images = 0;
  body.messages.forEach((m, i) => {
    if (!Array.isArray(m.content)) return;
    m.content.forEach((b: { type?: unknown; source?: { type?: unknown; data?: unknown } }, j) => {
      if (b?.type !== "image") return;
      images += 1;
      const param = `messages[${i}].content[${j}].source`;
      if (images > e.VECSTRUCT_MAX_IMAGES) throw new ApiError("invalid_value", `A request may carry at most ${e.VECSTRUCT_MAX_IMAGES} images.`, { param });
      const data = b.source?.type === "base64" && typeof b.source.data === "string" ? b.source.data : "";
      if (Math.floor((data.length * 3) / 4) > e.VECSTRUCT_MAX_IMAGE_BYTES) throw new ApiError("invalid_value", `An inline image may be at most ${e.VECSTRUCT_MAX_IMAGE_BYTES} bytes.`, { param });
    });
  });
}

export function messagesDialect<S extends typeof messagesRequestSchema | typeof countTokensRequestSchema>(schema: S): Dialect<S> {
  return {
    schema,
    xApiKey: true,
    auditCopy: (raw) => redactBase64(raw) as Record<string, unknown>,
    check: (body) => checkSizes(body as Body),
    extension: (body) => (body as { vecstruct?: { project_id?: string; metadata?: Record<string, unknown> } }).vecstruct,
    stream: (raw) => raw.stream === true,
    guardrails: true,
    errorResponse: anthropicErrorResponse,
  };
}
