// POST /v1/rerank in the Cohere/Jina format: {model, query, documents, top_n} → {results}.
import { z } from "zod";
import { parseWith } from "../api/validation";
import { costMicros } from "../billing/cost";
import { reserve } from "../billing/reserve";
import { countTokens } from "../billing/tokens";
import { embeddingsError } from "../providers/embeddings";
import { parseRerank, rerankRequest } from "../providers/rerank";
import { randomBase62 } from "../crypto";
import { MAX_MODEL_ID } from "./schema";
import { resolveProject } from "./projects";
import { auditHeaders, gatewayHandler, routeJson, singleModel } from "./target";

export const rerankSchema = z.strictObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  query: z.string().min(1),
  documents: z.array(z.union([z.string(), z.looseObject({ text: z.string() })])).min(1).max(1000),
  top_n: z.number().int().positive().optional(),
  return_documents: z.boolean().optional(),
  max_chunks_per_doc: z.number().int().positive().optional(),
  vecstruct: z.strictObject({ project_id: z.string().min(1).optional(), metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export const handleRerank = gatewayHandler("/v1/rerank", async ({ key, audit, raw, abort, warnings }) => {
  audit.setRequest({ ...raw, documents: "[omitted]" });
  const body = parseWith(rerankSchema, raw);
  if (body.max_chunks_per_doc !== undefined) warnings.push("max_chunks_per_doc is ignored: documents are sent whole");
  audit.metadata = body.vecstruct?.metadata ?? null;
  const project = await resolveProject(key, body.vecstruct?.project_id);
  audit.projectId = project.id;
  if (project.keepMetadataOnly) audit.keepMetadataOnly();
  const target = await singleModel(key, body.model, "rerank");
  const { model } = target;
  audit.provider = model.provider;
  audit.catalogModel = model.id;
  const documents = body.documents.map((d) => (typeof d === "string" ? d : d.text));

  const bound = documents.reduce((n, d) => n + Buffer.byteLength(d) + Buffer.byteLength(body.query) + 8, 0);
  audit.reservation = await reserve(key, costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }), 0n);
  const answer = await routeJson(
    { audit, abort },
    target,
    (p) => rerankRequest(p.protocol, { query: body.query, documents, top_n: body.top_n }, { baseUrl: p.baseUrl, apiKey: p.apiKey, upstreamModel: model.upstreamModel }),
    embeddingsError(model.provider),
  );
  const parsed = parseRerank(answer, documents.length);
  const results = (body.top_n ? parsed.results.slice(0, body.top_n) : parsed.results).map((r) =>
    body.return_documents ? { ...r, document: { text: documents[r.index]! } } : r,
  );
  const promptTokens = parsed.totalTokens ?? countTokens(body.query) * documents.length + countTokens(documents.join("\n"));
  audit.usageEstimated = parsed.totalTokens === null;
  audit.usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens };
  const cost = costMicros(model, audit.usage);
  audit.costMicros = cost < audit.reservation.usd ? cost : audit.reservation.usd;
  audit.markFirstToken();
  audit.success();
  return Response.json(
    { id: `rerank-${randomBase62(24)}`, object: "list", model: body.model, results, usage: { total_tokens: promptTokens }, ...(parsed.searchUnits !== null ? { meta: { billed_units: { search_units: parsed.searchUnits } } } : {}) },
    { headers: auditHeaders(audit, warnings) },
  );
});
