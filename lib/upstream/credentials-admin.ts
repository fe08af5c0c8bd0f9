// Upstream credentials through the management API (GET/POST/PATCH /api/providers). Secrets are
// write-only: stored encrypted, never returned. Environment credentials are listed read-only.
import { z } from "zod";
import { requireOperator, requireRole, type Scope } from "../tenancy/scope";
import { credentialSecretContext, encryptSecret, randomBase62 } from "../crypto";
import { db } from "../db";
import { ApiError, notFound } from "../errors";
import { checkDestinationUrl } from "../net/address-policy";
import { coolingUntil } from "./routing/credentials";
import { operatorAllowList } from "../net/allow-list";
import { invalidateCatalog } from "../catalog/catalog";
import { envProviders, PROTOCOLS } from "../catalog/providers";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "expected a provider name such as openai (a-z, 0-9, -)");
const baseUrl = z.url({ error: "expected an absolute URL such as https://api.openai.com/v1" }).max(500);

export const credentialCreateSchema = z.strictObject({
  provider: slug,
  protocol: z.enum(PROTOCOLS),
  name: z.string().trim().min(1).max(100).optional(),
  base_url: baseUrl,
  api_key: z.string().min(1).max(4000).optional(),
  weight: z.number().int().min(0).max(1000).default(1),
  enabled: z.boolean().default(true),
  /** instance: every organization may use it (operator only). */
  scope: z.enum(["organization", "instance"]).default("organization"),
});

export const credentialUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  base_url: baseUrl.optional(),
  api_key: z.string().min(1).max(4000).optional(),
  weight: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
});

type Row = Awaited<ReturnType<ReturnType<typeof db>["providerCredential"]["findFirstOrThrow"]>>;

const health = (ref: string) => {
  const until = coolingUntil(ref);
  return until ? new Date(until).toISOString() : null;
};

/**
 * Where the operator's own credentials point (a private model server, say) is the operator's
 * business: other callers see that an instance credential exists, not its address.
 */
const shownUrl = (scope: Scope, orgId: string | null, url: string): string | null => (orgId === null && scope.caller.kind !== "operator" ? null : url);

function serialize(scope: Scope, r: Row) {
  return {
    id: r.id,
    object: "provider_credential",
    provider: r.slug,
    protocol: r.protocol,
    name: r.name,
    base_url: shownUrl(scope, r.orgId, r.baseUrl),
    has_api_key: Boolean(r.secretEnc),
    weight: r.weight,
    enabled: r.enabled,
    scope: r.orgId ? "organization" : "instance",
    source: "database",
    cooling_until: health(r.id),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

function fromEnv(scope: Scope) {
  return envProviders().map(({ provider: p }) => ({
    id: p.ref,
    object: "provider_credential",
    provider: p.slug,
    protocol: p.protocol,
    name: p.ref,
    base_url: shownUrl(scope, null, p.baseUrl),
    has_api_key: p.apiKey !== "",
    weight: p.weight,
    enabled: true,
    scope: "instance",
    source: "environment",
    cooling_until: health(p.ref),
    created_at: null,
    updated_at: null,
  }));
}

const visible = (scope: Scope) => ({ OR: [{ orgId: null }, { orgId: scope.orgId }] });

export async function listCredentials(scope: Scope) {
  const rows = await db().providerCredential.findMany({ where: visible(scope), orderBy: [{ slug: "asc" }, { createdAt: "asc" }] });
  return { data: [...fromEnv(scope), ...rows.map((r) => serialize(scope, r))], next_cursor: null };
}

async function findRow(scope: Scope, id: string): Promise<Row> {
  const row = await db().providerCredential.findFirst({ where: { id, ...visible(scope) } });
  if (!row) throw notFound("Provider credential");
  return row;
}

export async function getCredential(scope: Scope, id: string) {
  const env = fromEnv(scope).find((c) => c.id === id);
  return env ?? serialize(scope, await findRow(scope, id));
}

/** Organization credentials need an admin of it; instance-wide ones the operator. */
function requireWriter(scope: Scope, instanceWide: boolean) {
  if (instanceWide) requireOperator(scope);
  else requireRole(scope, "admin");
}

/**
 * DESIGN §3b: a URL entered through the API never points the gateway at loopback, private,
 * link-local or metadata addresses unless the operator allow-listed it; checked here (a clear 400)
 * and again on every connection (lib/net/guarded-agent.ts), which is what actually holds.
 */
async function checkBaseUrl(url: string): Promise<void> {
  const verdict = await checkDestinationUrl(url, operatorAllowList());
  if (!verdict.ok) throw new ApiError("invalid_value", `base_url ${verdict.reason}.`, { param: "base_url" });
}

export async function createCredential(scope: Scope, input: z.infer<typeof credentialCreateSchema>) {
  requireWriter(scope, input.scope === "instance");
  await checkBaseUrl(input.base_url);
  const id = `crd_${randomBase62(24)}`;
  const row = await db().providerCredential.create({
    data: {
      id,
      orgId: input.scope === "instance" ? null : scope.orgId,
      slug: input.provider,
      protocol: input.protocol,
      name: input.name ?? input.provider,
      baseUrl: input.base_url,
      secretEnc: input.api_key ? encryptSecret(input.api_key, credentialSecretContext(id)) : null,
      weight: input.weight,
      enabled: input.enabled,
    },
  });
  invalidateCatalog();
  return serialize(scope, row);
}

export async function updateCredential(scope: Scope, id: string, input: z.infer<typeof credentialUpdateSchema>) {
  const row = await findRow(scope, id);
  requireWriter(scope, row.orgId === null);
  if (input.base_url !== undefined && input.base_url !== row.baseUrl) {
    // Else whoever may edit the row could send the secret someone else entered to a host of theirs.
    if (input.api_key === undefined) throw new ApiError("missing_required_parameter", "Changing base_url requires api_key again (the stored key is not sent to a new address).", { param: "api_key" });
    await checkBaseUrl(input.base_url);
  }
  const updated = await db().providerCredential.update({
    where: { id: row.id },
    data: {
      name: input.name,
      baseUrl: input.base_url,
      secretEnc: input.api_key === undefined ? undefined : encryptSecret(input.api_key, credentialSecretContext(row.id)),
      weight: input.weight,
      enabled: input.enabled,
    },
  });
  invalidateCatalog();
  return serialize(scope, updated);
}
