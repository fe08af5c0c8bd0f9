// Accounts and operators through HTTP (DESIGN §3b): operator status never comes from an unverified
// email; grants with the admin key or `npm run admin`; email-bound invitations need a verified
// email; sign-up answers uniformly; sign-in and sign-up are throttled per client and per email.
// The app runs with VECSTRUCT_ADMIN_EMAILS=ops@gateway.test, SMTP into a local sink (global-setup)
// and one trusted proxy hop, so each test poses as its own client with X-Forwarded-For.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { admin, baseURL, until } from "./helpers";

const adminKey = inject("adminKey");
const mailDir = inject("mailDir");
const run = randomBytes(3).toString("hex");
const PASSWORD = "correct horse battery";

let ipCounter = 0;
/** A fresh client address (TEST-NET-3 and friends, never routed). */
const newIp = () => `198.51.${Math.floor(Math.random() * 250)}.${++ipCounter % 250}`;

async function signUp(email: string, ip: string, password = PASSWORD) {
  return fetch(`${baseURL}/api/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ email, password }),
  });
}

/** next-auth's credentials sign-in as its browser client does it: CSRF cookie + token, then the form. */
async function signInRaw(email: string, password: string, ip: string) {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, "x-auth-return-redirect": "1", "x-forwarded-for": ip },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${baseURL}/projects` }),
  });
}

/** The session cookie of a successful sign-in, or null. */
async function signIn(email: string, password = PASSWORD, ip = newIp()): Promise<string | null> {
  const res = await signInRaw(email, password, ip);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  return cookie ? cookie.split(";")[0]! : null;
}

/** A console request with a session cookie, from the app's own origin (as the console sends it). */
async function asUser(cookie: string, method: string, p: string, body?: unknown) {
  return fetch(`${baseURL}${p}`, {
    method,
    headers: { cookie, origin: baseURL, "sec-fetch-site": "same-origin", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const me = async (cookie: string) => (await (await asUser(cookie, "GET", "/api/me")).json()) as { operator: boolean; org_id: string; user: { id: string; email_verified: boolean } };

async function newAccount(email: string) {
  expect((await signUp(email, newIp())).status).toBe(202);
  const cookie = await signIn(email);
  expect(cookie).not.toBeNull();
  return cookie!;
}

/** Quoted-printable soft breaks and escapes undone (nodemailer encodes long lines). */
const decodeQp = (s: string) => s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

function mailsTo(email: string): string[] {
  return readdirSync(mailDir)
    .sort()
    .map((f) => readFileSync(path.join(mailDir, f), "utf8"))
    .filter((m) => m.startsWith(`X-Envelope-To: ${email}\r\n`))
    .map(decodeQp);
}

async function verificationToken(email: string): Promise<string> {
  let token: string | undefined;
  await until(() => {
    const links = mailsTo(email).flatMap((m) => [...m.matchAll(/\/verify-email\?token=([A-Za-z0-9_]+)/g)].map((x) => x[1]!));
    token = links.at(-1);
    return token !== undefined;
  }, 10_000);
  return token!;
}

describe("operator status needs more than an email address", () => {
  it("registering the admin email by password grants nothing until the emailed link is confirmed by that account", async () => {
    const other = await newAccount(`someone-${run}@gateway.test`);
    expect((await me(other)).operator).toBe(false);

    // The attack: register the operator's address first.
    const ops = await newAccount("ops@gateway.test");
    const mine = await me(ops);
    expect(mine.operator).toBe(false);
    expect(mine.user.email_verified).toBe(false);
    const topup = await asUser(ops, "POST", "/api/billing/topup", { usd: 1000, org_id: mine.org_id });
    expect(topup.status).toBe(403);
    expect((await topup.json()).error.type).toBe("permission_error");
    const orgs = (await (await asUser(ops, "GET", "/api/orgs")).json()) as { data: { id: string }[] };
    expect(orgs.data.map((o) => o.id)).toEqual([mine.org_id]);

    const token = await verificationToken("ops@gateway.test");
    // Following the link (what a mail scanner does) changes nothing.
    expect((await fetch(`${baseURL}/verify-email?token=${token}`)).status).toBe(200);
    expect((await me(ops)).operator).toBe(false);
    // The token without that account's session: refused (no session; another account's session).
    expect((await fetch(`${baseURL}/api/verify-email`, { method: "POST", headers: { "content-type": "application/json", origin: baseURL }, body: JSON.stringify({ token }) })).status).toBe(401);
    const foreign = await asUser(other, "POST", "/api/verify-email", { token });
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).error.param).toBe("token");
    expect((await me(ops)).operator).toBe(false);

    // The legitimate path: the mailbox owner, signed in, confirms → operator.
    const confirmed = await asUser(ops, "POST", "/api/verify-email", { token });
    expect(confirmed.status).toBe(200);
    expect((await me(ops)).operator).toBe(true);
    expect((await asUser(ops, "POST", "/api/billing/topup", { usd: 1, org_id: mine.org_id })).status).toBe(200);
    const all = (await (await asUser(ops, "GET", "/api/orgs")).json()) as { data: { id: string }[] };
    expect(all.data.length).toBeGreaterThan(1);
    // A used token does not work twice.
    expect((await asUser(ops, "POST", "/api/verify-email", { token })).status).toBe(400);
    // An operator session cannot mint more operators: only the admin key (or the CLI) does.
    expect((await asUser(ops, "POST", "/api/operators", { email: `someone-${run}@gateway.test` })).status).toBe(403);
  });

  it("the admin key grants and revokes operator status (POST/DELETE /api/operators)", async () => {
    const email = `granted-${run}@gateway.test`;
    const cookie = await newAccount(email);
    expect((await asUser(cookie, "GET", "/api/orgs")).status).toBe(200);
    expect((await me(cookie)).operator).toBe(false);
    // A grant for an address nobody holds would go to whoever registers it: refused.
    const missing = await fetch(`${baseURL}/api/operators`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: `nobody-${run}@gateway.test` }),
    });
    expect(missing.status).toBe(404);
    const grant = await admin("/api/operators", { email });
    expect(grant).toMatchObject({ object: "operator", email, source: "grant" });
    expect((await me(cookie)).operator).toBe(true);
    const list = await admin("/api/operators");
    expect(list.data.map((o: { email: string }) => o.email)).toContain(email);
    const revoke = await fetch(`${baseURL}/api/operators/${grant.user_id}`, { method: "DELETE", headers: { authorization: `Bearer ${adminKey}` } });
    expect(revoke.status).toBe(200);
    expect((await me(cookie)).operator).toBe(false);
  });

  it("`npm run admin -- grant|list|revoke` on the server", async () => {
    const email = `cli-${run}@gateway.test`;
    const cookie = await newAccount(email);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.resolve(import.meta.dirname, "../../scripts/admin.mjs"), ...args], {
        env: { ...process.env, DATABASE_URL: inject("dbUrl") },
        encoding: "utf8",
      });
    const granted = cli("grant", email.toUpperCase());
    expect(granted.status, granted.stderr).toBe(0);
    expect((await me(cookie)).operator).toBe(true);
    expect(cli("list").stdout).toContain(`${email}\t`);
    expect(cli("grant", `nobody-${run}@gateway.test`).status).toBe(1);
    expect(cli("revoke", email).status).toBe(0);
    expect((await me(cookie)).operator).toBe(false);
    // By user id (names exactly the account, whoever else holds the address).
    const { user } = await me(cookie);
    expect(cli("grant", user.id).status).toBe(0);
    expect((await me(cookie)).operator).toBe(true);
    expect(cli("revoke", user.id).status).toBe(0);
  });

  it("an email-bound invitation is refused to an unverified account with that address", async () => {
    const owner = await newAccount(`inviter-${run}@gateway.test`);
    const invitee = `invitee-${run}@gateway.test`;
    const inv = await asUser(owner, "POST", "/api/invitations", { email: invitee, role: "admin" });
    expect(inv.status).toBe(201);
    const { token } = (await inv.json()) as { token: string };

    const squatter = await newAccount(invitee);
    const refused = await asUser(squatter, "POST", "/api/invitations/accept", { token });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/verify/);

    // Once the account proves the mailbox, it is the invitee.
    expect((await asUser(squatter, "POST", "/api/verify-email", { token: await verificationToken(invitee) })).status).toBe(200);
    const accepted = await asUser(squatter, "POST", "/api/invitations/accept", { token });
    expect(accepted.status).toBe(200);
  });
});

describe("sign-up does not reveal accounts", () => {
  it("an existing address gets the same answer as a new one; the existing account is untouched", async () => {
    const email = `uniform-${run}@gateway.test`;
    const first = await signUp(email, newIp());
    const again = await signUp(email, newIp(), "a different password");
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(await signIn(email, "a different password")).toBeNull();
    expect(await signIn(email)).not.toBeNull();
    // The owner hears about the attempt (SMTP configured); the response said nothing.
    await until(() => mailsTo(email).some((m) => m.includes("already has one")), 10_000);
  });
});

async function floodUntil429(attempt: () => Promise<Response>, max: number) {
  for (let i = 0; i < max; i++) {
    const res = await attempt();
    if (res.status === 429) return { res, tries: i + 1 };
    expect(res.status).toBeLessThan(429);
  }
  throw new Error(`no 429 after ${max} attempts`);
}

/**
 * The throttle estimates a sliding minute from two wall-clock minute buckets (lib/ratelimit/window.ts):
 * exact within one bucket, approximate across a boundary (the previous bucket's weight decays). A flood
 * that straddled a minute (a slow, loaded box) is run again, with fresh keys, so the exact counts hold.
 */
async function withinOneMinute<T>(flood: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    const minute = Math.floor(Date.now() / 60_000);
    const result = await flood();
    if (Math.floor(Date.now() / 60_000) === minute || i === 2) return result;
  }
}

function expectRetryAfter(res: Response) {
  const retry = Number(res.headers.get("retry-after"));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(65);
  return retry;
}

describe("throttling of sign-up and sign-in", () => {
  it("sign-up: a flood from one client, and one email from many clients, get 429 + Retry-After", async () => {
    const byIp = await withinOneMinute(() => {
      const ip = newIp();
      return floodUntil429(() => signUp(`farm-${run}-${randomBytes(3).toString("hex")}@gateway.test`, ip), 20);
    });
    expect(byIp.tries).toBe(6); // VECSTRUCT_SIGNUP_LIMIT_PER_IP default 5
    expect((await byIp.res.json()).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expectRetryAfter(byIp.res);
    // Another client is not affected.
    expect((await signUp(`farm-other-${run}@gateway.test`, newIp())).status).toBe(202);

    const byEmail = await withinOneMinute(() => {
      const email = `same-${run}-${randomBytes(3).toString("hex")}@gateway.test`;
      return floodUntil429(() => signUp(email, newIp()), 20);
    });
    expect(byEmail.tries).toBe(11); // VECSTRUCT_AUTH_LIMIT_PER_EMAIL default 10
    expectRetryAfter(byEmail.res);
  });

  it("sign-in: guessing one account's password from many clients gets 429; the right password works after the window", { timeout: 240_000 }, async () => {
    const email = `guess-${run}@gateway.test`;
    expect((await signUp(email, newIp())).status).toBe(202);
    const flood = await floodUntil429(() => signInRaw(email, `wrong-${randomBytes(4).toString("hex")}`, newIp()), 20);
    expect(flood.tries).toBe(11);
    const body = await flood.res.json();
    expect(body.error.code).toBe("rate_limit_exceeded");
    expect(new URL(body.url).searchParams.get("error")).toBe("RateLimited");
    let retry = expectRetryAfter(flood.res);
    // Meanwhile even the right password is refused (the limit is the account's, not the client's)…
    expect((await signInRaw(email, PASSWORD, newIp())).status).toBe(429);
    // …and works again once the window has passed. The throttle lives in Redis (or memory), not in the
    // database, so the minute's wait runs in the SQLite project only.
    if (!inject("dbUrl").startsWith("file:")) return;
    let cookie: string | null = null;
    for (let i = 0; i < 3 && !cookie; i++) {
      await new Promise((r) => setTimeout(r, retry * 1000));
      const res = await signInRaw(email, PASSWORD, newIp());
      if (res.status === 429) retry = expectRetryAfter(res);
      else cookie = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token=")) ?? null;
    }
    expect(cookie).not.toBeNull();
  });

  it("sign-in: a flood from one client over many emails gets 429", async () => {
    const flood = await withinOneMinute(() => {
      const ip = newIp();
      return floodUntil429(() => signInRaw(`nobody-${randomBytes(4).toString("hex")}@gateway.test`, "whatever pw", ip), 30);
    });
    expect(flood.tries).toBe(21); // VECSTRUCT_AUTH_LIMIT_PER_IP default 20
    expectRetryAfter(flood.res);
  });

  it("a client cannot pick its own address past the trusted proxy hop", async () => {
    // With one trusted hop the client is the last X-Forwarded-For entry; entries before it are
    // the client's own words and change nothing.
    const ip = newIp();
    const flood = await floodUntil429(() => signUp(`spoof-${randomBytes(4).toString("hex")}@gateway.test`, `${newIp()}, ${ip}`), 20);
    expect(flood.tries).toBe(6);
  });
});
