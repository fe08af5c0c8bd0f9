// Conversation state of /v1/responses (DESIGN §1 "Responses state"): `previous_response_id` is
// resolved here, in the key's project, into the full item list (the stored conversation's input,
// its output, then this request's input) for any provider. It is never forwarded: an upstream's own
// store is shared by every tenant of the credential, and our ids mean nothing to it.
import { ApiError } from "../../errors";
import { openReasoning } from "./translate";
import { shownId } from "./retrieve";
import { loadResponse, type ResponseScope } from "./store";

export type Item = Record<string, unknown>;

/** The request's own input as items: a string is one user message, as OpenAI lists it. */
export function inputItems(input: unknown): Item[] {
  if (input === undefined) return [];
  if (typeof input === "string") return [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }];
  return input as Item[];
}

/** Everything before this request's input when it continues a stored response; [] otherwise. */
export async function history(scope: ResponseScope, previousId: string | null | undefined): Promise<Item[]> {
  if (previousId == null) return [];
  const previous = await loadResponse(scope, previousId);
  if (!previous) {
    throw new ApiError("previous_response_not_found", `Previous response with id '${shownId(previousId)}' not found.`, { param: "previous_response_id" });
  }
  const output = Array.isArray(previous.response.output) ? (previous.response.output as Item[]) : [];
  return [...previous.input, ...output];
}

/**
 * Items for OpenAI's own /v1/responses: ids we assigned (user messages, tool outputs) are not
 * OpenAI's, and reasoning sealed by a translated model is unreadable to it; both are left out.
 */
export function forOpenAI(items: Item[], warnings: string[]): Item[] {
  let dropped = false;
  const out = items.flatMap((item): Item[] => {
    if (item.type === "reasoning" && openReasoning(item.encrypted_content as string | undefined)) {
      dropped = true;
      return [];
    }
    if (item.type === "reasoning" || item.type === "function_call" || (item.type === "message" && item.role === "assistant")) return [item];
    const { id: _id, ...rest } = item;
    return [rest];
  });
  if (dropped) warnings.push("Reasoning items produced by another provider's model cannot be read by this model and were left out.");
  return out;
}
