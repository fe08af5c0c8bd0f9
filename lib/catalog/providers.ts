// Upstream providers: from the environment (instance-wide) and from the database (encrypted secret).
import { credentialSecretContext, decryptSecret, encryptSecret, isLegacySecret } from "../crypto";
import { db } from "../db";
import { env } from "../env";
import { SEED_MODELS, type SeedModel } from "./seed";
import { log } from "../log";

export const PROTOCOLS = ["openai", "openai-compatible", "anthropic", "google", "cohere"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface ProviderRuntime {
  slug: string;
  protocol: Protocol;
  baseUrl: string;
  apiKey: string;
  orgId: string | null; // null = every organization
  credentialId: string | null; // null = from the environment
  /** Stable label for routing state and audit attempts: the credential id, or env:<slug>#<n>. */
  ref: string;
  weight: number;
}

const stripSlash = (u: string) => u.replace(/\/+$/, "");

export function envProviders(): { provider: ProviderRuntime; seeds: readonly SeedModel[] }[] {
  const e = env();
  const list: { provider: ProviderRuntime; seeds: readonly SeedModel[] }[] = [];
  // A comma list of keys is several credentials of one provider, balanced with equal weight.
  const add = (slug: string, protocol: Protocol, baseUrl: string, keys: string[], seeds: readonly SeedModel[]) => {
    keys.forEach((apiKey, i) => {
      const provider = { slug, protocol, baseUrl: stripSlash(baseUrl), apiKey, orgId: null, credentialId: null, ref: `env:${slug}#${i + 1}`, weight: 1 };
      list.push({ provider, seeds: i === 0 ? seeds : [] });
    });
  };
  const split = (v: string | undefined) => (v ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  add("openai", "openai", e.OPENAI_BASE_URL, split(e.OPENAI_API_KEY), SEED_MODELS.openai);
  add("anthropic", "anthropic", e.ANTHROPIC_BASE_URL, split(e.ANTHROPIC_API_KEY), SEED_MODELS.anthropic);
  add("google", "google", e.GEMINI_BASE_URL, split(e.GEMINI_API_KEY), SEED_MODELS.google);
  add("cohere", "cohere", e.COHERE_BASE_URL, split(e.COHERE_API_KEY), SEED_MODELS.cohere);
  for (const c of e.customProviders) {
    const seeds = c.models.map((m) => ({ name: m.name, upstream: m.name, kind: m.kind, input: 0, output: 0 }));
    // Local servers (vLLM, Ollama) often need no key: an empty bearer is fine for them.
    const keys = split(c.apiKey);
    add(c.slug, "openai-compatible", c.baseUrl, keys.length ? keys : [""], seeds);
  }
  return list;
}

/** Rewrites a pre-AAD ciphertext bound to its row; only if nobody changed it meanwhile. */
function migrateSecret(id: string, old: string, plain: string): void {
  db()
    .providerCredential.updateMany({ where: { id, secretEnc: old }, data: { secretEnc: encryptSecret(plain, credentialSecretContext(id)) } })
    .catch(() => log.warn("could not re-encrypt a provider secret with its row binding; will retry", { credential_id: id }));
}

export async function dbProviders(): Promise<ProviderRuntime[]> {
  const rows = await db().providerCredential.findMany({ where: { enabled: true } });
  const out: ProviderRuntime[] = [];
  for (const r of rows) {
    if (!(PROTOCOLS as readonly string[]).includes(r.protocol)) continue;
    let apiKey = "";
    try {
      apiKey = r.secretEnc ? decryptSecret(r.secretEnc, credentialSecretContext(r.id)) : "";
    } catch {
      log.error("provider credential cannot be decrypted (was VECSTRUCT_ENCRYPTION_KEY changed, or the secret copied from another row?)", { credential_id: r.id });
      continue;
    }
    if (r.secretEnc && isLegacySecret(r.secretEnc)) migrateSecret(r.id, r.secretEnc, apiKey);
    out.push({ slug: r.slug, protocol: r.protocol as Protocol, baseUrl: stripSlash(r.baseUrl), apiKey, orgId: r.orgId, credentialId: r.id, ref: r.id, weight: Math.max(0, r.weight) });
  }
  return out;
}
