// vecstruct.rag and vecstruct.use_memory, for every front door: the same retrieval, the same memories,
// the same delimited context, credits and audit fields. Chat hands its own messages; the translated
// front doors (Messages, Responses) a text-only view of their conversation, and add the returned texts
// to their own system field, after the client's own.
//
// RAG and memory run side by side: both embed the same last user message, which the embedding cache
// (lib/rag/embeddings/local.ts) computes once, and neither waits for the other's queries.
import type { AuditDraft } from "../audit/draft";
import { env } from "../env";
import { toMicros } from "../money";
import { withSpan } from "../observability/tracing";
import type { ChatMessage, ChatRequest, VecstructExtension } from "../wire/chat";
import { applyMemory, memoryUserId } from "./memory";
import type { ProjectContext } from "./projects";
import { applyRag, type RagSource } from "./rag";

export interface GatheredContext {
  /** The context messages (RAG's, then memory's), to go before the first non-system message. */
  injected: ChatMessage[];
  /** The same, as texts for a system field. */
  texts: string[];
  ragSources: RagSource[];
  credits: bigint;
  memoryUser: string | null;
}

const textOf = (m: ChatMessage) => (typeof m.content === "string" ? m.content : "");

/** `view` is called only when the request asks for RAG or memory (a long conversation's text view is not free). */
export async function gatherContext(view: () => ChatMessage[], vecstruct: VecstructExtension | undefined, project: ProjectContext, audit: AuditDraft, warnings: string[]): Promise<GatheredContext> {
  if (!vecstruct?.rag && !vecstruct?.use_memory) return { injected: [], texts: [], ragSources: [], credits: 0n, memoryUser: null };
  const e = env();
  const memoryUser = vecstruct.use_memory ? memoryUserId(vecstruct) : null;
  const chat = { model: "", messages: view() } as ChatRequest;
  const [rag, mem] = await Promise.all([
    vecstruct.rag ? withSpan("vecstruct.rag", { "vecstruct.project_id": project.id }, () => applyRag(chat, vecstruct, project, { warnings, auditId: audit.id })) : null,
    memoryUser ? withSpan("vecstruct.memory", { "vecstruct.project_id": project.id }, () => applyMemory(chat, project.id, memoryUser)) : null,
  ]);
  let credits = 0n;
  const injected: ChatMessage[] = [];
  if (rag) {
    credits += toMicros(e.VECSTRUCT_CREDITS_RAG);
    // The ranking's similarity and the raw signals it came from (docs/rag.md, "Similarity").
    audit.ragSources = rag.chunks.map((c) => ({
      document_id: c.document_id,
      chunk_id: c.chunk_id,
      title: c.title,
      similarity: c.similarity,
      cosine: c.cosine,
      vector_rank: c.vector_rank,
      lexical_rank: c.lexical_rank,
      crosslingual_rank: c.crosslingual_rank,
      score: c.score,
      rerank_score: c.rerank_score,
    }));
    if (rag.injected) injected.push(rag.injected);
  }
  if (mem) {
    // A lookup costs its credits whether or not anything is found (DESIGN.md §2).
    credits += toMicros(e.VECSTRUCT_CREDITS_MEMORY);
    audit.memoryIds = mem.memories.map((m) => m.id);
    if (mem.injected) injected.push(mem.injected);
  }
  if (rag || injected.length > 0) audit.injected = injected;
  return { injected, texts: injected.map(textOf), ragSources: rag?.sources ?? [], credits, memoryUser };
}

/** The messages with the context messages inserted before the first one that is not system or developer. */
export function withContextMessages(messages: ChatMessage[], injected: ChatMessage[]): ChatMessage[] {
  if (injected.length === 0) return messages;
  const first = messages.findIndex((m) => m.role !== "system" && m.role !== "developer");
  const at = first === -1 ? messages.length : first;
  return [...messages.slice(0, at), ...injected, ...messages.slice(at)];
}
