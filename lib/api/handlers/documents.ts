import { z } from "zod";
import { createDocument, deleteDocument, documentListQuery, getDocument, listDocuments } from "../../rag/documents";
import { retrieve } from "../../rag/retrieve";
import { projectSettings } from "../../tenancy/project-settings";
import { getProject } from "../../tenancy/projects";
import { ApiError } from "../../errors";
import { db } from "../../db";
import { json, withManagement } from "../management";
import { documentOrg } from "./row-orgs";

export const listDocumentsHandler = withManagement({ role: "member", query: documentListQuery }, async ({ scope, params, query }) =>
  json(await listDocuments(scope, params.id ?? "", query)),
);

// The body is read by createDocument: multipart uploads are not JSON. Members use documents
// (README: roles): uploading is theirs; deleting one is an admin's, as with keys and projects.
export const createDocumentHandler = withManagement({ role: "member" }, async ({ scope, params, req }) => json(await createDocument(scope, params.id ?? "", req), 201));

export const getDocumentHandler = withManagement({ role: "member", query: z.strictObject({ include: z.literal("chunks").optional() }) }, async ({ scope, params, query }) =>
  json(await getDocument(scope, params.id ?? "", query.include === "chunks")),
);

export const deleteDocumentHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => documentOrg(scope, params.id ?? "") }, async ({ scope, params }) => json(await deleteDocument(scope, params.id ?? "")));

const searchSchema = z.strictObject({
  query: z.string().trim().min(1).max(10_000),
  top_k: z.number().int().min(1).max(50).default(5),
  source_ids: z.array(z.string().min(1)).max(1000).optional(),
  min_similarity: z.number().min(0).max(1).optional(),
  mode: z.enum(["hybrid", "vector", "lexical"]).default("hybrid"),
  /** false: skip the project's rerank stage, to compare orders. */
  rerank: z.boolean().default(true),
});

/** The console's "test a query": what retrieval returns for a project, and why (ranks, scores, and what degraded). */
export const searchHandler = withManagement({ role: "member", body: searchSchema }, async ({ scope, params, body }) => {
  const project = await getProject(scope, params.id ?? "");
  if (body.source_ids?.length) {
    const found = await db().document.count({ where: { id: { in: body.source_ids }, projectId: project.id } });
    if (found !== new Set(body.source_ids).size) throw new ApiError("invalid_value", "Every source id must be a document of this project.", { param: "source_ids" });
  }
  const warnings: string[] = [];
  const data = await retrieve({
    projectId: project.id,
    query: body.query,
    topK: body.top_k,
    sourceIds: body.source_ids,
    minSimilarity: body.min_similarity,
    mode: body.mode,
    rerank: body.rerank,
    settings: { orgId: project.orgId, embeddingModel: project.embeddingModel, rerankModel: projectSettings(project.settings).rerank_model ?? null },
    warnings,
    metadata: { source: "search" },
  });
  return json({ object: "list", data, warnings });
});
