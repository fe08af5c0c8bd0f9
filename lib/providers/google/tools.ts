// OpenAI tools / tool_choice / parallel_tool_calls → Gemini tools + toolConfig.
import { ApiError } from "../../errors";
import type { ChatRequest } from "../../wire/chat";
import { convertSchema } from "./schema-convert";
import { isObject, type JsonObject } from "./wire";

export interface ConvertedTools {
  tools?: [{ functionDeclarations: JsonObject[] }];
  toolConfig?: { functionCallingConfig: { mode: "AUTO" | "ANY" | "NONE"; allowedFunctionNames?: string[] } };
}

export function convertTools(req: ChatRequest, warnings: Set<string>): ConvertedTools {
  const tools = req.tools ?? [];
  const choice = req.tool_choice;
  if (tools.length === 0) {
    if (choice === "required" || isObject(choice)) {
      throw new ApiError("invalid_value", "tool_choice requires at least one tool in `tools`.", { param: "tool_choice" });
    }
    return {}; // "auto" / "none" without tools already mean "answer in text"
  }
  if (req.parallel_tool_calls === false) {
    warnings.add("parallel_tool_calls=false has no Gemini equivalent; the model may still return several tool calls.");
  }
  if (tools.some((t) => t.function.strict === true)) {
    warnings.add("tools[].function.strict is best effort on Gemini: arguments are not guaranteed to match the schema.");
  }
  const declarations = tools.map(({ function: fn }) => {
    const declaration: JsonObject = { name: fn.name, description: fn.description ?? "" };
    if (fn.parameters && !isEmptyObjectSchema(fn.parameters)) {
      const schema = convertSchema(fn.parameters);
      declaration[schema.kind === "openapi" ? "parameters" : "parametersJsonSchema"] = schema.schema;
    }
    return declaration;
  });
  const out: ConvertedTools = { tools: [{ functionDeclarations: declarations }] };
  if (choice === "auto") out.toolConfig = { functionCallingConfig: { mode: "AUTO" } };
  else if (choice === "none") out.toolConfig = { functionCallingConfig: { mode: "NONE" } };
  else if (choice === "required") out.toolConfig = { functionCallingConfig: { mode: "ANY" } };
  else if (isObject(choice)) {
    const name = choice.function.name;
    if (!tools.some((t) => t.function.name === name)) {
      throw new ApiError("invalid_value", `tool_choice names '${name}', which is not in \`tools\`.`, { param: "tool_choice.function.name" });
    }
    out.toolConfig = { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [name] } };
  }
  return out;
}

// Gemini rejects an OBJECT schema without properties; a function without parameters omits the field.
function isEmptyObjectSchema(schema: JsonObject): boolean {
  const keys = Object.keys(schema).filter((k) => !["type", "properties", "additionalProperties", "$schema", "required"].includes(k));
  const noProperties = !isObject(schema.properties) || Object.keys(schema.properties).length === 0;
  const noRequired = !Array.isArray(schema.required) || schema.required.length === 0;
  return schema.type === "object" && keys.length === 0 && noProperties && noRequired && schema.additionalProperties !== true && !isObject(schema.additionalProperties);
}
