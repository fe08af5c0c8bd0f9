// POST /v1/embeddings (OpenAI format): the pipeline admits it, invoke() calls the adapter library,
// audited and billed like chat.
import { z } from "zod";
import { costMicros } from "../billing/cost";
import { invoke } from "../upstream/invoke";
import { embeddingTokenBound, embeddingsAttempt, priceEmbeddings } from "../upstream/json";
import { singleModel } from "../upstream/routing/plan";
import { auditHeaders, endpoint } from "./pipeline";
import { MAX_MODEL_ID } from "../wire/chat";

const tokens = z.array(z.number().int().nonnegative()).min(1);
export const embeddingsSchema = z.looseObject({
  model: z.string().min(1).max(MAX_MODEL_ID),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048), tokens, z.array(tokens).min(1).max(2048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
  vecstruct: z.strictObject({ project_id: z.string().min(1).optional(), metadata: z.record(z.string(), z.unknown()).optional() }).optional(),
});

function inputText(input: z.infer<typeof embeddingsSchema>["input"]): string {
  return typeof input === "string" ? input : input.filter((x): x is string => typeof x === "string").join("\n");
}

const embeddingsDialect = {
  schema: embeddingsSchema,
  auditCopy: (raw: Record<string, unknown>) => ({ ...raw, input: "[omitted]" }),
  extension: (body: z.infer<typeof embeddingsSchema>) => body.vecstruct,
};

export const handleEmbeddings = endpoint("/v1/embeddings", embeddingsDialect, async ({ key, audit, body, abort, warnings }) => {
  const candidate = await singleModel(key, body.model, "embedding");
  const bound = embeddingTokenBound(body.input);
  const { result } = await invoke({
    audit,
    key,
    abort,
    candidates: [candidate],
    worstCase: ({ model }) => costMicros(model, { prompt_tokens: bound, completion_tokens: 0, total_tokens: bound }),
    attempt: embeddingsAttempt(audit, body, body.model),
    price: (out) => priceEmbeddings(out, () => inputText(body.input)),
  });
  return Response.json(result, { headers: auditHeaders(audit, warnings) });
});
