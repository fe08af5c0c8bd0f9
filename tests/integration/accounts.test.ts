// Account rules below the HTTP surface that the gateway suite cannot reach without a real identity
// provider: SSO linking only on an address verified on both sides; operator status from a verified
// address of VECSTRUCT_ADMIN_EMAILS or a grant, never from the address alone; old password hashes
// replaced at the next successful sign-in.
import { afterEach, describe, expect, it } from "vitest";
import * as me from "@/app/api/me/route";
import { isOperatorUser } from "@/lib/auth/operators";
import { hashPasswordWithParams } from "./accounts-helpers";
import { authenticateUser, linkOAuthUser, oauthSignInAllowed, OAuthLinkRefused, registerUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { env, resetEnvForTests } from "@/lib/env";
import { call, signedInUser } from "../helpers/http";

const oauth = (email: string, emailVerified: boolean, id = `${Math.random()}`) => ({
  provider: "oidc",
  providerAccountId: id,
  type: "oidc",
  email,
  emailVerified,
  name: null,
  image: null,
});

afterEach(() => {
  delete process.env.VECSTRUCT_ADMIN_EMAILS;
  resetEnvForTests();
});

describe("SSO identities and existing accounts", () => {
  it("never attaches an identity to an account whose address was not verified (pre-registered by password)", async () => {
    await registerUser({ email: "victim@corp.test", password: "attacker knows this" });
    for (const verified of [true, false]) {
      expect(await oauthSignInAllowed(oauth("victim@corp.test", verified))).toBe(false);
      await expect(linkOAuthUser(oauth("Victim@corp.test", verified))).rejects.toBeInstanceOf(OAuthLinkRefused);
    }
    expect(await db().account.count()).toBe(0);
  });

  it("never attaches an identity whose provider did not verify the address, even to a verified account", async () => {
    const { user } = await registerUser({ email: "owner@corp.test", password: "long enough pw" });
    await db().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    await expect(linkOAuthUser(oauth("owner@corp.test", false))).rejects.toBeInstanceOf(OAuthLinkRefused);
    // Both verified: the legitimate link.
    const linked = await linkOAuthUser(oauth("owner@corp.test", true, "sub-1"));
    expect(linked.id).toBe(user.id);
    expect((await linkOAuthUser(oauth("owner@corp.test", true, "sub-1"))).id).toBe(user.id);
  });

  it("a new SSO user keeps the provider's verdict: unverified grants no operator status", async () => {
    process.env.VECSTRUCT_ADMIN_EMAILS = "sso-ops@corp.test,sso-ops2@corp.test";
    resetEnvForTests();
    expect(env().VECSTRUCT_ADMIN_EMAILS).toContain("sso-ops@corp.test");
    const unverified = await linkOAuthUser(oauth("sso-ops@corp.test", false));
    expect(unverified.emailVerified).toBeNull();
    expect(await isOperatorUser(unverified.id)).toBe(false);
    const verified = await linkOAuthUser(oauth("sso-ops2@corp.test", true));
    expect(await isOperatorUser(verified.id)).toBe(true);
  });
});

describe("operator status of console users", () => {
  it("VECSTRUCT_ADMIN_EMAILS applies only once the address is verified; a grant applies alone", async () => {
    const u = await signedInUser("ops");
    process.env.VECSTRUCT_ADMIN_EMAILS = u.email;
    resetEnvForTests();
    const before = await call(me.GET, { headers: u.headers });
    expect(before.body).toMatchObject({ operator: false, user: { email_verified: false } });
    await db().user.update({ where: { id: u.user.id }, data: { emailVerified: new Date() } });
    expect((await call(me.GET, { headers: u.headers })).body.operator).toBe(true);

    const g = await signedInUser("granted");
    expect((await call(me.GET, { headers: g.headers })).body.operator).toBe(false);
    await db().user.update({ where: { id: g.user.id }, data: { operatorGrantedAt: new Date() } });
    expect((await call(me.GET, { headers: g.headers })).body.operator).toBe(true);
  });
});

describe("password hashes", () => {
  it("new hashes use N=2^17, r=8, p=1; an older hash is replaced at the next successful sign-in only", async () => {
    const { user } = await registerUser({ email: "old-hash@corp.test", password: "long enough pw" });
    expect(user.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const old = await hashPasswordWithParams("long enough pw", 2 ** 15);
    await db().user.update({ where: { id: user.id }, data: { passwordHash: old } });

    expect(await authenticateUser("old-hash@corp.test", "wrong password")).toBeNull();
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(old);

    expect(await authenticateUser("old-hash@corp.test", "long enough pw")).not.toBeNull();
    const rehashed = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(rehashed).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await authenticateUser("old-hash@corp.test", "long enough pw")).not.toBeNull();
  });

  it("a stored hash with an absurd cost is refused, not run", async () => {
    const { user } = await registerUser({ email: "huge-cost@corp.test", password: "long enough pw" });
    const parts = user.passwordHash!.split("$");
    parts[1] = String(2 ** 30);
    await db().user.update({ where: { id: user.id }, data: { passwordHash: parts.join("$") } });
    expect(await authenticateUser("huge-cost@corp.test", "long enough pw")).toBeNull();
  });
});
