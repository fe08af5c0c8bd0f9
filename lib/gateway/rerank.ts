// POST /v1/rerank in the Cohere/Jina format: {model, query, documents, top_n} → {results}.
import { z } from "zod";
import { costMicros } from "../billing/cost";
import { randomBase62 } from "../crypto";
import { invoke } from "../upstream/invoke";
import { priceRerank, rerankAttempt, rerankTokenBound } from "../upstream/json";
import { singleModel } from "../upstream/routing/plan";
import { auditHeaders, endpoint } from "./pipeline";
import { MAX_MODEL_ID } from "../wire/chat";

export const rerankSchema = z.strictObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  query: z.string().min(1),
  documents: z.array(z.union([z.string(), z.looseObject({ text: z.string() })])).min(1).max(1000),
  top_n: z.number().int().positive().optional(),
  return_documents: z.boolean().optional(),
  max_chunks_per_doc: z.number().int().positive().optional(),
  vecstruct: z.strictObject({ project_id: z.string().min(1).optional(), metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const rerankDialect = {
  schema: rerankSchema,
  auditCopy: (raw: Record<string, unknown>) => ({ ...raw, documents: "[omitted]" }),
  extension: (body: z.infer<typeof rerankSchema>) => body.vecstruct,
};

export const handleRerank = endpoint("/v1/rerank", rerankDialect, async ({ key, audit, body, abort, warnings }) => {
  if (body.max_chunks_per_doc !== undefined) warnings.push("max_chunks_per_doc is ignored: documents are sent whole");
  const candidate = await singleModel(key, body.model, "rerank");
  const documents = body.documents.map((d) => (typeof d === "string" ? d : d.text));
  const bound = rerankTokenBound(body.query, documents);
  const { result: parsed } = await invoke({
    audit,
    key,
    abort,
    candidates: [candidate],
    worstCase: ({ model }) => costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }),
    attempt: rerankAttempt(audit, { query: body.query, documents, top_n: body.top_n }),
    price: (p) => priceRerank(p, body.query, documents),
  });
  const results = (body.top_n ? parsed.results.slice(0, body.top_n) : parsed.results).map((r) => (body.return_documents ? { ...r, document: { text: documents[r.index]! } } : r));
  return Response.json(
    {
      id: `rerank-${randomBase62(24)}`,
      object: "list",
      model: body.model,
      results,
      usage: { total_tokens: audit.usage?.prompt_tokens ?? 0 },
      ...(parsed.searchUnits !== null ? { meta: { billed_units: { search_units: parsed.searchUnits } } } : {}),
    },
    { headers: auditHeaders(audit, warnings) },
  );
});
