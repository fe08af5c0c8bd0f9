// scrypt (memory-hard KDF from node:crypto, async on the libuv pool: never scryptSync on the request
// loop): no native dependency, parameters stored with the hash. Cost per OWASP's current guidance
// (N=2^17, r=8, p=1: 128 MiB per hash); older hashes verify with their own parameters and are
// re-hashed at the next successful sign-in (needsRehash).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { processState } from "../process-state";

export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 64;
/** Stored hashes with a cost above this are refused rather than run (a tampered row must not
 *  make one sign-in allocate gigabytes). */
const MAX_N = 2 ** 20;

// At most two hashes at a time: each holds a libuv pool thread (4 by default, shared with file
// and DNS work of the gateway) and 128 MiB. A burst of sign-ins queues here instead of starving
// upstream DNS lookups or stacking memory.
// Per process, not per bundle: sign-up and sign-in are different route handlers.
const MAX_CONCURRENT = 2;
const slots = processState("auth.passwordSlots", () => ({ running: 0, waiting: [] as (() => void)[] }));

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.running >= MAX_CONCURRENT) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  else slots.running += 1;
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next(); // the slot passes on directly
    else slots.running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  // maxmem: scrypt needs 128·N·r bytes; twice that leaves room for Node's own accounting.
  return withSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize("NFKC"), salt, KEYLEN, { ...opts, maxmem: 2 * 128 * opts.N! * opts.r! }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PASSWORD_PARAMS;
  const key = await scrypt(password, salt, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

function parse(stored: string) {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (alg !== "scrypt" || !salt || !hash) return null;
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || !Number.isInteger(R) || R < 1 || R > 32 || !Number.isInteger(P) || P < 1 || P > 16) return null;
  return { N, r: R, p: P, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, { N: parsed.N, r: parsed.r, p: parsed.p });
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when a stored hash was made with other (older) parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N !== PASSWORD_PARAMS.N || parsed.r !== PASSWORD_PARAMS.r || parsed.p !== PASSWORD_PARAMS.p;
}
