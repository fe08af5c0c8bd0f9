// The model catalog as the hot path sees it: held in memory, refreshed at most every few seconds,
// so no request pays a database round trip to resolve a model or its provider.
import { db } from "../db";
import { dbProviders, envProviders, type ProviderRuntime } from "./providers";
import { type ModelKind } from "./seed";

export interface CatalogModel {
  rowId: string;
  id: string; // public id provider/model
  orgId: string | null;
  provider: string;
  upstreamModel: string;
  kind: ModelKind;
  inputMicrosPerMtok: bigint;
  outputMicrosPerMtok: bigint;
  cachedInputMicrosPerMtok: bigint | null;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  createdAt: Date;
}

export interface Catalog {
  models: CatalogModel[];
  providers: ProviderRuntime[];
  loadedAt: number;
}

const TTL_MS = 3_000;
const perMtok = (usd: number) => BigInt(Math.round(usd * 1_000_000));

let seeded: Promise<void> | undefined;

/** Seeds the environment's providers' models once per process; existing rows are left alone. */
function ensureSeeded(): Promise<void> {
  seeded ??= (async () => {
    for (const { provider, seeds } of envProviders()) {
      for (const m of seeds) {
        const slug = `${provider.slug}/${m.name}`;
        // Deterministic id: concurrent instances seeding at once collide instead of duplicating.
        const id = `mdl_${slug.replace(/[^A-Za-z0-9]+/g, "_")}`;
        if (await db().model.findUnique({ where: { id }, select: { id: true } })) continue;
        await db()
          .model.create({
            data: {
              id,
              slug,
              provider: provider.slug,
              upstreamModel: m.upstream,
              kind: m.kind,
              inputMicrosPerMtok: perMtok(m.input),
              outputMicrosPerMtok: perMtok(m.output),
              cachedInputMicrosPerMtok: "cachedInput" in m && m.cachedInput !== undefined ? perMtok(m.cachedInput) : null,
              contextWindow: m.contextWindow ?? null,
              maxOutputTokens: "maxOutput" in m && m.maxOutput !== undefined ? m.maxOutput : null,
            },
          })
          .catch(() => {}); // lost a race with another instance: the row exists
      }
    }
  })().catch((err) => {
    seeded = undefined;
    throw err;
  });
  return seeded;
}

async function load(): Promise<Catalog> {
  await ensureSeeded();
  const [rows, fromDb] = await Promise.all([db().model.findMany({ where: { enabled: true } }), dbProviders()]);
  const providers = [...envProviders().map((p) => p.provider), ...fromDb];
  const models = rows.map((r) => ({
    rowId: r.id,
    id: r.slug,
    orgId: r.orgId,
    provider: r.provider,
    upstreamModel: r.upstreamModel,
    kind: r.kind as ModelKind,
    inputMicrosPerMtok: r.inputMicrosPerMtok,
    outputMicrosPerMtok: r.outputMicrosPerMtok,
    cachedInputMicrosPerMtok: r.cachedInputMicrosPerMtok,
    contextWindow: r.contextWindow,
    maxOutputTokens: r.maxOutputTokens,
    createdAt: r.createdAt,
  }));
  return { models, providers, loadedAt: Date.now() };
}

// On globalThis: a management write (route bundle) must invalidate the catalog the /v1 handlers
// (instrumentation bundle) read.
interface CatalogState {
  current: Catalog | undefined;
  loading: Promise<Catalog> | undefined;
  generation: number;
}
const cs: CatalogState = ((globalThis as unknown as { vecstructCatalog?: CatalogState }).vecstructCatalog ??= { current: undefined, loading: undefined, generation: 0 });

export async function getCatalog(): Promise<Catalog> {
  if (cs.current && Date.now() - cs.current.loadedAt < TTL_MS) return cs.current;
  if (!cs.loading) {
    const gen = cs.generation;
    const p: Promise<Catalog> = load()
      .then((c) => {
        if (gen === cs.generation) cs.current = c;
        return c;
      })
      .finally(() => {
        if (cs.loading === p) cs.loading = undefined;
      });
    cs.loading = p;
  }
  // A stale catalog keeps serving while the refresh runs; only the first load (or one after a write) waits.
  return cs.current ?? cs.loading;
}

/** After a management write: the next request waits for a load that started after it. */
export function invalidateCatalog(): void {
  cs.generation += 1;
  cs.current = undefined;
  cs.loading = undefined;
}

const visible = (orgId: string | null, ownerOrg: string) => orgId === null || orgId === ownerOrg;

export function providersFor(catalog: Catalog, orgId: string, slug: string): ProviderRuntime[] {
  return catalog.providers.filter((p) => p.slug === slug && visible(p.orgId, orgId));
}

/** Models the organization may use: its own rows shadow instance-wide ones; provider configured. */
export function modelsFor(catalog: Catalog, orgId: string): CatalogModel[] {
  const byId = new Map<string, CatalogModel>();
  for (const m of catalog.models) {
    if (!visible(m.orgId, orgId) || providersFor(catalog, orgId, m.provider).length === 0) continue;
    const existing = byId.get(m.id);
    if (!existing || (existing.orgId === null && m.orgId !== null)) byId.set(m.id, m);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function findModel(catalog: Catalog, orgId: string, id: string): CatalogModel | undefined {
  let found: CatalogModel | undefined;
  for (const m of catalog.models) {
    if (m.id !== id || !visible(m.orgId, orgId)) continue;
    if (!found || (found.orgId === null && m.orgId !== null)) found = m;
  }
  return found && providersFor(catalog, orgId, found.provider).length > 0 ? found : undefined;
}
