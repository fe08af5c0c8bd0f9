// vecstruct.rag and vecstruct.use_memory on a Messages request (lib/gateway/context.ts): what they
// inject is appended to Anthropic's `system` as text blocks after the client's own, so the client's
// blocks (and their cache_control breakpoints) reach the upstream unchanged.
import type { AuditDraft } from "../../audit/draft";
import type { ChatMessage, VecstructExtension } from "../../wire/chat";
import type { MessagesRequestWithExtension as MessagesRequest } from "../../wire/messages";
import { gatherContext } from "../context";
import type { ProjectContext } from "../projects";
import type { RagSource } from "../rag";

/** The conversation as text per turn (what retrieval queries and memory learns from). */
export function textView(req: Pick<MessagesRequest, "messages">): ChatMessage[] {
  return req.messages.map((m) => {
    const text =
      typeof m.content === "string"
        ? m.content
        : m.content
            .map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : b.type === "tool_result" && typeof b.content === "string" ? b.content : ""))
            .filter((t) => t !== "")
            .join(" ");
    return { role: m.role, content: text } as ChatMessage;
  });
}

/** Appends context texts to `system`, leaving the client's blocks as they were. */
export function withSystemContext<R extends { system?: unknown }>(req: R, texts: string[]): R {
  if (texts.length === 0) return req;
  const added = texts.map((text) => ({ type: "text" as const, text }));
  const system = req.system;
  const before = typeof system === "string" ? (system === "" ? [] : [{ type: "text" as const, text: system }]) : Array.isArray(system) ? system : [];
  return { ...req, system: [...before, ...added] };
}

export interface MessagesContext<R> {
  request: R;
  ragSources: RagSource[];
  credits: bigint;
  memoryUser: string | null;
}

export async function applyMessagesContext<R extends Pick<MessagesRequest, "messages"> & { system?: unknown }>(
  request: R,
  vecstruct: VecstructExtension | undefined,
  project: ProjectContext,
  audit: AuditDraft,
  warnings: string[],
): Promise<MessagesContext<R>> {
  const { texts, ...rest } = await gatherContext(() => textView(request), vecstruct, project, audit, warnings);
  return { request: withSystemContext(request, texts), ...rest };
}
