// Responses `tools` / `tool_choice` / `parallel_tool_calls` → OpenAI chat function tools.
// Hosted tools (web_search, file_search, …) are a 400 naming `tools` (DESIGN §1): no translated
// upstream runs them for us.
import { ApiError } from "../../../errors";
import type { ChatRequest } from "../../../wire/chat";
import type { Req } from "./types";

type Tool = NonNullable<ChatRequest["tools"]>[number];
type Out = Pick<ChatRequest, "tools" | "tool_choice" | "parallel_tool_calls">;

/** OpenAI's (and Gemini's) rule for function names. */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const FUNCTION_KEYS = new Set(["type", "name", "description", "parameters", "strict"]);

/**
 * A namespace's functions go upstream as `<namespace>__<name>` (chat tools have no namespaces); the
 * answer's calls are split back into `namespace` + `name`, which is how OpenAI returns them and how
 * Codex sends them back (observed with Codex 0.171).
 */
export const qualified = (namespace: string, name: string) => `${namespace}__${name}`;

/** Upstream function name → the namespace and name the client knows, for the request's namespaced tools. */
export function namespacedNames(req: Req): Map<string, { namespace: string; name: string }> {
  const out = new Map<string, { namespace: string; name: string }>();
  for (const raw of req.tools ?? []) {
    const tool = raw as Record<string, unknown>;
    if (tool.type !== "namespace" || typeof tool.name !== "string" || !Array.isArray(tool.tools)) continue;
    for (const inner of tool.tools as Record<string, unknown>[]) {
      if (typeof inner.name === "string") out.set(qualified(tool.name, inner.name), { namespace: tool.name, name: inner.name });
    }
  }
  return out;
}

const NAMESPACE_KEYS = new Set(["type", "name", "description", "tools"]);

export function convertTools(req: Req): Out {
  const tools: Tool[] = [];
  const add = (tool: Record<string, unknown>, at: string, namespace?: string) => {
    if (tool.type !== "function") {
      // Hosted tools (web_search, file_search, …) and custom (freeform) tools have no chat counterpart.
      throw new ApiError("unsupported_parameter", `Tools of type '${String(tool.type)}' are not available on this model; only function tools are.`, { param: "tools" });
    }
    for (const key of Object.keys(tool)) {
      if (!FUNCTION_KEYS.has(key)) throw new ApiError("unsupported_parameter", `Unknown tool field '${key}'.`, { param: `${at}.${key}` });
    }
    const name = namespace === undefined ? String(tool.name) : qualified(namespace, String(tool.name));
    if (!FUNCTION_NAME.test(name)) {
      const why = namespace === undefined ? "" : ` (with its namespace: ${name})`;
      throw new ApiError("invalid_value", `Function names must be 1-64 characters of a-z, A-Z, 0-9, _ and -${why}.`, { param: `${at}.name` });
    }
    if (tools.some((t) => t.function.name === name)) throw new ApiError("invalid_value", `Two tools are named '${name}' for this model.`, { param: `${at}.name` });
    const fn: Tool["function"] = { name };
    if (tool.parameters != null) fn.parameters = tool.parameters as Record<string, unknown>;
    if (typeof tool.description === "string") fn.description = tool.description;
    // Responses defaults strict to true; chat defaults it to false: say it explicitly.
    fn.strict = typeof tool.strict === "boolean" ? tool.strict : true;
    tools.push({ type: "function", function: fn });
  };
  (req.tools ?? []).forEach((raw, i) => {
    const tool = raw as Record<string, unknown>;
    const at = `tools[${i}]`;
    if (tool.type !== "namespace") return add(tool, at);
    for (const key of Object.keys(tool)) {
      if (!NAMESPACE_KEYS.has(key)) throw new ApiError("unsupported_parameter", `Unknown namespace field '${key}'.`, { param: `${at}.${key}` });
    }
    if (typeof tool.name !== "string" || !Array.isArray(tool.tools)) throw new ApiError("invalid_value", "A namespace tool needs `name` and `tools`.", { param: at });
    (tool.tools as Record<string, unknown>[]).forEach((inner, j) => add(inner, `${at}.tools[${j}]`, tool.name as string));
  });

  const out: Out = {};
  if (tools.length > 0) out.tools = tools;
  const choice = req.tool_choice;
  if (choice != null) {
    if (typeof choice === "string") {
      if (choice === "required" && tools.length === 0) throw new ApiError("invalid_value", "tool_choice 'required' needs at least one tool in `tools`.", { param: "tool_choice" });
      // Without tools "none" and "auto" already mean "answer in text"; OpenAI rejects tool_choice without tools.
      if (tools.length > 0) out.tool_choice = choice;
    } else if (choice.type === "function") {
      const name = (choice as { name?: unknown }).name;
      if (!tools.some((t) => t.function.name === name)) throw new ApiError("invalid_value", `tool_choice names '${String(name)}', which is not in \`tools\`.`, { param: "tool_choice.name" });
      out.tool_choice = { type: "function", function: { name: name as string } };
    } else {
      throw new ApiError("unsupported_parameter", `tool_choice of type '${choice.type}' is not supported for this model.`, { param: "tool_choice" });
    }
  }
  if (req.parallel_tool_calls != null && tools.length > 0) out.parallel_tool_calls = req.parallel_tool_calls;
  return out;
}
