// tools, tool_choice, parallel_tool_calls and response_format → Anthropic tools + tool_choice.
// Anthropic has no response_format on every model, so JSON output is emulated with a forced tool whose
// input is the answer; the response side turns that tool's input back into message content.
import { ApiError } from "../../errors";
import type { ChatRequest } from "../../wire/chat";
import { warn } from "./content";
import type { AnthropicTool, AnthropicToolChoice } from "./wire";

/**
 * Names of the emulation tool start with this. The response side has no access to the request, so
 * the name itself marks the tool; client tools may not use the prefix.
 */
export const JSON_TOOL_PREFIX = "vecstruct_json";

export function isJsonTool(name: string): boolean {
  return name === JSON_TOOL_PREFIX || name.startsWith(`${JSON_TOOL_PREFIX}_`);
}

export interface ToolPlan {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

export function convertTools(req: ChatRequest, thinking: boolean, warnings: string[]): ToolPlan {
  const tools = (req.tools ?? []).map((tool, i) => clientTool(tool, `tools[${i}]`, warnings));
  const json = jsonTool(req.response_format, warnings);
  const plan = choose(req, tools, json);
  const forced = plan.tool_choice?.type === "any" || plan.tool_choice?.type === "tool";
  if (thinking && forced) {
    const param = json && plan.tools?.some((t) => t.name === json.name) ? "response_format" : "tool_choice";
    throw new ApiError(
      "invalid_value",
      `Anthropic cannot combine extended thinking (reasoning_effort) with forced tool use, which ${param} needs here. Drop reasoning_effort or ${param}.`,
      { param },
    );
  }
  return plan;
}

function choose(req: ChatRequest, tools: AnthropicTool[], json: AnthropicTool | undefined): ToolPlan {
  const choice = req.tool_choice;
  const single = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (typeof choice === "object" && choice !== null) {
    const name = choice.function.name;
    if (!tools.some((t) => t.name === name)) {
      throw new ApiError("invalid_value", `tool_choice names the function "${name}", which is not in tools.`, { param: "tool_choice" });
    }
    // A forced call is the whole answer, so the structured-answer tool is not offered.
    return { tools, tool_choice: { type: "tool", name, ...single } };
  }
  if (choice === "required") {
    if (tools.length === 0) throw new ApiError("invalid_value", 'tool_choice "required" needs at least one tool.', { param: "tool_choice" });
    return { tools, tool_choice: { type: "any", ...single } };
  }
  if (json) {
    // Without client tools (or with tools the model may not call) the answer tool is forced; with
    // callable tools the model must either call one of them or answer through the answer tool.
    if (tools.length === 0 || choice === "none") {
      return { tools: [...tools, json], tool_choice: { type: "tool", name: json.name, disable_parallel_tool_use: true } };
    }
    return { tools: [...tools, json], tool_choice: { type: "any", ...single } };
  }
  if (tools.length === 0) return {}; // "auto"/"none" without tools mean what omitting them means
  if (choice === "none") return { tools, tool_choice: { type: "none" } };
  if (choice === "auto" || req.parallel_tool_calls === false) return { tools, tool_choice: { type: "auto", ...single } };
  return { tools };
}

function clientTool(tool: NonNullable<ChatRequest["tools"]>[number], path: string, warnings: string[]): AnthropicTool {
  const { name, description, parameters, strict } = tool.function;
  if (isJsonTool(name)) {
    throw new ApiError("invalid_value", `Tool names starting with "${JSON_TOOL_PREFIX}" are reserved by the gateway.`, { param: `${path}.function.name` });
  }
  if (strict) warn(warnings, "Anthropic does not enforce strict tool schemas; tool inputs follow the schema on a best-effort basis.");
  const out: AnthropicTool = { name, input_schema: objectSchema(parameters) };
  if (description) out.description = description;
  return out;
}

function jsonTool(format: ChatRequest["response_format"], warnings: string[]): AnthropicTool | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") {
    return {
      name: JSON_TOOL_PREFIX,
      description: "Give your final answer by calling this tool. Its input is the answer: a JSON object.",
      input_schema: { type: "object", additionalProperties: true },
    };
  }
  const { name, description, schema, strict } = format.json_schema;
  if (schema && schema.type !== undefined && schema.type !== "object") {
    throw new ApiError("invalid_value", "The anthropic provider needs a json_schema whose root is an object.", { param: "response_format.json_schema.schema" });
  }
  if (strict) warn(warnings, "Anthropic does not enforce strict JSON schemas; the answer follows the schema on a best-effort basis.");
  return {
    name: `${JSON_TOOL_PREFIX}_${name}`.slice(0, 64),
    description: description ?? `Give your final answer by calling this tool. Its input is the answer, following the "${name}" schema.`,
    input_schema: objectSchema(schema),
  };
}

// Anthropic requires `input_schema.type: "object"`; OpenAI lets a tool omit parameters entirely.
function objectSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!schema) return { type: "object", properties: {} };
  return schema.type === undefined ? { type: "object", ...schema } : schema;
}
