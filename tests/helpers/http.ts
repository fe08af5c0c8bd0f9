// Drives route handlers exactly as Next calls them: a real Request in, a real Response out.
import { encode } from "next-auth/jwt";
import { hashPassword } from "@/lib/auth/password";
import { registerUser } from "@/lib/auth/users";
import { env } from "@/lib/env";
import * as projects from "@/app/api/projects/route";
import { ADMIN_KEY } from "../setup/database";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

export interface Result<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Like the console in a browser: a change sent with the session cookie carries this origin's
 * `Origin` and `Sec-Fetch-Site: same-origin` (lib/api/csrf.ts), unless the test sets its own
 * `origin` (an empty one sends none: what a forged or non-browser request looks like).
 */
function asBrowser(headers: Headers, method: string): void {
  if (!headers.has("cookie") || ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return;
  if (headers.has("origin")) {
    if (headers.get("origin") === "") headers.delete("origin");
    return;
  }
  headers.set("origin", "http://localhost");
  if (!headers.has("sec-fetch-site")) headers.set("sec-fetch-site", "same-origin");
}

export async function call<T = any>(handler: Handler, opts: CallOptions = {}): Promise<Result<T>> {
  const headers = new Headers(opts.headers);
  asBrowser(headers, opts.method ?? "GET");
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set("content-type", "application/json");
  }
  const req = new Request(`http://localhost${opts.path ?? "/api/test"}`, { method: opts.method ?? "GET", headers, body });
  // Like Next: routes without dynamic segments get no params object.
  const res = await handler(req, { params: Promise.resolve(opts.params as Record<string, string>) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_KEY}` };

let counter = 0;
const PASSWORD = "correct horse battery";
/** One scrypt run per test file: every fixture user has the same password. */
let passwordHash: Promise<string> | undefined;

/** Signs up a real user (with their own organization) and returns a valid session cookie. */
export async function signedInUser(label = "user") {
  counter += 1;
  const email = `${label}-${counter}-${Date.now()}@example.com`;
  passwordHash ??= hashPassword(PASSWORD);
  const { user, org } = await registerUser({ email, password: PASSWORD, name: label }, { passwordHash: await passwordHash });
  const cookieName = "authjs.session-token";
  const token = await encode({ token: { sub: user.id, email }, secret: env().AUTH_SECRET, salt: cookieName });
  return { user, org, email, headers: { cookie: `${cookieName}=${token}` } };
}

/** A signed-up user (owner of their own organization) with a fresh project in it. */
export async function userProject(label: string) {
  const u = await signedInUser(label);
  const project = (await call(projects.POST, { method: "POST", headers: u.headers, body: { name: label } })).body;
  return { ...u, project };
}
