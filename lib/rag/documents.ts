// RAG documents of a project: upload (multipart file or JSON {title, content}), list, read, delete.
import { z } from "zod";
import { inScope, type Scope } from "../tenancy/scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { parseWith, readJsonBody } from "../http/validation";
import { sha256Hex } from "../crypto";
import { db } from "../db";
import { env } from "../env";
import { readBodyCapped } from "../http/body";
import { ApiError, notFound } from "../errors";
import { getProject } from "../tenancy/projects";
import { detectKind, ExtractionError } from "./extract";
import { enqueueIngestion } from "./ingest";
import { deleteDocumentIndex } from "./store";

export const documentJsonSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  content: z.string().min(1),
});
export const documentListQuery = z.strictObject({ ...pageQuery, status: z.enum(["queued", "processing", "ready", "failed"]).optional() });

type DocumentRow = {
  id: string;
  projectId: string;
  title: string;
  filename: string | null;
  mimeType: string;
  sizeBytes: number;
  status: string;
  error: string | null;
  chunkCount: number;
  embeddingModel: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function serializeDocument(d: DocumentRow) {
  return {
    id: d.id,
    object: "document",
    project_id: d.projectId,
    title: d.title,
    filename: d.filename,
    mime_type: d.mimeType,
    size_bytes: d.sizeBytes,
    status: d.status,
    chunk_count: d.chunkCount,
    error: d.error,
    embedding_model: d.embeddingModel,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

const SELECT = { id: true, orgId: true, projectId: true, title: true, filename: true, mimeType: true, sizeBytes: true, status: true, error: true, chunkCount: true, embeddingModel: true, createdAt: true, updatedAt: true } as const;

/** Room for the multipart framing (boundaries, part headers, a title) around a file of the maximum size. */
const MULTIPART_OVERHEAD = 64 * 1024;

async function readUpload(req: Request): Promise<{ title: string; filename: string; mimeType: string; bytes: Uint8Array }> {
  const max = env().VECSTRUCT_MAX_BODY_BYTES;
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    // Read under the cap first (chunked bodies included), then parse what was kept.
    const raw = await readBodyCapped(req, max + MULTIPART_OVERHEAD);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength), { headers: { "content-type": type } }).formData();
    } catch {
      throw new ApiError("invalid_value", "Could not read the multipart body.", { param: "file" });
    }
    const file = form.get("file");
    if (!file || typeof file === "string") throw new ApiError("missing_required_parameter", "Missing required parameter: 'file'.", { param: "file" });
    if (file.size > max) throw new ApiError("request_too_large", `Uploads are limited to ${max} bytes.`);
    if (file.size === 0) throw new ApiError("invalid_value", "The file is empty.", { param: "file" });
    const title = String(form.get("title") ?? "").trim() || file.name.replace(/\.[^.]+$/, "") || "Untitled";
    return { title: title.slice(0, 300), filename: file.name || "upload", mimeType: file.type || "application/octet-stream", bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  if (type.includes("application/json") || type === "") {
    const body = parseWith(documentJsonSchema, await readJsonBody(req, max));
    return { title: body.title, filename: `${body.title}.md`, mimeType: "text/markdown", bytes: new TextEncoder().encode(body.content) };
  }
  throw new ApiError("unsupported_media_type", "Send multipart/form-data with a 'file', or JSON {title, content}.");
}

export async function createDocument(scope: Scope, projectId: string, req: Request) {
  const project = await getProject(scope, projectId);
  const upload = await readUpload(req);
  try {
    detectKind(upload.bytes, upload.filename, upload.mimeType);
  } catch (err) {
    if (err instanceof ExtractionError) throw new ApiError("invalid_value", err.message, { param: "file" });
    throw err;
  }
  const doc = await db().document.create({
    data: {
      orgId: project.orgId,
      projectId: project.id,
      title: upload.title,
      filename: upload.filename,
      mimeType: upload.mimeType,
      sizeBytes: upload.bytes.byteLength,
      contentHash: sha256Hex(Buffer.from(upload.bytes).toString("binary")),
      source: Buffer.from(upload.bytes),
      status: "queued",
    },
    select: SELECT,
  });
  await enqueueIngestion(doc.id, doc.orgId);
  return serializeDocument(doc);
}

export async function listDocuments(scope: Scope, projectId: string, q: z.infer<typeof documentListQuery>) {
  const project = await getProject(scope, projectId);
  const args = pageArgs(q);
  const rows = await db().document.findMany({ ...args, select: SELECT, where: { ...args.where, projectId: project.id, ...(q.status ? { status: q.status } : {}) } });
  return toPage(rows, q.limit, serializeDocument);
}

export async function getDocument(scope: Scope, id: string, withChunks: boolean) {
  const doc = await db().document.findFirst({ where: { id, ...inScope(scope) }, select: SELECT });
  if (!doc) throw notFound("Document");
  const chunks = withChunks
    ? await db().chunk.findMany({ where: { documentId: doc.id }, orderBy: { ordinal: "asc" }, take: 200, select: { ordinal: true, heading: true, content: true, tokenCount: true } })
    : undefined;
  return { ...serializeDocument(doc), ...(chunks ? { chunks: chunks.map((c) => ({ ordinal: c.ordinal, heading: c.heading, content: c.content, token_count: c.tokenCount })) } : {}) };
}

export async function deleteDocument(scope: Scope, id: string) {
  const doc = await db().document.findFirst({ where: { id, ...inScope(scope) }, select: { id: true } });
  if (!doc) throw notFound("Document");
  await deleteDocumentIndex(doc.id);
  await db().document.delete({ where: { id: doc.id } });
  return { id: doc.id, object: "document.deleted", deleted: true };
}
