// POST /v1/embeddings (OpenAI format) through the adapter library, audited and billed like chat.
import { z } from "zod";
import { parseWith } from "../api/validation";
import { costMicros } from "../billing/cost";
import { reserve } from "../billing/reserve";
import { countTokens } from "../billing/tokens";
import { embeddingsError, embeddingsRequest, parseEmbeddings } from "../providers/embeddings";
import { MAX_MODEL_ID } from "./schema";
import { resolveProject } from "./projects";
import { auditHeaders, gatewayHandler, routeJson, singleModel } from "./target";

const tokens = z.array(z.number().int().nonnegative()).min(1);
export const embeddingsSchema = z.looseObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048), tokens, z.array(tokens).min(1).max(2048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
  vecstruct: z.strictObject({ project_id: z.string().min(1).optional(), metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
});

/** Upper bound of input tokens: a token covers at least one byte (token-id inputs are exact). */
function inputTokenBound(input: z.infer<typeof embeddingsSchema>["input"]): number {
  if (typeof input === "string") return Buffer.byteLength(input) + 1;
  let n = 0;
  for (const item of input) n += typeof item === "string" ? Buffer.byteLength(item) + 1 : Array.isArray(item) ? item.length : 1;
  return n;
}

function inputText(input: z.infer<typeof embeddingsSchema>["input"]): string {
  return typeof input === "string" ? input : input.filter((x): x is string => typeof x === "string").join("\n");
}

export const handleEmbeddings = gatewayHandler("/v1/embeddings", async ({ key, audit, raw, abort, warnings }) => {
  audit.setRequest({ ...raw, input: "[omitted]" });
  const body = parseWith(embeddingsSchema, raw);
  audit.metadata = body.vecstruct?.metadata ?? null;
  const project = await resolveProject(key, body.vecstruct?.project_id);
  audit.projectId = project.id;
  if (project.keepMetadataOnly) audit.keepMetadataOnly();
  const target = await singleModel(key, body.model, "embedding");
  const { model } = target;
  audit.provider = model.provider;
  audit.catalogModel = model.id;

  const bound = inputTokenBound(body.input);
  audit.reservation = await reserve(key, costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }), 0n);
  const answer = await routeJson({ audit, abort }, target, (p) => embeddingsRequest(p.protocol, body, { baseUrl: p.baseUrl, apiKey: p.apiKey, upstreamModel: model.upstreamModel }), embeddingsError(model.provider));
  const out = parseEmbeddings(answer, body.model);
  let usage = { prompt_tokens: out.usage.prompt_tokens, completion_tokens: 0, total_tokens: out.usage.total_tokens };
  if (!usage.prompt_tokens) {
    usage = { prompt_tokens: countTokens(inputText(body.input)), completion_tokens: 0, total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens;
    audit.usageEstimated = true;
  }
  audit.usage = usage;
  const cost = costMicros(model, usage);
  audit.costMicros = cost < audit.reservation.usd ? cost : audit.reservation.usd;
  audit.markFirstToken();
  audit.success();
  return Response.json(out, { headers: auditHeaders(audit, warnings) });
});
