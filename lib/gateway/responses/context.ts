// vecstruct.rag and vecstruct.use_memory on a Responses request (lib/gateway/context.ts): retrieval
// and memory read the conversation's messages as text; what they inject is appended to
// `instructions`, after the client's own.
import type { ChatMessage } from "../../wire/chat";
import type { Item } from "./state";

const TEXT_PARTS = new Set(["input_text", "output_text"]);

/** The conversation's messages as text per turn (what retrieval queries and memory learns from). */
export function textView(items: Item[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const item of items) {
    if ((item.type ?? "message") !== "message") continue;
    const role = item.role === "assistant" ? "assistant" : item.role === "user" ? "user" : null;
    if (!role) continue;
    const content =
      typeof item.content === "string"
        ? item.content
        : Array.isArray(item.content)
          ? (item.content as { type?: unknown; text?: unknown }[])
              .map((p) => (TEXT_PARTS.has(String(p.type)) && typeof p.text === "string" ? p.text : ""))
              .filter((t) => t !== "")
              .join(" ")
          : "";
    out.push({ role, content } as ChatMessage);
  }
  return out;
}

export function withInstructions(instructions: string | null | undefined, texts: string[]): string | null | undefined {
  if (texts.length === 0) return instructions;
  return [instructions, ...texts].filter((t) => t != null && t !== "").join("\n\n");
}
