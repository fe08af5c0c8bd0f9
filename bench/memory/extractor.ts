// Model mode without a model: a deterministic, scripted stand-in for the memory model, in the spirit
// of memoryOperations in tests/mocks/upstream.ts, and an applier that mirrors
// lib/memory/extract.ts reconcileWithModel (same "current memories" query, same id guard, same
// addMemory / updateMemory / db delete) minus the chat call — no HTTP, no gateway.
//
// The stand-in behaves like a *good* model: it knows, from the script, which facts a statement
// states and the short note to keep for each; it reads the memories it is shown and
// - adds a new fact,
// - updates the memory holding the previous version on `change: "update"` ("moved to Berlin"),
// - deletes it and adds the new fact on `change: "contradict"` ("no longer eats meat"),
// - does nothing for small talk, questions and facts already stored.
// So the model-mode numbers are what perfect reconciliation buys, an upper bound for a real model.
import type { FactVersion } from "./script";

export interface ShownMemory {
  id: string;
  content: string;
}

/** The operations of lib/memory/extract.ts, plus `fact`: which script fact an add/update writes (bench bookkeeping only). */
export type ScriptedOp = { op: "add"; content: string; fact: string } | { op: "update"; id: string; content: string; fact: string } | { op: "delete"; id: string };

/** What the scripted model answers for one exchange. `statements` maps a user's statement (trimmed) to the facts it states. */
export function scriptedOperations(payload: { memories: ShownMemory[]; exchange: { user: string[] } }, statements: Map<string, FactVersion[]>): ScriptedOp[] {
  const said = (payload.exchange.user[payload.exchange.user.length - 1] ?? "").trim();
  const ops: ScriptedOp[] = [];
  for (const fact of statements.get(said) ?? []) {
    if (payload.memories.some((m) => m.content === fact.note)) continue; // already known
    const previous = fact.supersedes ? payload.memories.find((m) => m.content === fact.supersedes!.note) : undefined;
    if (previous && fact.change === "update") {
      ops.push({ op: "update", id: previous.id, content: fact.note, fact: fact.id });
    } else if (previous && fact.change === "contradict") {
      ops.push({ op: "delete", id: previous.id }, { op: "add", content: fact.note, fact: fact.id });
    } else {
      ops.push({ op: "add", content: fact.note, fact: fact.id });
    }
  }
  return ops;
}

export interface ApplyDeps {
  findMemories(projectId: string, userId: string): Promise<ShownMemory[]>;
  addMemory(input: { orgId: string; projectId: string; userId: string; content: string; sourceAuditId: string | null }): Promise<{ id: string }>;
  updateMemory(id: string, content: string, auditLogId: string | null): Promise<unknown>;
  deleteMemory(id: string): Promise<unknown>;
}

export interface ScriptedJob {
  orgId: string;
  projectId: string;
  userId: string;
  auditId: string;
  statements: string[];
}

/**
 * reconcileWithModel with scriptedOperations in place of the chat call. `tags` (memory id → script
 * fact ids) is kept up to date so the benchmark can tell which fact an injected memory carries.
 */
export async function reconcileScripted(
  deps: ApplyDeps,
  job: ScriptedJob,
  statements: Map<string, FactVersion[]>,
  tags: Map<string, string[]>,
): Promise<{ added: number; updated: number; deleted: number }> {
  const existing = await deps.findMemories(job.projectId, job.userId);
  const ops = scriptedOperations({ memories: existing, exchange: { user: job.statements } }, statements);
  const known = new Set(existing.map((m) => m.id));
  const counts = { added: 0, updated: 0, deleted: 0 };
  for (const op of ops) {
    if (op.op === "add") {
      const m = await deps.addMemory({ orgId: job.orgId, projectId: job.projectId, userId: job.userId, content: op.content, sourceAuditId: job.auditId });
      tags.set(m.id, [op.fact]);
      counts.added += 1;
    } else if (!known.has(op.id)) {
      continue; // as in reconcileWithModel: only memories of this user that were shown
    } else if (op.op === "update") {
      await deps.updateMemory(op.id, op.content, job.auditId);
      tags.set(op.id, [op.fact]);
      counts.updated += 1;
    } else {
      await deps.deleteMemory(op.id);
      known.delete(op.id);
      tags.delete(op.id);
      counts.deleted += 1;
    }
  }
  return counts;
}
