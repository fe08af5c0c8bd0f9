// One candidate's parts → OpenAI text, reasoning and tool calls (shared by response and stream).
import type { ToolCall } from "../types";
import { toolCallId } from "./thought-signature";
import type { GeminiPart } from "./wire";

export interface CandidateOutput {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
}

/**
 * `firstCall` numbers tool calls across a stream's events. A signature on a text part has no OpenAI
 * field to ride in and is dropped (Gemini does not require those back); function-call signatures go
 * into the tool call id (see thought-signature.ts).
 */
export function readParts(parts: GeminiPart[] | undefined, responseId: string, candidate: number, firstCall = 0): CandidateOutput {
  const out: CandidateOutput = { text: "", reasoning: "", toolCalls: [] };
  for (const part of parts ?? []) {
    if (part.functionCall) {
      const call = firstCall + out.toolCalls.length;
      out.toolCalls.push({
        id: toolCallId(responseId, candidate, call, part.thoughtSignature),
        type: "function",
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    } else if (typeof part.text === "string") {
      if (part.thought) out.reasoning += part.text;
      else out.text += part.text;
    }
  }
  return out;
}
