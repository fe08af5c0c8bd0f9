// vecstruct.rag and vecstruct.use_memory on a Messages request, exactly as chat does them (same
// retrieval, same memories, same delimited context text, same credits and audit fields). The chat
// features read the conversation through a text-only view of it; what they inject is appended to
// Anthropic's `system` as text blocks after the client's own, so the client's blocks (and their
// cache_control breakpoints) reach the upstream unchanged.
import type { AuditDraft } from "../../audit/draft";
import { env } from "../../env";
import { toMicros } from "../../money";
import { withSpan } from "../../observability/tracing";
import type { ChatMessage, ChatRequest, VecstructExtension } from "../../wire/chat";
import type { MessagesRequestWithExtension as MessagesRequest } from "../../wire/messages";
import { applyMemory, memoryUserId } from "../memory";
import type { ProjectContext } from "../projects";
import { applyRag, type RagSource } from "../rag";

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

const textOf = (m: ChatMessage) => (typeof m.content === "string" ? m.content : "");

export async function applyMessagesContext<R extends Pick<MessagesRequest, "messages"> & { system?: unknown }>(
  request: R,
  vecstruct: VecstructExtension | undefined,
  project: ProjectContext,
  audit: AuditDraft,
  warnings: string[],
): Promise<MessagesContext<R>> {
  const e = env();
  let credits = 0n;
  let ragSources: RagSource[] = [];
  const texts: string[] = [];
  const memoryUser = vecstruct?.use_memory ? memoryUserId(vecstruct) : null;
  // The chat features take a chat request: the text view carries what they read.
  const view: ChatRequest = { model: "", messages: textView(request) } as ChatRequest;
  if (vecstruct?.rag) {
    const rag = await withSpan("vecstruct.rag", { "vecstruct.project_id": project.id }, () => applyRag(view, vecstruct, project, { warnings, auditId: audit.id }));
    ragSources = rag.sources;
    credits += toMicros(e.VECSTRUCT_CREDITS_RAG);
    audit.ragSources = rag.chunks.map((c) => ({ document_id: c.document_id, chunk_id: c.chunk_id, title: c.title, similarity: c.similarity }));
    audit.injected = rag.injected ? [rag.injected] : [];
    if (rag.injected) texts.push(textOf(rag.injected));
  }
  if (memoryUser) {
    // A lookup costs its credits whether or not anything is found (DESIGN.md §2).
    credits += toMicros(e.VECSTRUCT_CREDITS_MEMORY);
    const mem = await withSpan("vecstruct.memory", { "vecstruct.project_id": project.id }, () => applyMemory(view, project.id, memoryUser));
    audit.memoryIds = mem.memories.map((m) => m.id);
    if (mem.injected) {
      audit.injected = [...(audit.injected ?? []), mem.injected];
      texts.push(textOf(mem.injected));
    }
  }
  return { request: withSystemContext(request, texts), ragSources, credits, memoryUser };
}
