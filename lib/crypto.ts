import { createCipheriv, createDecipheriv, createHash, randomBytes, randomFillSync } from "node:crypto";
import { env } from "./env";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

// Random bytes are drawn 4 KB at a time: ids are made several times per request, and one
// randomBytes call per id was a measurable share of the hot path.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Uniform base62 string: rejection sampling avoids the modulo bias of `byte % 62`. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

function encryptionKey(): Buffer {
  const key = Buffer.from(env().VECSTRUCT_ENCRYPTION_KEY, "base64");
  if (key.length < 32) throw new Error("VECSTRUCT_ENCRYPTION_KEY must decode to 32 bytes");
  return key.subarray(0, 32);
}

/**
 * AES-256-GCM bound to where the ciphertext lives: `context` (e.g. "provider_credential:<row id>")
 * is the additional authenticated data, so a ciphertext copied into another row, or used for
 * another purpose, fails to decrypt. Output `v2.<iv>.<tag>.<ciphertext>` in base64url.
 */
export function encryptSecret(plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** `v2` needs the context it was sealed with; `v1` (written before contexts existed) is read without. */
export function decryptSecret(sealed: string, context: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if ((version !== "v1" && version !== "v2") || !iv || !tag || data === undefined) throw new Error("unrecognised secret format");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  if (version === "v2") decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** A ciphertext from before contexts: rewrite it bound to its row (see providers.ts). */
export const isLegacySecret = (sealed: string) => sealed.startsWith("v1.");

/** The context of a provider credential's secret. */
export const credentialSecretContext = (id: string) => `provider_credential:${id}`;
