// Document ingestion, off the request path: extract text → chunk by structure → embed (the project's
// embedding model, else the offline default) → commit chunks, vectors and lexical rows in one
// transaction. Documents wait in the database (status queued, and a job in the jobs table), so a
// restart resumes them; organizations take turns (see `jobs` below). Changing a project's embedding model queues its documents again
// (lib/rag/store.ts setProjectEmbeddingModel): they are re-extracted from the kept source and re-embedded.
import { countTokens } from "../billing/tokens";
import { db } from "../db";
import { env } from "../env";
import { jobQueue, type JobRunReport } from "../jobs/runner";
import { ApiError } from "../errors";
import { chunkBlocks } from "./chunk";
import { DEFAULT_EMBEDDING_MODEL, effectiveEmbeddingModel, embedTexts } from "./embeddings";
import { ExtractionError, extractDocument } from "./extract";
import { commitDocumentChunks, maxVectorWidth } from "./store";
import { log } from "../log";
import { internalAudit } from "../upstream/internal";
import { wellFormedText } from "../well-formed";

/**
 * Fair ingestion runs from the jobs table (lib/jobs/runner.ts): organizations take turns, at most one
 * document of an organization at a time (across instances too: a live lease counts) and
 * VECSTRUCT_INGEST_CONCURRENCY per process, so one tenant's backlog (or one slow document) never
 * stalls another's. A document's job is leased: two instances never ingest it at once, and an
 * instance that dies hands it to another when the lease ends.
 */
export const INGEST_JOB_KIND = "ingest";
interface IngestPayload {
  documentId: string;
}
const jobs = jobQueue<IngestPayload>({
  kind: INGEST_JOB_KIND,
  concurrency: () => env().VECSTRUCT_INGEST_CONCURRENCY,
  onePerOrg: true,
  // ingest() records a document's own failures on the document; a throw is the database failing.
  maxAttempts: 5,
  retryDelayMs: (attempt) => 1_000 * 2 ** (attempt - 1),
  run: ({ documentId }) => ingest(documentId),
});

/** Queues a document (new, or re-queued after an embedding-model switch); resolves once its job is stored. */
export function enqueueIngestion(documentId: string, orgId: string): Promise<void> {
  return jobs.enqueueDurably(orgId, { documentId });
}

/** Tests: resolves when this process has nothing queued to write, running or waiting for a retry. */
export const ingestionIdle = (): Promise<void> => jobs.idle();

/** Shutdown: the documents being ingested go back to the queue (their jobs), for another process. */
export const releaseIngestion = (): Promise<void> => jobs.release();

/**
 * At start: resumes the jobs a previous process left, and gives a job to any document still queued or
 * half-processed without one (queued before ingestion ran from the jobs table, or re-queued by a
 * model switch whose enqueue was lost). Returns the number of documents pending.
 */
export async function resumeIngestion(): Promise<number> {
  const pending = await requeueOrphanDocuments();
  await jobs.resume();
  return pending;
}

/** Gives a job to every queued or half-processed document without one; returns the documents pending. */
export async function requeueOrphanDocuments(): Promise<number> {
  const pending = await db().document.findMany({ where: { status: { in: ["queued", "processing"] } }, select: { id: true, orgId: true }, orderBy: { createdAt: "asc" } });
  if (pending.length === 0) return 0;
  const withJob = new Set(
    (await db().job.findMany({ where: { kind: INGEST_JOB_KIND, status: { in: ["queued", "running"] } }, select: { payload: true } })).map(
      (j) => (j.payload as unknown as Partial<IngestPayload> | null)?.documentId,
    ),
  );
  await Promise.all(pending.filter((d) => !withJob.has(d.id)).map((d) => jobs.enqueueDurably(d.orgId, { documentId: d.id })));
  return pending.length;
}

/** The cron route: ingests due documents in the foreground until none is due or the deadline passes. */
export const runIngestionJobs = (deadline: number): Promise<JobRunReport> => jobs.runDue({ deadline });

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

/** Documents waiting or being ingested (metrics): the jobs table's count, shared by every bundle. */
export const pendingIngestion = (): number => jobs.pending();
