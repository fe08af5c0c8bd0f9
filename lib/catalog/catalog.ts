// The model catalog as the hot path sees it: held in memory, refreshed at most every few seconds,
// so no request pays a database round trip to resolve a model or its provider.
import { db } from "../db";
import { toMicros as perMtok } from "../money";
import { dbProviders, envProviders, type ProviderRuntime } from "./providers";
import { type ModelKind } from "./seed";
import { processState } from "../process-state";

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
  /** Prompt-cache writes (Anthropic's cache_creation_input_tokens); null = billed at the input price. */
  cacheWriteMicrosPerMtok: bigint | null;
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
              cacheWriteMicrosPerMtok: "cacheWrite" in m && m.cacheWrite !== undefined ? perMtok(m.cacheWrite) : null,
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
    cacheWriteMicrosPerMtok: r.cacheWriteMicrosPerMtok,
    contextWindow: r.contextWindow,
    maxOutputTokens: r.maxOutputTokens,
    createdAt: r.createdAt,
  }));
  return { models, providers, loadedAt: Date.now() };
}

// Process state (lib/process-state.ts): a management write must invalidate the catalog that the /v1
// handlers and the background work started by the instrumentation hook (another bundle) read.
interface CatalogState {
  current: Catalog | undefined;
  loading: Promise<Catalog> | undefined;
  generation: number;
}
const cs = processState<CatalogState>("catalog", () => ({ current: undefined, loading: undefined, generation: 0 }));

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

/**
 * A catalog no older than the TTL: `catalog` itself when it is fresh, else the result of a reload.
 * For a miss (an unknown model) on a stale catalog, which another instance may have just changed:
 * the stale-while-revalidate of getCatalog() would otherwise answer 404 once for a model that exists.
 * Reloads are shared, so misses cannot cause more than one load per TTL.
 */
export async function freshCatalog(catalog: Catalog): Promise<Catalog> {
  if (Date.now() - catalog.loadedAt < TTL_MS) return catalog;
  const now = await getCatalog(); // starts the reload when none runs; may still answer the stale copy
  if (now.loadedAt > catalog.loadedAt) return now;
  return cs.loading ? await cs.loading : now;
}

/** After a management write: the next request waits for a load that started after it. */
export function invalidateCatalog(): void {
  cs.generation += 1;
  cs.current = undefined;
  cs.loading = undefined;
}

/*
 * Whose credentials serve what (DESIGN §3b): an organization that has its own credentials for a
 * provider (bring-your-own-key) uses only those for every model of that provider; otherwise the
 * instance's credentials serve, and only instance models at instance prices. An organization's
 * own model rows are served only by its own credentials: a row it wrote (a price of 0, any
 * upstream_model) can never put the operator's key to work.
 */

/** The organization's own credentials for the provider, else the instance's. */
export function providersFor(catalog: Catalog, orgId: string, slug: string): ProviderRuntime[] {
  const own = catalog.providers.filter((p) => p.slug === slug && p.orgId === orgId);
  return own.length > 0 ? own : catalog.providers.filter((p) => p.slug === slug && p.orgId === null);
}

/** The organization has credentials of its own for the provider. */
export function hasOwnCredentials(catalog: Catalog, orgId: string, slug: string): boolean {
  return catalog.providers.some((p) => p.slug === slug && p.orgId === orgId);
}

/** May this row serve the organization's requests (see above)? */
export function servable(catalog: Catalog, orgId: string, m: Pick<CatalogModel, "orgId" | "provider">): boolean {
  if (m.orgId === null) return providersFor(catalog, orgId, m.provider).length > 0;
  return m.orgId === orgId && hasOwnCredentials(catalog, orgId, m.provider);
}

/** Models the organization may use: its own servable rows shadow instance-wide ones. */
export function modelsFor(catalog: Catalog, orgId: string): CatalogModel[] {
  const byId = new Map<string, CatalogModel>();
  for (const m of catalog.models) {
    if (!servable(catalog, orgId, m)) continue;
    const existing = byId.get(m.id);
    if (!existing || (existing.orgId === null && m.orgId !== null)) byId.set(m.id, m);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function findModel(catalog: Catalog, orgId: string, id: string): CatalogModel | undefined {
  let found: CatalogModel | undefined;
  for (const m of catalog.models) {
    if (m.id !== id || !servable(catalog, orgId, m)) continue;
    if (!found || (found.orgId === null && m.orgId !== null)) found = m;
  }
  return found;
}
