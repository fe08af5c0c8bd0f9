import type { z } from "zod";
import { ApiError } from "../errors";
import { readBodyCapped } from "./body";

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const paramName = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || null;

/** Maps the first zod issue to the OpenAI error shape: `param` names the field. */
export function zodToApiError(error: z.ZodError, data: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError("invalid_value", "Invalid request.");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const param = paramName([...issue.path, key]);
    return new ApiError("unsupported_parameter", `Unrecognized request argument supplied: ${param}`, { param });
  }
  const param = paramName(issue.path);
  if (issue.code === "invalid_type" && valueAt(data, issue.path) === undefined) {
    return new ApiError("missing_required_parameter", `Missing required parameter: '${param}'.`, { param });
  }
  const where = param ? `Invalid '${param}': ` : "Invalid request: ";
  return new ApiError("invalid_value", where + issue.message.replace(/^Invalid input: /, ""), { param });
}

export function parseWith<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) throw zodToApiError(result.error, data);
  return result.data;
}

const MAX_JSON_BYTES = 1024 * 1024;

/** Reads a JSON body with a size cap enforced while reading (chunked too); an empty body reads as {}. */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const text = (await readBodyCapped(req, maxBytes)).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "We could not parse the JSON body of your request.");
  }
}
