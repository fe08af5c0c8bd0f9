// Memory-model mode: a chat model (VECSTRUCT_MEMORY_MODEL, or the project's memory_model) reads the
// exchange and the user's current memories and answers with operations — add new facts, update
// changed ones ("I moved to Berlin" replaces "Lives in Paris"), delete contradicted ones, or nothing.
import { z } from "zod";
import { db } from "../db";
import { internalChat } from "../upstream/internal";
import { addMemory, updateMemory } from "./store";

export const EXTRACTION_PROMPT = `You maintain long-term memories about a user of an assistant.
You get the user's current memories (id and content) and the latest exchange. Extract durable facts about
the user (identity, preferences, circumstances, plans) from what the USER said, and reconcile them with
the current memories:
- "add" a new fact (one short third-person sentence, e.g. "Prefers tea over coffee"),
- "update" a memory whose fact changed (keep its id, give the new content),
- "delete" a memory the user contradicted or asked to forget,
- nothing for small talk, questions and facts already stored.
Answer with JSON only: {"operations": [{"op": "add", "content": "…"} | {"op": "update", "id": "…", "content": "…"} | {"op": "delete", "id": "…"}]}`;

const operations = z.object({
  operations: z
    .array(
      z.discriminatedUnion("op", [
        z.object({ op: z.literal("add"), content: z.string().trim().min(1).max(1_000) }),
        z.object({ op: z.literal("update"), id: z.string().min(1), content: z.string().trim().min(1).max(1_000) }),
        z.object({ op: z.literal("delete"), id: z.string().min(1) }),
      ]),
    )
    .max(20),
});

export interface ExtractionJob {
  orgId: string;
  projectId: string;
  userId: string;
  auditId: string;
  statements: string[];
  reply: string;
  model: string;
}

export async function reconcileWithModel(job: ExtractionJob): Promise<{ added: number; updated: number; deleted: number }> {
  const existing = await db().memory.findMany({ where: { projectId: job.projectId, userId: job.userId }, orderBy: { updatedAt: "desc" }, take: 100, select: { id: true, content: true } });
  const completion = await internalChat({
    orgId: job.orgId,
    projectId: job.projectId,
    endpoint: "memory:extract",
    metadata: { user_id: job.userId, source_audit_id: job.auditId },
    request: {
      model: job.model,
      temperature: 0,
      messages: [
        { role: "system", content: EXTRACTION_PROMPT },
        { role: "user", content: JSON.stringify({ memories: existing, exchange: { user: job.statements, assistant: job.reply.slice(0, 4_000) } }) },
      ],
      response_format: { type: "json_object" },
    },
  });
  const text = completion.choices[0]?.message.content ?? "";
  const parsed = operations.safeParse(JSON.parse(text.replace(/^```(?:json)?\s*|\s*```$/g, "")));
  if (!parsed.success) throw new Error(`memory model answered with invalid operations: ${text.slice(0, 200)}`);
  const known = new Set(existing.map((m) => m.id));
  const counts = { added: 0, updated: 0, deleted: 0 };
  for (const op of parsed.data.operations) {
    if (op.op === "add") {
      await addMemory({ orgId: job.orgId, projectId: job.projectId, userId: job.userId, content: op.content, sourceAuditId: job.auditId });
      counts.added += 1;
    } else if (!known.has(op.id)) {
      continue; // the model may only touch this user's memories it was shown
    } else if (op.op === "update") {
      await updateMemory(op.id, op.content, job.auditId);
      counts.updated += 1;
    } else {
      await db().memory.delete({ where: { id: op.id } });
      known.delete(op.id);
      counts.deleted += 1;
    }
  }
  return counts;
}
