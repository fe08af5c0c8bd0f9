// API key authentication for /v1: a hash lookup served from memory. Entries live 2 s, so a revoked
// or expired key stops working within that time without a database round trip per request.
import { sha256Hex } from "../crypto";
import { db } from "../db";
import { ApiError } from "../errors";
import { processState } from "../process-state";

import type { KeyContext } from "../wire/key";
export type { KeyContext } from "../wire/key";

const TTL_MS = 2_000;
type Entry = { key: KeyContext | null; at: number };
// On globalThis: shared by the /v1 handlers and the management routes (separate Next bundles).
const cache = processState("gateway.keys", () => new Map<string, Entry>());

const invalid = () =>
  new ApiError("invalid_api_key", "Incorrect API key provided. You can find your API keys in the vecstruct console.");

async function lookup(hash: string): Promise<KeyContext | null> {
  const row = await db().apiKey.findUnique({ where: { keyHash: hash } });
  if (!row || row.revokedAt) return null;
  return {
    id: row.id,
    orgId: row.orgId,
    projectId: row.projectId,
    models: Array.isArray(row.models) ? (row.models as string[]) : null,
    projects: Array.isArray(row.projects) ? (row.projects as string[]) : null,
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    maxConcurrent: row.maxConcurrent,
    budgetMicros: row.budgetMicros,
    expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
  };
}

/**
 * Reads the bearer from the headers only: called before the body is touched. `xApiKey`: the dialect
 * also takes Anthropic's `x-api-key` header (/v1/messages); a bearer, when both are sent, wins.
 */
export async function authenticateApiKey(headers: Headers, opts: { xApiKey?: boolean } = {}): Promise<KeyContext> {
  const auth = headers.get("authorization");
  const token = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : (headers.get("api-key")?.trim() ?? (opts.xApiKey ? headers.get("x-api-key")?.trim() : undefined));
  if (!token) {
    const how = opts.xApiKey ? "'x-api-key: sk-vs-…' or 'Authorization: Bearer sk-vs-…'" : "'Authorization: Bearer sk-vs-…'";
    throw new ApiError("invalid_api_key", `You didn't provide an API key. Send it as ${how}.`);
  }
  if (!token.startsWith("sk-vs-") || token.length > 200) throw invalid();
  const hash = sha256Hex(token);
  const now = Date.now();
  let entry = cache.get(hash);
  if (!entry || now - entry.at > TTL_MS) {
    entry = { key: await lookup(hash), at: now };
    if (cache.size > 50_000) cache.clear(); // bounded: garbage keys cannot grow it forever
    cache.set(hash, entry);
  }
  const key = entry.key;
  if (!key || (key.expiresAt !== null && key.expiresAt <= now)) throw invalid();
  return key;
}

export function clearKeyCache(): void {
  cache.clear();
}
