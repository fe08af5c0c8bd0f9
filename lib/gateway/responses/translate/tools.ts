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

export function convertTools(req: Req): Out {
  const tools: Tool[] = [];
  (req.tools ?? []).forEach((raw, i) => {
    const tool = raw as Record<string, unknown>;
    const at = `tools[${i}]`;
    if (tool.type !== "function") {
      // Custom (freeform) tools and Codex's namespace tools have no chat counterpart in this piece.
      throw new ApiError("unsupported_parameter", `Tools of type '${String(tool.type)}' are not available on this model; only function tools are.`, { param: "tools" });
    }
    for (const key of Object.keys(tool)) {
      if (!FUNCTION_KEYS.has(key)) throw new ApiError("unsupported_parameter", `Unknown tool field '${key}'.`, { param: `${at}.${key}` });
    }
    const name = String(tool.name);
    if (!FUNCTION_NAME.test(name)) throw new ApiError("invalid_value", "Function names must be 1-64 characters of a-z, A-Z, 0-9, _ and -.", { param: `${at}.name` });
    const fn: Tool["function"] = { name };
    if (tool.parameters != null) fn.parameters = tool.parameters as Record<string, unknown>;
    if (typeof tool.description === "string") fn.description = tool.description;
    // Responses defaults strict to true; chat defaults it to false: say it explicitly.
    fn.strict = typeof tool.strict === "boolean" ? tool.strict : true;
    tools.push({ type: "function", function: fn });
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
