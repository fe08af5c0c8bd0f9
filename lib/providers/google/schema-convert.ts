// JSON Schema (what OpenAI clients send) → Gemini's `Schema`, an OpenAPI 3.0 subset that every
// Gemini model accepts. A schema the subset cannot express exactly goes out unchanged in the
// `*JsonSchema` field instead (Gemini 2.5 and later), so no constraint is ever silently lost.
// Only annotations are dropped: JSON Schema does not validate with them (`format` is one, and
// Gemini rejects most formats, so an unsupported one moves into the description as a hint).
import { isObject, type JsonObject } from "./wire";

export type ConvertedSchema = { kind: "openapi"; schema: JsonObject } | { kind: "json"; schema: JsonObject };

class NotRepresentable extends Error {}

const COPIED = new Set([
  "description", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
  "minProperties", "maxProperties", "default", "example", "required", "nullable", "propertyOrdering", "title",
]);
const ANNOTATIONS = new Set(["$schema", "$id", "$comment", "$defs", "definitions", "examples", "deprecated", "readOnly", "writeOnly"]);
const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);
const FORMATS: Record<string, Set<string>> = {
  STRING: new Set(["enum", "date-time"]),
  NUMBER: new Set(["float", "double"]),
  INTEGER: new Set(["int32", "int64"]),
};

interface Ctx {
  root: JsonObject;
  refs: string[];
  /** Structured output: keep the client's key order (Gemini otherwise orders keys alphabetically). */
  ordering: boolean;
}

export function convertSchema(schema: JsonObject, opts: { ordering?: boolean } = {}): ConvertedSchema {
  try {
    return { kind: "openapi", schema: convert(schema, { root: schema, refs: [], ordering: opts.ordering ?? false }) };
  } catch (err) {
    if (err instanceof NotRepresentable) return { kind: "json", schema };
    throw err;
  }
}

function convert(node: unknown, ctx: Ctx): JsonObject {
  if (!isObject(node)) throw new NotRepresentable();
  let out: JsonObject = {};
  let format: unknown;
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key)) continue;
    if (COPIED.has(key)) out[key] = value;
    else if (key === "format") format = value;
    else if (key === "type") out = merge(out, convertType(value));
    else if (key === "enum") out = merge(out, convertEnum(value));
    else if (key === "const") out = merge(out, convertEnum([value]));
    else if (key === "properties") out.properties = convertProperties(value, ctx);
    else if (key === "items") out.items = convert(value, ctx);
    else if (key === "anyOf" || key === "oneOf") out = merge(out, convertUnion(value, ctx));
    else if (key === "allOf" && Array.isArray(value) && value.length === 1) out = merge(out, convert(value[0], ctx));
    else if (key === "$ref") out = merge(out, convertRef(value, ctx));
    // false: Gemini objects only carry declared properties; true: the JSON Schema default.
    else if (key === "additionalProperties" && typeof value === "boolean") continue;
    else throw new NotRepresentable();
  }
  if (out.type === undefined && Array.isArray(out.enum)) out.type = "STRING";
  if (out.type === undefined && out.anyOf === undefined) throw new NotRepresentable();
  // A free-form object (no declared properties) is refused by Gemini's Schema.
  if (out.type === "OBJECT" && !(isObject(out.properties) && Object.keys(out.properties).length > 0)) throw new NotRepresentable();
  if (format !== undefined) out = withFormat(out, format);
  if (ctx.ordering && isObject(out.properties) && out.propertyOrdering === undefined) {
    out.propertyOrdering = Object.keys(out.properties);
  }
  return out;
}

function convertType(type: unknown): JsonObject {
  const types = Array.isArray(type) ? type : [type];
  const nonNull = types.filter((t) => t !== "null");
  const only = nonNull[0];
  if (nonNull.length !== 1 || typeof only !== "string" || !TYPES.has(only)) throw new NotRepresentable();
  return nonNull.length < types.length ? { type: only.toUpperCase(), nullable: true } : { type: only.toUpperCase() };
}

function convertEnum(values: unknown): JsonObject {
  if (!Array.isArray(values)) throw new NotRepresentable();
  const strings = values.filter((v) => v !== null);
  if (!strings.every((v) => typeof v === "string")) throw new NotRepresentable();
  return strings.length < values.length ? { enum: strings, nullable: true } : { enum: strings };
}

function convertProperties(value: unknown, ctx: Ctx): JsonObject {
  if (!isObject(value)) throw new NotRepresentable();
  return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convert(schema, ctx)]));
}

// oneOf becomes anyOf: for generation the two only differ when branches overlap.
function convertUnion(value: unknown, ctx: Ctx): JsonObject {
  if (!Array.isArray(value) || value.length === 0) throw new NotRepresentable();
  const branches = value.filter((b) => !(isObject(b) && b.type === "null" && Object.keys(b).length === 1));
  const nullable = branches.length < value.length ? { nullable: true } : {};
  if (branches.length === 1) return merge(convert(branches[0], ctx), nullable);
  return { anyOf: branches.map((b) => convert(b, ctx)), ...nullable };
}

function convertRef(ref: unknown, ctx: Ctx): JsonObject {
  if (typeof ref !== "string" || ctx.refs.includes(ref)) throw new NotRepresentable(); // recursion cannot be inlined
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match?.[1] ? ctx.root[match[1]] : undefined;
  const name = match?.[2]?.replace(/~1/g, "/").replace(/~0/g, "~");
  const target = isObject(defs) && name !== undefined ? defs[name] : undefined;
  if (target === undefined) throw new NotRepresentable();
  return convert(target, { ...ctx, refs: [...ctx.refs, ref] });
}

function withFormat(out: JsonObject, format: unknown): JsonObject {
  if (typeof format !== "string") throw new NotRepresentable();
  if (typeof out.type === "string" && FORMATS[out.type]?.has(format)) return { ...out, format };
  const hint = `(format: ${format})`;
  return { ...out, description: typeof out.description === "string" ? `${out.description} ${hint}` : hint };
}

/** Sibling keywords apply together; two different values for one key cannot be expressed. */
function merge(a: JsonObject, b: JsonObject): JsonObject {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (key === "nullable") out.nullable = a.nullable === true || value === true;
    else if (key in out && JSON.stringify(out[key]) !== JSON.stringify(value)) throw new NotRepresentable();
    else out[key] = value;
  }
  return out;
}
