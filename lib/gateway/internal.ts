// Chat calls the gateway makes on an organization's behalf (memory extraction): the same adapter
// library, reservation and settlement as /v1, audited with origin "internal".
import { reserve } from "../billing/reserve";
import { randomBase62 } from "../crypto";
import { ApiError } from "../errors";
import { chatAdapterFor } from "../providers/registry";
import type { ChatCompletion } from "../providers/types";
import { AuditDraft } from "./audit-draft";
import { chargeMicros, estimateUsage, generatedText, reservationMicros } from "./billing";
import type { ChatRequest } from "./schema";
import type { ProviderRuntime } from "../catalog/providers";
import { keepsMetadataOnly } from "./projects";
import { routeJson, singleModel } from "./target";

export async function internalChat(opts: { orgId: string; projectId: string; endpoint: string; request: ChatRequest; metadata?: Record<string, unknown> }): Promise<ChatCompletion> {
  // An internal caller acts with the organization's rights and no key budget.
  const key = { id: "internal", orgId: opts.orgId, projectId: opts.projectId, models: null, projects: null, rpmLimit: null, tpmLimit: null, maxConcurrent: null, budgetMicros: null, expiresAt: null };
  const audit = new AuditDraft(key, opts.endpoint, "internal");
  audit.model = opts.request.model;
  audit.metadata = opts.metadata ?? null;
  const abort = new AbortController();
  try {
    // Memory extraction reads and writes the conversation: a metadata-only project keeps none of it.
    if (await keepsMetadataOnly(key)) audit.keepMetadataOnly();
    audit.setRequest(opts.request as Record<string, unknown>);
    const target = await singleModel(key, opts.request.model, "chat");
    const { model } = target;
    const adapter = chatAdapterFor(target.credentials[0]!.protocol);
    if (!adapter) throw new ApiError("invalid_value", `'${model.id}' cannot serve chat completions.`, { param: "model" });
    audit.provider = model.provider;
    audit.catalogModel = model.id;
    audit.reservation = await reserve(key, reservationMicros(opts.request, model, target.credentials.map((p) => p.protocol)), 0n);
    const build = (p: ProviderRuntime) => adapter.buildRequest(opts.request, { baseUrl: p.baseUrl, apiKey: p.apiKey, upstreamModel: model.upstreamModel }, { stream: false });
    const answer = await routeJson({ audit, abort }, target, build, adapter.mapError);
    const completion = adapter.parseResponse(answer, { id: `chatcmpl-${randomBase62(29)}`, created: Math.floor(Date.now() / 1000), model: opts.request.model });
    const text = completion.choices[0]?.message.content ?? "";
    audit.appendText(text);
    audit.usage = completion.usage ?? estimateUsage(opts.request, completion.choices.map((c) => generatedText(c.message)));
    audit.usageEstimated = !completion.usage;
    audit.costMicros = chargeMicros(model, audit.usage, audit.reservation.usd);
    audit.markFirstToken();
    audit.success();
    return completion;
  } catch (err) {
    audit.failure(err);
    throw err;
  }
}
