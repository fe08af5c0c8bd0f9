// The ordered list of models a request may be served by: the requested model, then its
// fallbacks (request first, else the project's), filtered and ordered by provider preferences.
import { findModel, freshCatalog, getCatalog, providersFor, type CatalogModel } from "../../catalog/catalog";
import type { ProviderRuntime } from "../../catalog/providers";
import type { ModelKind } from "../../catalog/seed";
import { ApiError } from "../../errors";
import type { KeyContext } from "../../wire/key";
import type { RoutingPrefs } from "../../tenancy/routing-prefs";

export interface Candidate {
  model: CatalogModel;
  credentials: ProviderRuntime[];
}

const WHAT: Record<ModelKind, string> = { chat: "chat completions", embedding: "embeddings", rerank: "reranking" };

async function candidate(key: KeyContext, id: string, kind: ModelKind, param: string): Promise<Candidate> {
  let catalog = await getCatalog();
  let model = findModel(catalog, key.orgId, id);
  if (!model) {
    catalog = await freshCatalog(catalog);
    model = findModel(catalog, key.orgId, id);
  }
  if (!model) throw new ApiError("model_not_found", `The model '${id}' does not exist or is not available.`, { param });
  if (model.kind !== kind) throw new ApiError("invalid_value", `'${id}' is a ${model.kind} model; it cannot serve ${WHAT[kind]}.`, { param });
  if (key.models && !key.models.includes(model.id)) {
    throw new ApiError("model_not_allowed", `This API key is not allowed to use '${model.id}'.`, { param });
  }
  const credentials = providersFor(catalog, key.orgId, model.provider);
  if (credentials.length === 0) throw new ApiError("model_not_found", `The model '${id}' has no configured provider.`, { param });
  return { model, credentials };
}

/** Every listed model is checked (404/403 naming it), so a typo never hides behind a fallback. */
export async function planRoute(key: KeyContext, primary: string, kind: ModelKind, request: RoutingPrefs, project: RoutingPrefs = {}): Promise<Candidate[]> {
  const fromRequest = request.models !== undefined;
  const fallbacks = request.models ?? project.models ?? [];
  const prefs = request.provider ?? project.provider ?? {};
  const ids = [...new Set([primary, ...fallbacks])];
  const param = (i: number) => (i === 0 ? "model" : fromRequest ? `models[${fallbacks.indexOf(ids[i]!)}]` : "project.fallback_models");
  let list = await Promise.all(ids.map((id, i) => candidate(key, id, kind, param(i))));

  if (prefs.only) list = list.filter((c) => prefs.only!.includes(c.model.provider));
  if (prefs.ignore) list = list.filter((c) => !prefs.ignore!.includes(c.model.provider));
  if (prefs.order) {
    const rank = (c: Candidate) => {
      const i = prefs.order!.indexOf(c.model.provider);
      return i === -1 ? prefs.order!.length : i;
    };
    list = list.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
    if (prefs.allow_fallbacks === false) list = list.filter((c) => prefs.order!.includes(c.model.provider));
  } else if (prefs.allow_fallbacks === false) {
    list = list.slice(0, 1);
  }
  if (list.length === 0) {
    throw new ApiError("invalid_value", "The provider preferences exclude every candidate model.", { param: "provider" });
  }
  return list;
}

/** One model, no fallbacks (embeddings, rerank, internal calls): its catalog entry and credentials. */
export async function singleModel(key: KeyContext, modelId: string, kind: ModelKind): Promise<Candidate> {
  const [only] = await planRoute(key, modelId, kind, {});
  return only!;
}
