// vecstruct.rag and vecstruct.use_memory on a translated front door (Messages, Responses), exactly as
// chat does them (same retrieval, same memories, same delimited context text, same credits and audit
// fields). The chat features read the conversation through a text-only view of it; the texts they
// return are added by each dialect to its own system field, after the client's own.
import type { AuditDraft } from "../audit/draft";
import { env } from "../env";
import { toMicros } from "../money";
import { withSpan } from "../observability/tracing";
import type { ChatMessage, ChatRequest, VecstructExtension } from "../wire/chat";
import { applyMemory, memoryUserId } from "./memory";
import type { ProjectContext } from "./projects";
import { applyRag, type RagSource } from "./rag";

export interface GatheredContext {
  /** The context texts to add to the request's system prompt, in order. */
  texts: string[];
  ragSources: RagSource[];
  credits: bigint;
  memoryUser: string | null;
}

const textOf = (m: ChatMessage) => (typeof m.content === "string" ? m.content : "");

export async function gatherContext(view: ChatMessage[], vecstruct: VecstructExtension | undefined, project: ProjectContext, audit: AuditDraft, warnings: string[]): Promise<GatheredContext> {
  const e = env();
  let credits = 0n;
  let ragSources: RagSource[] = [];
  const texts: string[] = [];
  const memoryUser = vecstruct?.use_memory ? memoryUserId(vecstruct) : null;
  // The chat features take a chat request: the text view carries what they read.
  const chat: ChatRequest = { model: "", messages: view } as ChatRequest;
  if (vecstruct?.rag) {
    const rag = await withSpan("vecstruct.rag", { "vecstruct.project_id": project.id }, () => applyRag(chat, vecstruct, project, { warnings, auditId: audit.id }));
    ragSources = rag.sources;
    credits += toMicros(e.VECSTRUCT_CREDITS_RAG);
    audit.ragSources = rag.chunks.map((c) => ({ document_id: c.document_id, chunk_id: c.chunk_id, title: c.title, similarity: c.similarity }));
    audit.injected = rag.injected ? [rag.injected] : [];
    if (rag.injected) texts.push(textOf(rag.injected));
  }
  if (memoryUser) {
    // A lookup costs its credits whether or not anything is found (DESIGN.md §2).
    credits += toMicros(e.VECSTRUCT_CREDITS_MEMORY);
    const mem = await withSpan("vecstruct.memory", { "vecstruct.project_id": project.id }, () => applyMemory(chat, project.id, memoryUser));
    audit.memoryIds = mem.memories.map((m) => m.id);
    if (mem.injected) {
      audit.injected = [...(audit.injected ?? []), mem.injected];
      texts.push(textOf(mem.injected));
    }
  }
  return { texts, ragSources, credits, memoryUser };
}
