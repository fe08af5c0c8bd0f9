// Where cached answers live: the `response_cache` table (both databases), scoped by project on every
// query. Expired entries are never returned and are purged as new ones are written.
import { db } from "../db";
import { bufferToVector, cosineSimilarity, vectorToBuffer } from "../vector-codec";

export interface CachedAnswer {
  id: string;
  /** The endpoint's JSON answer, without `vecstruct`. */
  response: Record<string, unknown>;
  sourceAuditId: string;
  similarity: number | null;
}

const parse = (row: { id: string; response: string; sourceAuditId: string }, similarity: number | null): CachedAnswer | null => {
  try {
    return { id: row.id, response: JSON.parse(row.response) as Record<string, unknown>, sourceAuditId: row.sourceAuditId, similarity };
  } catch {
    return null;
  }
};

export async function findExact(scope: { projectId: string; endpoint: string }, key: string, now = new Date()): Promise<CachedAnswer | null> {
  const row = await db().responseCacheEntry.findFirst({
    where: { projectId: scope.projectId, endpoint: scope.endpoint, key, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, response: true, sourceAuditId: true },
  });
  return row ? parse(row, null) : null;
}

/** Entries compared per semantic lookup: the newest of the same semantic key. */
const SEMANTIC_CANDIDATES = 200;

export async function findSemantic(
  scope: { projectId: string; endpoint: string },
  key: string,
  query: { vector: Float32Array; model: string; threshold: number },
  now = new Date(),
): Promise<CachedAnswer | null> {
  const rows = await db().responseCacheEntry.findMany({
    where: { projectId: scope.projectId, endpoint: scope.endpoint, semanticKey: key, embeddingModel: query.model, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: SEMANTIC_CANDIDATES,
    select: { id: true, response: true, sourceAuditId: true, embedding: true },
  });
  let best: { row: (typeof rows)[number]; sim: number } | null = null;
  for (const row of rows) {
    if (!row.embedding || row.embedding.byteLength !== query.vector.length * 4) continue;
    const sim = cosineSimilarity(query.vector, bufferToVector(row.embedding));
    if (sim >= query.threshold && (!best || sim > best.sim)) best = { row, sim };
  }
  return best ? parse(best.row, Math.round(best.sim * 1e6) / 1e6) : null;
}

let writes = 0;

export async function saveAnswer(entry: {
  orgId: string;
  projectId: string;
  endpoint: string;
  key: string;
  semantic: { key: string; vector: Float32Array; model: string } | null;
  response: Record<string, unknown>;
  sourceAuditId: string;
  ttlSeconds: number;
}): Promise<void> {
  const now = new Date();
  await db().responseCacheEntry.create({
    data: {
      orgId: entry.orgId,
      projectId: entry.projectId,
      endpoint: entry.endpoint,
      key: entry.key,
      semanticKey: entry.semantic?.key ?? null,
      embedding: entry.semantic ? new Uint8Array(vectorToBuffer(entry.semantic.vector)) : null,
      embeddingModel: entry.semantic?.model ?? null,
      response: JSON.stringify(entry.response),
      sourceAuditId: entry.sourceAuditId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + entry.ttlSeconds * 1000),
    },
  });
  // Every 100 writes, the expired entries of every project go (indexed by expiresAt).
  if (++writes % 100 === 0) await db().responseCacheEntry.deleteMany({ where: { expiresAt: { lte: now } } });
}

/** DELETE /api/projects/{id}/cache. Returns how many entries went. */
export async function clearProjectCache(projectId: string): Promise<number> {
  return (await db().responseCacheEntry.deleteMany({ where: { projectId } })).count;
}

/**
 * The project's cache results over the last `days` days, from its audit rows: hits, misses, bypasses,
 * and the USD the hits saved (what their source answers cost).
 */
export async function cacheStats(projectId: string, days = 30) {
  const since = new Date(Date.now() - days * 86_400_000);
  const groups = await db().auditLog.groupBy({ by: ["cache"], where: { projectId, cache: { not: null }, createdAt: { gte: since } }, _count: { _all: true } });
  const n = (c: string) => groups.find((g) => g.cache === c)?._count._all ?? 0;
  const sources = await db().auditLog.findMany({ where: { projectId, cache: "hit", createdAt: { gte: since } }, select: { cacheSourceAuditId: true }, take: 50_000 });
  const counts = new Map<string, number>();
  for (const s of sources) if (s.cacheSourceAuditId) counts.set(s.cacheSourceAuditId, (counts.get(s.cacheSourceAuditId) ?? 0) + 1);
  let savedMicros = 0n;
  const ids = [...counts.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db().auditLog.findMany({ where: { projectId, id: { in: ids.slice(i, i + 500) } }, select: { id: true, costMicros: true } });
    for (const r of rows) savedMicros += BigInt(r.costMicros) * BigInt(counts.get(r.id) ?? 0);
  }
  const hits = n("hit");
  const misses = n("miss");
  return { days, hits, misses, bypass: n("bypass"), hit_rate: hits + misses > 0 ? Math.round((hits / (hits + misses)) * 1e4) / 1e4 : null, usd_saved: Number(savedMicros) / 1e6 };
}

/** The hourly housekeeping (lib/lifecycle.ts): expired entries of every project. */
export async function purgeExpiredCache(now = new Date()): Promise<number> {
  return (await db().responseCacheEntry.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
