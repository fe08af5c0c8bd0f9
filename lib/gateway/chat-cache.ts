// The response cache on POST /v1/chat/completions (docs/policies.md): the lookup before the upstream,
// a hit's answer (JSON, or replayed as a well-formed stream), and a miss's answer stored once it ends.
import type { AuditDraft } from "../audit/draft";
import { reserve } from "../billing/reserve";
import { awaitLeader, lead } from "../cache/flight";
import { exactKey, semanticKey, singleTurnText } from "../cache/key";
import { planCache, type CachePlan } from "../cache/settings";
import { findExact, findSemantic, saveAnswer, type CachedAnswer } from "../cache/store";
import { log } from "../log";
import type { ChatCompletion, ChatCompletionChunk, Usage } from "../providers/types";
import { effectiveEmbeddingModel, embedTexts } from "../rag/embeddings";
import type { ChatRequest, VecstructExtension } from "../wire/chat";
import type { KeyContext } from "./auth";
import type { ProjectContext } from "./projects";

const ENDPOINT = "/v1/chat/completions";
/** How long an identical request waits for the one already upstream before going itself. */
const FOLLOW_MS = 30_000;

export interface ChatCache {
  plan: Exclude<CachePlan, null>;
  /** Set when the answer comes from the cache. */
  hit: CachedAnswer | null;
  /** Stores a miss's answer (then releases the requests waiting for it). */
  store(completion: ChatCompletion): void;
  /** Releases waiting requests without an answer (the miss failed). */
  abandon(): void;
}

/** x-vecstruct-cache for the response (absent when the cache did not apply). */
export const cacheHeader = (cache: ChatCache | null): Record<string, string> =>
  cache ? { "x-vecstruct-cache": cache.plan === "bypass" ? "bypass" : cache.hit ? "hit" : "miss" } : {};

/**
 * Looks the request up. `request` is what the upstream would receive (the injected context included);
 * `routing` the request's own model and routing fields, which change who answers.
 */
export async function openChatCache(args: {
  key: KeyContext;
  project: ProjectContext;
  audit: AuditDraft;
  ext: VecstructExtension | undefined;
  request: ChatRequest;
  routing: Record<string, unknown>;
  warnings: string[];
}): Promise<ChatCache | null> {
  const { project, audit } = args;
  const plan = planCache(project.cache, args.ext?.cache, project.keepMetadataOnly);
  if (plan === null) return null;
  const noop = { store: () => undefined, abandon: () => undefined };
  if (plan === "bypass") {
    audit.cache = "bypass";
    return { plan, hit: null, ...noop };
  }
  const keyed = { ...args.request, ...args.routing } as Record<string, unknown> & ChatRequest;
  const scope = { projectId: project.id, endpoint: ENDPOINT };
  const exact = exactKey(ENDPOINT, keyed);
  let semantic: { key: string; vector: Float32Array; model: string } | null = null;
  if (plan.mode === "semantic") {
    const turn = singleTurnText(keyed.messages);
    if (turn) {
      const model = effectiveEmbeddingModel(project.embeddingModel);
      try {
        const [vector] = await embedTexts({ orgId: project.orgId, projectId: project.id, model, endpoint: "rag:query-embedding", metadata: { source_audit_id: audit.id } }, [turn.text]);
        if (vector) semantic = { key: semanticKey(ENDPOINT, keyed, turn.index), vector, model };
      } catch (err) {
        log.warn("response cache: the turn could not be embedded; exact match only", { model }, err);
        args.warnings.push(`cache: the message could not be embedded with ${model}; only an exact match was looked up`);
      }
    }
  }
  const lookup = async () =>
    (await findExact(scope, exact)) ?? (semantic ? await findSemantic(scope, semantic.key, { vector: semantic.vector, model: semantic.model, threshold: plan.similarity }) : null);
  const flightKey = `${project.id}:${exact}`;
  let hit = await lookup();
  if (!hit && (await awaitLeader(flightKey, FOLLOW_MS))) hit = await lookup();
  if (hit) {
    audit.cache = "hit";
    audit.cacheSourceAuditId = hit.sourceAuditId;
    return { plan, hit, ...noop };
  }
  audit.cache = "miss";
  const release = lead(flightKey);
  return {
    plan,
    hit: null,
    store(completion) {
      const { vecstruct: _v, ...response } = completion as ChatCompletion & { vecstruct?: unknown };
      saveAnswer({ orgId: project.orgId, projectId: project.id, endpoint: ENDPOINT, key: exact, semantic, response, sourceAuditId: audit.id, ttlSeconds: plan.ttlSeconds })
        .catch((err: unknown) => log.warn("response cache: the answer could not be stored", { audit_id: audit.id }, err))
        .finally(release);
    },
    abandon: release,
  };
}

/**
 * A hit costs no USD: only the platform credits of the request's RAG / memory work are held and
 * charged (they ran), through the same reservation path as any request.
 */
export async function chargeHit(audit: AuditDraft, key: KeyContext, credits: bigint): Promise<void> {
  audit.reservation = await reserve(key, 0n, credits);
  audit.creditsMicros = credits;
  audit.costMicros = 0n;
}

/** The cached answer as this request's completion: its own id and time, the usage it had. */
export function hitCompletion(hit: CachedAnswer, ids: { id: string; created: number }): ChatCompletion {
  return { ...(hit.response as unknown as ChatCompletion), id: ids.id, created: ids.created };
}

/** A stored completion as the chunks a stream of it would have had. */
export function replayChunks(c: ChatCompletion): ReadableStream<ChatCompletionChunk> {
  const base = { id: c.id, object: "chat.completion.chunk" as const, created: c.created, model: c.model };
  const chunks: ChatCompletionChunk[] = [];
  for (const choice of c.choices) {
    const m = choice.message;
    chunks.push({ ...base, choices: [{ index: choice.index, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    if (m.reasoning_content) chunks.push({ ...base, choices: [{ index: choice.index, delta: { reasoning_content: m.reasoning_content }, finish_reason: null }] });
    if (m.content) chunks.push({ ...base, choices: [{ index: choice.index, delta: { content: m.content }, finish_reason: null }] });
    if (m.tool_calls?.length) {
      const tool_calls = m.tool_calls.map((t, index) => ({ index, id: t.id, type: "function" as const, function: { name: t.function.name, arguments: t.function.arguments } }));
      chunks.push({ ...base, choices: [{ index: choice.index, delta: { tool_calls }, finish_reason: null }] });
    }
    chunks.push({ ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason ?? "stop" }] });
  }
  if (c.usage) chunks.push({ ...base, choices: [], usage: c.usage });
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Assembles a streamed answer into the completion it amounts to, for the cache. */
export class StreamedCompletion {
  private choices = new Map<number, { content: string; reasoning: string; tools: Map<number, { id: string; name: string; arguments: string }>; finish: ChatCompletion["choices"][number]["finish_reason"] }>();
  private meta: { id: string; created: number; model: string } | null = null;

  add(chunk: ChatCompletionChunk): void {
    this.meta ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    for (const ch of chunk.choices) {
      let c = this.choices.get(ch.index);
      if (!c) this.choices.set(ch.index, (c = { content: "", reasoning: "", tools: new Map(), finish: null }));
      if (typeof ch.delta.content === "string") c.content += ch.delta.content;
      if (typeof ch.delta.reasoning_content === "string") c.reasoning += ch.delta.reasoning_content;
      for (const t of ch.delta.tool_calls ?? []) {
        const tool = c.tools.get(t.index) ?? { id: "", name: "", arguments: "" };
        if (t.id) tool.id = t.id;
        if (t.function?.name) tool.name += t.function.name;
        if (t.function?.arguments) tool.arguments += t.function.arguments;
        c.tools.set(t.index, tool);
      }
      if (ch.finish_reason) c.finish = ch.finish_reason;
    }
  }

  completion(usage: Usage | null): ChatCompletion | null {
    if (!this.meta || this.choices.size === 0) return null;
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({
        index,
        message: {
          role: "assistant" as const,
          content: c.content || (c.tools.size > 0 ? null : ""),
          ...(c.reasoning ? { reasoning_content: c.reasoning } : {}),
          ...(c.tools.size > 0
            ? { tool_calls: [...c.tools.entries()].sort(([a], [b]) => a - b).map(([, t]) => ({ id: t.id, type: "function" as const, function: { name: t.name, arguments: t.arguments } })) }
            : {}),
        },
        finish_reason: c.finish,
        logprobs: null,
      }));
    return { ...this.meta, object: "chat.completion", choices, ...(usage ? { usage } : {}) };
  }
}
