// Throttling of the console's sign-in and sign-up: per client address and per email address, on the
// gateway's rate-limit store (Redis when REDIS_URL is set, so it holds across instances). Checked
// before any password is hashed: a refused attempt costs no scrypt run on the shared thread pool.
import { sha256Hex } from "../crypto";
import { env } from "../env";
import { ApiError } from "../errors";
import { admitPerMinute } from "../ratelimit";
import { clientAddress } from "./client-address";

export type AuthAction = "sign-in" | "sign-up";

function refusal(retryAfter: number): ApiError {
  return new ApiError("rate_limit_exceeded", `Too many attempts. Try again in ${retryAfter} s.`, {
    headers: { "retry-after": String(retryAfter) },
  });
}

/** Throws a 429 (with Retry-After) when this client has used its attempts of the minute. */
export async function throttleClient(req: Request, action: AuthAction): Promise<void> {
  const e = env();
  const perIp = action === "sign-up" ? e.VECSTRUCT_SIGNUP_LIMIT_PER_IP : e.VECSTRUCT_AUTH_LIMIT_PER_IP;
  const denied = await admitPerMinute(`auth:${action}:ip:${clientAddress(req)}`, perIp);
  if (denied) throw refusal(denied.retryAfter);
}

/** Throws a 429 when this email address has used its attempts (from any number of clients). */
export async function throttleEmail(action: AuthAction, email: string): Promise<void> {
  // Hashed: email addresses are not written into Redis keys.
  const key = sha256Hex(email.trim().toLowerCase()).slice(0, 32);
  const denied = await admitPerMinute(`auth:${action}:email:${key}`, env().VECSTRUCT_AUTH_LIMIT_PER_EMAIL);
  if (denied) throw refusal(denied.retryAfter);
}

/** A per-user counter for mails we send on request (verification resends). */
export async function throttleMail(userId: string): Promise<void> {
  const denied = await admitPerMinute(`auth:mail:${userId}`, 3);
  if (denied) throw refusal(denied.retryAfter);
}

const MAX_FORM_BYTES = 16 * 1024;

/** The credentials callback (`POST /api/auth/callback/credentials`) gets throttled before next-auth
 *  runs it. Returns the refusal to send, or null to go on. The body is read from a clone, capped. */
export async function guardCredentialsCallback(req: Request): Promise<Response | null> {
  if (!new URL(req.url).pathname.endsWith("/callback/credentials")) return null;
  let email: string | null = null;
  try {
    const text = await readCapped(req.clone(), MAX_FORM_BYTES);
    const value = new URLSearchParams(text).get("email");
    email = value ? value.slice(0, 320) : null;
  } catch (err) {
    if (err instanceof ApiError) return Response.json(err.toBody(), { status: err.status });
    throw err;
  }
  try {
    await throttleClient(req, "sign-in");
    if (email) await throttleEmail("sign-in", email);
    return null;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // next-auth's client reads `url` and its `error` parameter; the rest is our usual error body.
    const url = new URL("/sign-in?error=RateLimited", req.url).toString();
    return Response.json({ url, ...err.toBody() }, { status: err.status, headers: err.headers });
  }
}

async function readCapped(req: Request, max: number): Promise<string> {
  const tooLarge = () => new ApiError("request_too_large", `Request body exceeds ${max} bytes.`);
  if (Number(req.headers.get("content-length") ?? "0") > max) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
