import { ApiError } from "../errors";

/** Reads a JSON body with a hard cap: a declared length over it is refused before reading. */
export async function readJsonBodyCapped(req: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new ApiError("request_too_large", `Request body exceeds the ${maxBytes}-byte limit.`);
  const declared = req.headers.get("content-length");
  if (declared && Number(declared) > maxBytes) throw tooLarge();
  if (!req.body) throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const text = Buffer.concat(parts, size).toString("utf8");
  if (text.trim() === "") throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "We could not parse the JSON body of your request.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("invalid_json", "The request body must be a JSON object.");
  }
  return parsed;
}
