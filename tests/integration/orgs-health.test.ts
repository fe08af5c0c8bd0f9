import { beforeEach, describe, expect, it } from "vitest";
import * as notFound from "@/app/api/[...path]/route";
import * as health from "@/app/api/health/route";
import * as orgs from "@/app/api/orgs/route";
import * as projects from "@/app/api/projects/route";
import * as signUp from "@/app/api/sign-up/route";
import { authenticateUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { resetRateLimits } from "@/lib/ratelimit";
import { adminHeaders, call, signedInUser } from "../helpers/http";

describe("organizations, sign-up and health", () => {
  // Sign-up is throttled per client; these calls all come from one (unknown) address.
  beforeEach(() => resetRateLimits());

  it("reports health", async () => {
    const res = await call(health.GET);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "ok" });
  });

  it("signs up a user with their own organization, the signup grant and a working password", async () => {
    const res = await call(signUp.POST, { method: "POST", body: { email: "New@Example.com", password: "long enough pw", name: "New" } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ object: "sign_up", email: "new@example.com", status: "accepted", email_verification: "unavailable" });
    const created = await db().user.findUniqueOrThrow({ where: { email: "new@example.com" } });
    expect(created.emailVerified).toBeNull();
    const membership = await db().membership.findFirstOrThrow({ where: { userId: created.id }, include: { org: true } });
    expect(membership.role).toBe("owner");
    expect(membership.org.usdMicros).toBe(5_000_000n);
    expect(membership.org.creditsMicros).toBe(100_000_000n);
    const ledger = await db().ledgerEntry.findMany({ where: { orgId: membership.orgId } });
    expect(ledger.map((l) => [l.currency, l.kind, l.amountMicros]).sort()).toEqual([
      ["credits", "grant", 100_000_000n],
      ["usd", "grant", 5_000_000n],
    ]);
    const user = await db().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(user.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await authenticateUser("new@example.com", "long enough pw")).not.toBeNull();
    expect(await authenticateUser("new@example.com", "wrong password")).toBeNull();

    // An address that has an account: the same answer, and nothing changes.
    const dup = await call(signUp.POST, { method: "POST", body: { email: "new@example.com", password: "another pw!" } });
    expect(dup.status).toBe(202);
    expect(dup.body).toEqual(res.body);
    expect(await authenticateUser("new@example.com", "another pw!")).toBeNull();
    expect(await db().membership.count({ where: { userId: created.id } })).toBe(1);
  });

  it.each([
    [{ email: "not-an-email", password: "long enough pw" }, "email"],
    [{ email: "a@b.co", password: "short" }, "password"],
    [{ password: "long enough pw" }, "email"],
  ])("rejects sign-up %j", async (body, param) => {
    const res = await call(signUp.POST, { method: "POST", body });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
  });

  it("lists the caller's organizations; the operator sees and creates them all", async () => {
    const u = await signedInUser("orgs");
    const mine = await call(orgs.GET, { headers: u.headers });
    expect(mine.body.data).toEqual([expect.objectContaining({ id: u.org.id, role: "owner", usd: 5, credits: 100 })]);

    const forbidden = await call(orgs.POST, { method: "POST", headers: u.headers, body: { name: "Mine" } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ type: "permission_error", code: "permission_denied" });

    const created = await call(orgs.POST, { method: "POST", headers: adminHeaders, body: { name: "Acme" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Acme", usd: 5, credits: 100 });
    const all = (await call(orgs.GET, { headers: adminHeaders })).body.data.map((o: { id: string }) => o.id);
    expect(all).toEqual(expect.arrayContaining([u.org.id, created.body.id, "org_default"]));
  });

  it("starts every new organization with a default project: sign-up, operator-created and the operator's own", async () => {
    const u = await signedInUser("first-run");
    const created = await call(orgs.POST, { method: "POST", headers: adminHeaders, body: { name: "Fresh" } });
    for (const [headers, path] of [
      [u.headers, "/api/projects"],
      [adminHeaders, `/api/projects?org_id=${created.body.id}`],
    ] as const) {
      const listed = await call(projects.GET, { headers, path });
      expect(listed.body.data).toEqual([expect.objectContaining({ object: "project", name: "Default", description: null, keep_metadata_only: false })]);
    }
    // The operator's default organization got one when it was created (first use of the admin key).
    expect(await db().project.count({ where: { orgId: "org_default", name: "Default" } })).toBe(1);
    // Nothing else comes with it: no key (a secret is made only when someone asks for one).
    expect(await db().apiKey.count({ where: { orgId: u.org.id } })).toBe(0);
  });

  it("answers unknown management routes with a JSON 404", async () => {
    const res = await call(notFound.GET, { path: "/api/nothing-here" });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found", type: "invalid_request_error" });
  });
});
