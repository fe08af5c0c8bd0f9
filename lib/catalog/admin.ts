// The catalog as the management API sees it (GET/POST/PATCH /api/models). Prices are USD per
// million tokens on the wire and integer micro-units per million tokens in the database.
import { z } from "zod";
import { requireOperator, requireRole, type Scope } from "../tenancy/scope";
import { randomBase62 } from "../crypto";
import { db } from "../db";
import { ApiError, notFound } from "../errors";
import { microsToUnitsOrNull as perMtok, toMicros } from "../money";
import { getCatalog, invalidateCatalog, servable } from "./catalog";

const price = z.number().min(0).max(1_000_000);
const modelId = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][\w.:@/+-]*$/, "expected provider/model-name");

export const modelCreateSchema = z.strictObject({
  id: modelId,
  upstream_model: z.string().min(1).max(200).optional(),
  kind: z.enum(["chat", "embedding", "rerank"]).default("chat"),
  input_price_per_mtok: price.default(0),
  output_price_per_mtok: price.default(0),
  cached_input_price_per_mtok: price.nullish(),
  cache_write_price_per_mtok: price.nullish(),
  context_window: z.number().int().positive().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  /** organization: only this organization sees it (org admins may add these); instance: operators. */
  scope: z.enum(["organization", "instance"]).optional(),
});
// Spelled out (not .partial() of the create schema): its defaults must not reset prices on PATCH.
export const modelUpdateSchema = z.strictObject({
  upstream_model: z.string().min(1).max(200).optional(),
  input_price_per_mtok: price.optional(),
  output_price_per_mtok: price.optional(),
  cached_input_price_per_mtok: price.nullish(),
  cache_write_price_per_mtok: price.nullish(),
  context_window: z.number().int().positive().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  enabled: z.boolean().optional(),
});

type Row = Awaited<ReturnType<ReturnType<typeof db>["model"]["findFirstOrThrow"]>>;

function serialize(m: Row, available: boolean) {
  return {
    id: m.slug,
    object: "catalog_model",
    provider: m.provider,
    upstream_model: m.upstreamModel,
    kind: m.kind,
    input_price_per_mtok: perMtok(m.inputMicrosPerMtok),
    output_price_per_mtok: perMtok(m.outputMicrosPerMtok),
    cached_input_price_per_mtok: perMtok(m.cachedInputMicrosPerMtok),
    cache_write_price_per_mtok: perMtok(m.cacheWriteMicrosPerMtok),
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    enabled: m.enabled,
    scope: m.orgId ? "organization" : "instance",
    available, // it can serve this organization now (DESIGN §3b: whose credentials serve what)
    created_at: m.createdAt.toISOString(),
  };
}

export async function listModels(scope: Scope) {
  const catalog = await getCatalog();
  const rows = await db().model.findMany({ where: { OR: [{ orgId: null }, { orgId: scope.orgId }] }, orderBy: [{ provider: "asc" }, { slug: "asc" }] });
  return { data: rows.map((r) => serialize(r, servable(catalog, scope.orgId, r))), next_cursor: null };
}

async function findRow(scope: Scope, id: string): Promise<Row> {
  const rows = await db().model.findMany({ where: { slug: id, OR: [{ orgId: null }, { orgId: scope.orgId }] } });
  const row = rows.find((r) => r.orgId === scope.orgId) ?? rows[0];
  if (!row) throw notFound("Model");
  return row;
}

export async function getModel(scope: Scope, id: string) {
  const row = await findRow(scope, id);
  return serialize(row, servable(await getCatalog(), scope.orgId, row));
}

/** Operators add instance-wide models (any provider, including one configured later); an
 *  organization's admins add models only their organization sees, for a provider the organization
 *  has its own credentials for: such a row is never served with the instance's credentials, so one
 *  without them could only ever be unusable (or, before, a free ride on the operator's key). */
export async function createModel(scope: Scope, input: z.infer<typeof modelCreateSchema>) {
  const instanceWide = (input.scope ?? (scope.caller.kind === "operator" ? "instance" : "organization")) === "instance";
  if (instanceWide) requireOperator(scope);
  else requireRole(scope, "admin");
  const orgId = instanceWide ? null : scope.orgId;
  const [provider, ...rest] = input.id.split("/");
  if (orgId !== null && (await db().providerCredential.count({ where: { orgId, slug: provider! } })) === 0) {
    throw new ApiError(
      "invalid_value",
      `An organization's model is served only with the organization's own credentials, and it has none for provider '${provider}': add one under Providers (POST /api/providers) first. Instance models are priced and served by the operator.`,
      { param: "id" },
    );
  }
  if ((await db().model.count({ where: { slug: input.id, orgId } })) > 0) {
    throw new ApiError("conflict", `The model '${input.id}' already exists.`, { param: "id" });
  }
  const row = await db().model.create({
    data: {
      id: `mdl_${randomBase62(20)}`,
      orgId,
      slug: input.id,
      provider: provider!,
      upstreamModel: input.upstream_model ?? rest.join("/"),
      kind: input.kind,
      inputMicrosPerMtok: toMicros(input.input_price_per_mtok),
      outputMicrosPerMtok: toMicros(input.output_price_per_mtok),
      cachedInputMicrosPerMtok: input.cached_input_price_per_mtok == null ? null : toMicros(input.cached_input_price_per_mtok),
      cacheWriteMicrosPerMtok: input.cache_write_price_per_mtok == null ? null : toMicros(input.cache_write_price_per_mtok),
      contextWindow: input.context_window ?? null,
      maxOutputTokens: input.max_output_tokens ?? null,
    },
  });
  invalidateCatalog();
  return serialize(row, servable(await getCatalog(), scope.orgId, row));
}

export async function updateModel(scope: Scope, id: string, input: z.infer<typeof modelUpdateSchema>) {
  const row = await findRow(scope, id);
  // An organization's own model is its admins' to edit; instance-wide rows are the operator's.
  if (row.orgId !== null && row.orgId === scope.orgId) requireRole(scope, "admin");
  else requireOperator(scope);
  const micros = (v: number | null | undefined) => (v === undefined ? undefined : v === null ? null : toMicros(v));
  const updated = await db().model.update({
    where: { id: row.id },
    data: {
      upstreamModel: input.upstream_model,
      inputMicrosPerMtok: micros(input.input_price_per_mtok) ?? undefined,
      outputMicrosPerMtok: micros(input.output_price_per_mtok) ?? undefined,
      cachedInputMicrosPerMtok: micros(input.cached_input_price_per_mtok),
      cacheWriteMicrosPerMtok: micros(input.cache_write_price_per_mtok),
      contextWindow: input.context_window,
      maxOutputTokens: input.max_output_tokens,
      enabled: input.enabled,
    },
  });
  invalidateCatalog();
  return serialize(updated, servable(await getCatalog(), scope.orgId, updated));
}
