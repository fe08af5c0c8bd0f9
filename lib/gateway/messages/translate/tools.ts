// Anthropic `tools` / `tool_choice` → OpenAI function tools.
import { ApiError } from "../../../errors";
import type { ChatRequest } from "../../../wire/chat";
import type { Notes } from "./notes";
import type { Req } from "./types";

type Tool = NonNullable<ChatRequest["tools"]>[number];

/** OpenAI's (and Gemini's) rule for function names; Anthropic allows 128 characters. */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const CUSTOM_KEYS = new Set(["name", "description", "input_schema", "type", "cache_control", "defer_loading", "strict"]);
/** Anthropic's tool search tools: they only matter for deferred tools, which we load up front. */
const TOOL_SEARCH = /^tool_search_tool_(regex|bm25)(_\d+)?$/;

export function convertTools(req: Req, notes: Notes): Pick<ChatRequest, "tools" | "tool_choice" | "parallel_tool_calls"> {
  const tools: Tool[] = [];
  (req.tools ?? []).forEach((raw, i) => {
    const tool = raw as Record<string, unknown>;
    const at = `tools[${i}]`;
    const type = typeof tool.type === "string" ? tool.type : undefined;
    if (type !== undefined && type !== "custom") {
      if (TOOL_SEARCH.test(type)) {
        notes.once("tool_search", "Tool search tools have no counterpart on this model; deferred tools are sent up front instead.");
        return;
      }
      throw new ApiError("unsupported_parameter", `Server tool '${type}' is not available on this model; only custom tools are.`, { param: at });
    }
    for (const key of Object.keys(tool)) {
      if (!CUSTOM_KEYS.has(key)) throw new ApiError("unsupported_parameter", `Unknown tool field '${key}'.`, { param: `${at}.${key}` });
    }
    const name = String(tool.name);
    if (!FUNCTION_NAME.test(name)) {
      throw new ApiError("invalid_value", "Tool names must be 1-64 characters of a-z, A-Z, 0-9, _ and - on this model.", { param: `${at}.name` });
    }
    if (tool.cache_control != null) notes.once("cache_control", "cache_control has no effect on this model (its upstream caches prompts on its own, or not at all) and was ignored.");
    if (tool.defer_loading === true) notes.once("defer_loading", "defer_loading has no effect on this model: every tool is sent up front.");
    const fn: Tool["function"] = { name, parameters: tool.input_schema as Record<string, unknown> };
    if (typeof tool.description === "string") fn.description = tool.description;
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    tools.push({ type: "function", function: fn });
  });

  const out: Pick<ChatRequest, "tools" | "tool_choice" | "parallel_tool_calls"> = {};
  const choice = req.tool_choice;
  if (tools.length > 0) out.tools = tools;
  if (!choice) return out;
  if (choice.type === "none" || choice.type === "auto") {
    // Without tools both already mean "answer in text"; OpenAI rejects tool_choice without tools.
    if (tools.length > 0) out.tool_choice = choice.type;
  } else if (tools.length === 0) {
    throw new ApiError("invalid_value", `tool_choice '${choice.type}' needs at least one tool in \`tools\`.`, { param: "tool_choice" });
  } else if (choice.type === "any") {
    out.tool_choice = "required";
  } else {
    if (!tools.some((t) => t.function.name === choice.name)) {
      throw new ApiError("invalid_value", `tool_choice names '${choice.name}', which is not in \`tools\`.`, { param: "tool_choice.name" });
    }
    out.tool_choice = { type: "function", function: { name: choice.name } };
  }
  if (choice.type !== "none" && choice.disable_parallel_tool_use === true && tools.length > 0) out.parallel_tool_calls = false;
  return out;
}
