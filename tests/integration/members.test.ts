import { describe, expect, it } from "vitest";
import * as accept from "@/app/api/invitations/accept/route";
import * as invitationItem from "@/app/api/invitations/[id]/route";
import * as invitations from "@/app/api/invitations/route";
import * as preview from "@/app/api/invitations/preview/route";
import * as keys from "@/app/api/keys/route";
import * as memberItem from "@/app/api/members/[id]/route";
import * as members from "@/app/api/members/route";
import * as projects from "@/app/api/projects/route";
import * as providers from "@/app/api/providers/route";
import { db } from "@/lib/db";
import { call, signedInUser } from "../helpers/http";

describe("members, roles and invitations", () => {
  it("invites by link, and a member may read but not manage", async () => {
    const owner = await signedInUser("owner");
    const orgId = owner.org.id;
    const project = await call(projects.POST, { method: "POST", headers: owner.headers, body: { name: "P" } });

    const inv = await call(invitations.POST, { method: "POST", headers: owner.headers, body: { role: "member" } });
    expect(inv.status).toBe(201);
    expect(inv.body).toMatchObject({ role: "member", status: "pending", path: `/invite/${inv.body.token}` });
    const listed = await call(invitations.GET, { headers: owner.headers });
    expect(JSON.stringify(listed.body)).not.toContain(inv.body.token); // the link is shown once

    const joiner = await signedInUser("joiner");
    const seen = await call(preview.POST, { method: "POST", headers: joiner.headers, body: { token: inv.body.token } });
    expect(seen.body).toMatchObject({ role: "member" });
    const joined = await call(accept.POST, { method: "POST", headers: joiner.headers, body: { token: inv.body.token } });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ org_id: orgId, role: "member" });
    const again = await call(accept.POST, { method: "POST", headers: joiner.headers, body: { token: inv.body.token } });
    expect(again.status).toBe(404); // single use

    // The member reads the organization but cannot manage it.
    const as = (extra: object = {}) => ({ headers: joiner.headers, ...extra });
    expect((await call(projects.GET, as({ path: `/api/projects?org_id=${orgId}` }))).body.data).toHaveLength(2); // "P" and the default project
    const q = `?org_id=${orgId}`;
    expect((await call(projects.POST, as({ method: "POST", path: `/api/projects${q}`, body: { name: "X", org_id: orgId } }))).status).toBe(403);
    expect((await call(keys.POST, as({ method: "POST", body: { name: "k", project_id: project.body.id, org_id: orgId } }))).status).toBe(403);
    expect((await call(providers.POST, as({ method: "POST", body: { provider: "x", protocol: "openai", base_url: "http://x.test/v1", org_id: orgId } }))).status).toBe(403);
    expect((await call(invitations.POST, as({ method: "POST", body: { org_id: orgId } }))).status).toBe(403);
    const list = await call(members.GET, as({ path: `/api/members${q}` }));
    expect(list.body.data.map((m: { role: string }) => m.role).sort()).toEqual(["member", "owner"]);
    const ownerRow = list.body.data.find((m: { role: string }) => m.role === "owner");
    expect((await call(memberItem.DELETE, as({ method: "DELETE", params: { id: ownerRow.id } }))).status).toBe(403);

    // Promote, then the last owner can be neither demoted nor removed.
    const mine = list.body.data.find((m: { role: string }) => m.role === "member");
    const promoted = await call(memberItem.PATCH, { method: "PATCH", headers: owner.headers, params: { id: mine.id }, body: { role: "admin" } });
    expect(promoted.body.role).toBe("admin");
    expect((await call(keys.POST, as({ method: "POST", body: { name: "k", project_id: project.body.id, org_id: orgId } }))).status).toBe(201);
    expect((await call(memberItem.PATCH, as({ method: "PATCH", params: { id: ownerRow.id }, body: { role: "member" } }))).status).toBe(403); // admins don't touch owners
    expect((await call(memberItem.PATCH, { method: "PATCH", headers: owner.headers, params: { id: ownerRow.id }, body: { role: "admin" } })).status).toBe(400);
    expect((await call(memberItem.DELETE, { method: "DELETE", headers: owner.headers, params: { id: ownerRow.id } })).status).toBe(400);
    // The member leaves on their own.
    expect((await call(memberItem.DELETE, as({ method: "DELETE", params: { id: mine.id } }))).status).toBe(200);
  });

  it("expired, revoked and other-address invitations do not admit", async () => {
    const owner = await signedInUser("owner2");
    const expiring = await call(invitations.POST, { method: "POST", headers: owner.headers, body: {} });
    await db().invitation.update({ where: { id: expiring.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const u = await signedInUser("late");
    expect((await call(accept.POST, { method: "POST", headers: u.headers, body: { token: expiring.body.token } })).status).toBe(404);

    const revoked = await call(invitations.POST, { method: "POST", headers: owner.headers, body: {} });
    expect((await call(invitationItem.DELETE, { method: "DELETE", headers: owner.headers, params: { id: revoked.body.id } })).status).toBe(200);
    expect((await call(accept.POST, { method: "POST", headers: u.headers, body: { token: revoked.body.token } })).status).toBe(404);

    const addressed = await call(invitations.POST, { method: "POST", headers: owner.headers, body: { email: "someone-else@example.com" } });
    expect((await call(accept.POST, { method: "POST", headers: u.headers, body: { token: addressed.body.token } })).status).toBe(403);

    // Another organization's admin cannot revoke this one's invitations.
    const stranger = await signedInUser("stranger");
    expect((await call(invitationItem.DELETE, { method: "DELETE", headers: stranger.headers, params: { id: addressed.body.id } })).status).toBe(404);
  });
});
