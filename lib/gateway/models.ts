// GET /v1/models and /v1/models/{provider}/{model}: the catalog this key may use, OpenAI list format.
import { modelsFor, getCatalog, type CatalogModel } from "../catalog/catalog";
import { ApiError, errorResponse } from "../errors";
import { microsToUnitsOrNull as perMtok } from "../money";
import { authenticateApiKey, type KeyContext } from "./auth";


export function serializeModel(m: CatalogModel) {
  return {
    id: m.id,
    object: "model",
    created: Math.floor(m.createdAt.getTime() / 1000),
    owned_by: m.provider,
    kind: m.kind,
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    pricing: {
      currency: "USD",
      unit: "1M tokens",
      input: perMtok(m.inputMicrosPerMtok),
      output: perMtok(m.outputMicrosPerMtok),
      cached_input: perMtok(m.cachedInputMicrosPerMtok),
      cache_write: perMtok(m.cacheWriteMicrosPerMtok),
    },
  };
}

async function allowedModels(key: KeyContext) {
  const models = modelsFor(await getCatalog(), key.orgId);
  return key.models ? models.filter((m) => key.models!.includes(m.id)) : models;
}

export async function handleListModels(req: Request): Promise<Response> {
  try {
    const key = await authenticateApiKey(req.headers);
    return Response.json({ object: "list", data: (await allowedModels(key)).map(serializeModel) });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function handleGetModel(req: Request, ctx: { params: Promise<{ id?: string[] }> }): Promise<Response> {
  try {
    const key = await authenticateApiKey(req.headers);
    const id = ((await ctx.params).id ?? []).map(decodeURIComponent).join("/");
    const model = (await allowedModels(key)).find((m) => m.id === id);
    if (!model) throw new ApiError("model_not_found", `The model '${id}' does not exist or is not available.`, { param: "model" });
    return Response.json(serializeModel(model));
  } catch (err) {
    return errorResponse(err);
  }
}
