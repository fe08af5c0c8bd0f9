// Document ingestion, off the request path: extract text → chunk by structure → embed (the project's
// embedding model, else the offline default) → commit chunks, vectors and lexical rows in one
// transaction. Documents wait in the database (status queued), so a restart resumes them;
// organizations take turns (see IngestState). Changing a project's embedding model queues its documents again
// (lib/rag/store.ts setProjectEmbeddingModel): they are re-extracted from the kept source and re-embedded.
import { countTokens } from "../billing/tokens";
import { db } from "../db";
import { env } from "../env";
import { ApiError } from "../errors";
import { chunkBlocks } from "./chunk";
import { DEFAULT_EMBEDDING_MODEL, effectiveEmbeddingModel, embedTexts } from "./embeddings";
import { ExtractionError, extractDocument } from "./extract";
import { commitDocumentChunks, maxVectorWidth } from "./store";
import { log } from "../log";
import { internalAudit } from "../upstream/internal";
import { wellFormedText } from "../well-formed";

/**
 * Fair ingestion: each organization has its own queue and organizations take turns (round robin),
 * at most one document of an organization at a time and VECSTRUCT_INGEST_CONCURRENCY in all, so one
 * tenant's backlog (or one slow document) never stalls another's. On globalThis: Next bundles the
 * instrumentation hook (which resumes ingestion) apart from the route handlers (which enqueue).
 */
interface IngestState {
  queues: Map<string, string[]>;
  /** Organizations with queued documents, in turn order. */
  turns: string[];
  /** Organization → the document being ingested. */
  running: Map<string, string>;
  idle: Set<() => void>;
}
const st: IngestState = ((globalThis as unknown as { vecstructIngest?: IngestState }).vecstructIngest ??= {
  queues: new Map(),
  turns: [],
  running: new Map(),
  idle: new Set(),
});

export function enqueueIngestion(documentId: string, orgId: string): void {
  const queue = st.queues.get(orgId) ?? [];
  if (queue.includes(documentId) || st.running.get(orgId) === documentId) return;
  queue.push(documentId);
  if (!st.queues.has(orgId)) {
    st.queues.set(orgId, queue);
    st.turns.push(orgId);
  }
  pump();
}

const queuedCount = () => [...st.queues.values()].reduce((n, q) => n + q.length, 0);

function pump() {
  const limit = env().VECSTRUCT_INGEST_CONCURRENCY;
  while (st.running.size < limit) {
    // The first organization in turn order with nothing running takes the next slot, then goes last.
    const at = st.turns.findIndex((org) => !st.running.has(org));
    if (at === -1) break;
    const orgId = st.turns[at]!;
    const queue = st.queues.get(orgId)!;
    const documentId = queue.shift()!;
    st.turns.splice(at, 1);
    if (queue.length > 0) st.turns.push(orgId);
    else st.queues.delete(orgId);
    st.running.set(orgId, documentId);
    void ingest(documentId)
      .catch((err) => log.error("ingestion failed", { document_id: documentId }, err))
      .finally(() => {
        st.running.delete(orgId);
        pump();
      });
  }
  if (st.running.size === 0 && queuedCount() === 0) {
    for (const resolve of st.idle) resolve();
    st.idle.clear();
  }
}

/** Tests: resolves when nothing is queued or running. */
export function ingestionIdle(): Promise<void> {
  if (st.running.size === 0 && queuedCount() === 0) return Promise.resolve();
  return new Promise((resolve) => st.idle.add(resolve));
}

/** Picks up documents a previous process left queued or half-processed. */
export async function resumeIngestion(): Promise<number> {
  const pending = await db().document.findMany({ where: { status: { in: ["queued", "processing"] } }, select: { id: true, orgId: true }, orderBy: { createdAt: "asc" } });
  for (const d of pending) enqueueIngestion(d.id, d.orgId);
  return pending.length;
}

async function ingest(documentId: string): Promise<void> {
  const doc = await db().document.findUnique({ where: { id: documentId } });
  if (!doc || doc.status === "ready" || doc.status === "failed") return;
  const project = await db().project.findUnique({ where: { id: doc.projectId }, select: { embeddingModel: true } });
  const model = effectiveEmbeddingModel(project?.embeddingModel);
  const started = performance.now();
  // Guarded: a document deleted or re-queued meanwhile is left to whoever did that.
  const claimed = await db().document.updateMany({ where: { id: doc.id, status: { in: ["queued", "processing"] } }, data: { status: "processing", error: null } });
  if (claimed.count === 0) return;
  let embedding = false;
  try {
    if (!doc.source) throw new ExtractionError("the uploaded file was not kept; upload it again");
    const e = env();
    const extracted = await extractDocument({
      bytes: doc.source,
      filename: doc.filename ?? `${doc.title}.txt`,
      mimeType: doc.mimeType,
      limits: { maxInflatedBytes: e.VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES, maxPages: e.VECSTRUCT_MAX_DOCUMENT_PAGES },
    });
    const chunks = chunkBlocks(extracted.blocks, { countTokens });
    if (chunks.length === 0) throw new ExtractionError("the document contains no text");
    embedding = true;
    // One invoke() per batch: the router's retries are the only ones, each batch one audit row.
    const embedFor = { orgId: doc.orgId, projectId: doc.projectId, model, endpoint: "ingest:embeddings" as const, metadata: { document_id: doc.id } };
    const vectors = await embedTexts(embedFor, chunks.map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content)));
    embedding = false;
    const width = vectors[0]?.length ?? 0;
    if (width > maxVectorWidth()) throw new ExtractionError(`the embedding model ${model} returns ${width}-dimension vectors; this database's vector index takes at most ${maxVectorWidth()}`);
    const outcome = await commitDocumentChunks(
      doc,
      // Extracted text may still hold NUL or lone surrogates (a JSON upload, a broken file): made storable.
      chunks.map((c, i) => ({ ...c, content: wellFormedText(c.content), heading: c.heading === null ? null : wellFormedText(c.heading), vector: vectors[i]! })),
      model,
    );
    // "stale": the project switched models or the document went away meanwhile; nothing was written.
    const tokens = chunks.reduce((n, c) => n + c.tokenCount, 0);
    if (outcome === "committed" && model === DEFAULT_EMBEDDING_MODEL) ingestionAudit(doc, model, started, tokens, null);
  } catch (err) {
    const message =
      err instanceof ExtractionError
        ? err.message
        : embedding && err instanceof ApiError
          ? `the embedding model ${model} failed: ${err.message}`
          : "ingestion failed (see the server log)";
    if (!(err instanceof ExtractionError) && !(embedding && err instanceof ApiError)) log.error("ingestion failed", { document_id: doc.id }, err);
    await db()
      .document.updateMany({ where: { id: doc.id, status: "processing" }, data: { status: "failed", error: message, chunkCount: 0 } })
      .catch(() => {});
    // A remote model's calls have their own audit rows; the offline model and failures before embedding get this one.
    if (!embedding || model === DEFAULT_EMBEDDING_MODEL) ingestionAudit(doc, model, started, 0, message);
  }
}

/**
 * The row of ingestion work that made no upstream call (the offline model), or that failed before
 * embedding: origin "internal", free (a remote model's calls are billed on their own rows).
 */
function ingestionAudit(doc: { orgId: string; projectId: string; id: string }, model: string, started: number, tokens: number, error: string | null) {
  const audit = internalAudit({ orgId: doc.orgId, projectId: doc.projectId, model, endpoint: "ingest:embeddings", metadata: { document_id: doc.id } });
  audit.provider = model.split("/")[0] ?? null;
  audit.usage = { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens };
  audit.usageEstimated = true;
  audit.startedAt(started);
  if (error === null) audit.success();
  else audit.failWith(422, "ingestion_failed", error);
}

/** Documents waiting or being ingested (metrics). */
export const pendingIngestion = (): number => queuedCount() + st.running.size;
