// "Test" on the Providers page: one real, tiny (max_tokens 1) chat call through the same adapter
// library and upstream client as /v1, so what it reports is what a request would meet. Not billed
// and not audited: it is a connectivity check, not traffic — which is why an instance credential
// (the operator's key and money) can be tested only by the operator, and an organization's
// credential only by that organization's admins, and only with models that credential may serve.
// API-created credentials go through the same address policy as /v1 (no connection to a refused
// address). The answer never carries the secret (it is scrubbed from upstream messages too).
import { z } from "zod";
import { requireOperator, requireRole, type Scope } from "../tenancy/scope";
import { credentialSecretContext, decryptSecret } from "../crypto";
import { db } from "../db";
import { ApiError, notFound } from "../errors";
import { sendUpstream } from "./http";
import { chatRequestWithoutExtension } from "../wire/chat";
import { chatAdapterFor } from "../providers/registry";
import { getCatalog } from "../catalog/catalog";
import { envProviders, type ProviderRuntime, PROTOCOLS, type Protocol } from "../catalog/providers";

export const credentialTestSchema = z.strictObject({ model: z.string().min(1).max(200).optional() }).default({});

const TEST_TIMEOUT_MS = 15_000;

async function runtimeFor(scope: Scope, id: string): Promise<ProviderRuntime> {
  const fromEnv = envProviders().find((p) => p.provider.ref === id);
  if (fromEnv) return fromEnv.provider;
  const row = await db().providerCredential.findFirst({ where: { id, OR: [{ orgId: null }, { orgId: scope.orgId }] } });
  if (!row || !(PROTOCOLS as readonly string[]).includes(row.protocol)) throw notFound("Provider credential");
  let apiKey = "";
  try {
    apiKey = row.secretEnc ? decryptSecret(row.secretEnc, credentialSecretContext(row.id)) : "";
  } catch {
    throw new ApiError("internal_error", "This credential's secret cannot be decrypted (was VECSTRUCT_ENCRYPTION_KEY changed?). Enter the API key again.");
  }
  // A disabled credential can still be tested: that is how one checks it before enabling it.
  return { slug: row.slug, protocol: row.protocol as Protocol, baseUrl: row.baseUrl.replace(/\/+$/, ""), apiKey, orgId: row.orgId, credentialId: row.id, ref: row.id, weight: row.weight };
}

const scrub = (text: string, secret: string) => (secret.length >= 4 ? text.split(secret).join("•••") : text).slice(0, 500);

export async function testCredential(scope: Scope, id: string, input: z.infer<typeof credentialTestSchema>) {
  requireRole(scope, "admin");
  const provider = await runtimeFor(scope, id);
  if (provider.orgId === null) requireOperator(scope);
  const catalog = await getCatalog();
  // The models this credential would serve: instance ones, and the organization's own only on its own credential.
  const chat = catalog.models.filter((m) => m.provider === provider.slug && m.kind === "chat" && (m.orgId === null || (provider.orgId !== null && m.orgId === provider.orgId)));
  const model = input.model ? chat.find((m) => m.id === input.model) : chat[0];
  const base = { provider: provider.slug, model: model?.id ?? null };
  if (input.model && !model) throw new ApiError("invalid_value", `'${input.model}' is not a chat model of provider '${provider.slug}'.`, { param: "model" });
  const adapter = chatAdapterFor(provider.protocol);
  if (!adapter) return { ...base, ok: false, latency_ms: null, status: null, error: `The ${provider.protocol} protocol serves rerank only; test it with /v1/rerank.` };
  if (!model) return { ...base, ok: false, latency_ms: null, status: null, error: `No chat model of provider '${provider.slug}' is in the catalog yet. Add one under Models, then test again.` };

  const request = chatRequestWithoutExtension.parse({ model: model.id, messages: [{ role: "user", content: "Say OK." }], max_tokens: 1 });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TEST_TIMEOUT_MS);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const upstream = adapter.buildRequest(request, { baseUrl: provider.baseUrl, apiKey: provider.apiKey, upstreamModel: model.upstreamModel }, { stream: false });
    const res = await sendUpstream(upstream, abort, TEST_TIMEOUT_MS, provider.credentialId === null ? "environment" : "api");
    if (!res.ok) {
      const err = adapter.mapError(res.status, await res.errorText().catch(() => ""));
      return { ...base, ok: false, latency_ms: latency(), status: res.status, error: scrub(err.message, provider.apiKey) };
    }
    await res.json().catch(() => {
      throw new ApiError("upstream_error", "The upstream answered 200 with a body that is not JSON.");
    });
    return { ...base, ok: true, latency_ms: latency(), status: res.status, error: null };
  } catch (err) {
    const message = err instanceof ApiError ? err.message : "Could not reach the upstream provider.";
    return { ...base, ok: false, latency_ms: latency(), status: null, error: scrub(message, provider.apiKey) };
  } finally {
    clearTimeout(timer);
  }
}
