// Document ingestion, off the request path: extract text → chunk by structure → embed (offline
// model) → commit chunks, vectors and lexical rows in one transaction. Documents wait in the
// database (status queued), so a restart resumes them; one document is processed at a time.
import { recordAudit } from "../audit/writer";
import { countTokens } from "../billing/tokens";
import { randomBase62 } from "../crypto";
import { db } from "../db";
import { chunkBlocks } from "./chunk";
import { embedLocal, LOCAL_EMBEDDING_MODEL } from "./embeddings/local";
import { ExtractionError, extractDocument } from "./extract";
import { commitDocumentChunks } from "./store";

const queue: string[] = [];
let running = false;
const idle = new Set<() => void>();

export function enqueueIngestion(documentId: string): void {
  if (!queue.includes(documentId)) queue.push(documentId);
  if (!running) void drain();
}

async function drain() {
  running = true;
  try {
    for (let id = queue.shift(); id; id = queue.shift()) await ingest(id);
  } finally {
    running = false;
    for (const resolve of idle) resolve();
    idle.clear();
  }
}

/** Tests: resolves when nothing is queued or running. */
export function ingestionIdle(): Promise<void> {
  if (!running && queue.length === 0) return Promise.resolve();
  return new Promise((resolve) => idle.add(resolve));
}

/** Picks up documents a previous process left queued or half-processed. */
export async function resumeIngestion(): Promise<number> {
  const pending = await db().document.findMany({ where: { status: { in: ["queued", "processing"] } }, select: { id: true }, orderBy: { createdAt: "asc" } });
  for (const d of pending) enqueueIngestion(d.id);
  return pending.length;
}

async function ingest(documentId: string): Promise<void> {
  const doc = await db().document.findUnique({ where: { id: documentId } });
  if (!doc || doc.status === "ready" || doc.status === "failed" || !doc.source) return;
  const started = performance.now();
  await db().document.update({ where: { id: doc.id }, data: { status: "processing", error: null } });
  try {
    const extracted = await extractDocument({ bytes: doc.source, filename: doc.filename ?? `${doc.title}.txt`, mimeType: doc.mimeType });
    const chunks = chunkBlocks(extracted.blocks, { countTokens });
    if (chunks.length === 0) throw new ExtractionError("the document contains no text");
    const vectors = await embedLocal(chunks.map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content)));
    await commitDocumentChunks(
      doc,
      chunks.map((c, i) => ({ ...c, vector: vectors[i]! })),
    );
    const tokens = chunks.reduce((n, c) => n + c.tokenCount, 0);
    recordInternalAudit(doc, "success", tokens, performance.now() - started, null);
  } catch (err) {
    const message = err instanceof ExtractionError ? err.message : "ingestion failed (see the server log)";
    if (!(err instanceof ExtractionError)) console.error(`[vecstruct] ingestion of ${doc.id} failed`, err);
    await db().document.update({ where: { id: doc.id }, data: { status: "failed", error: message, chunkCount: 0 } }).catch(() => {});
    recordInternalAudit(doc, "error", 0, performance.now() - started, message);
  }
}

/** Ingestion embeddings are work the gateway does on the organization's behalf: origin "internal". */
function recordInternalAudit(doc: { orgId: string; projectId: string; id: string }, status: "success" | "error", tokens: number, ms: number, error: string | null) {
  recordAudit({
    id: `aud_${randomBase62(24)}`,
    orgId: doc.orgId,
    projectId: doc.projectId,
    apiKeyId: null,
    origin: "internal",
    endpoint: "ingest:embeddings",
    model: LOCAL_EMBEDDING_MODEL.id,
    provider: "vecstruct",
    status,
    httpStatus: status === "success" ? 200 : 422,
    errorCode: status === "success" ? null : "ingestion_failed",
    errorMessage: error,
    stream: false,
    promptTokens: tokens,
    completionTokens: 0,
    reasoningTokens: 0,
    cachedTokens: 0,
    usageEstimated: true,
    latencyMs: Math.round(ms),
    ttftMs: null,
    costMicros: 0n, // the offline model is free
    creditsMicros: 0n,
    metadata: { document_id: doc.id },
    attempts: null,
    request: null,
    responseText: null,
    createdAt: new Date(),
  });
}

/** Documents waiting or being ingested (metrics). */
export const pendingIngestion = (): number => queue.length + (running ? 1 : 0);
