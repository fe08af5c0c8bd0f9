// Organization members and invitations by link. Roles: owner > admin > member. Admins manage
// members and invitations; only owners grant, change or remove the owner role; an organization
// always keeps at least one owner. Invitation links carry a random token stored only as a hash.
import { z } from "zod";
import { requireRole, type Role, type Scope } from "./scope";
import { randomBase62, sha256Hex } from "../crypto";
import { db } from "../db";
import { ApiError, notFound } from "../errors";

const role = z.enum(["owner", "admin", "member"]);
export const memberUpdateSchema = z.strictObject({ role });
export const invitationCreateSchema = z.strictObject({
  role: z.enum(["admin", "member"]).default("member"),
  email: z.email().max(320).optional(),
  expires_in_days: z.number().int().min(1).max(30).default(7),
});
export const invitationTokenSchema = z.strictObject({ token: z.string().min(10).max(200) });

type MembershipRow = { id: string; orgId: string; userId: string; role: string; createdAt: Date; user: { email: string; name: string | null } };

function serializeMember(m: MembershipRow, callerId: string | null) {
  return { id: m.id, object: "member", user_id: m.userId, email: m.user.email, name: m.user.name, role: m.role as Role, you: m.userId === callerId, created_at: m.createdAt.toISOString() };
}

export async function listMembers(scope: Scope) {
  const rows = await db().membership.findMany({ where: { orgId: scope.orgId }, orderBy: { createdAt: "asc" }, include: { user: { select: { email: true, name: true } } } });
  return { data: rows.map((m) => serializeMember(m, scope.caller.userId)), next_cursor: null };
}

async function findMember(scope: Scope, id: string): Promise<MembershipRow> {
  const row = await db().membership.findFirst({
    where: { id, ...(scope.orgIds ? { orgId: { in: scope.orgIds } } : {}) },
    include: { user: { select: { email: true, name: true } } },
  });
  if (!row) throw notFound("Member");
  return row;
}

async function assertOtherOwner(orgId: string, exceptId: string) {
  const owners = await db().membership.count({ where: { orgId, role: "owner", id: { not: exceptId } } });
  if (owners === 0) throw new ApiError("invalid_value", "An organization needs at least one owner. Make someone else owner first.", { param: "role" });
}

export async function updateMember(scope: Scope, id: string, input: z.infer<typeof memberUpdateSchema>) {
  const m = await findMember(scope, id);
  requireRole(scope, "admin", m.orgId);
  if (input.role === m.role) return serializeMember(m, scope.caller.userId);
  if (m.role === "owner" || input.role === "owner") requireRole(scope, "owner", m.orgId);
  if (m.role === "owner") await assertOtherOwner(m.orgId, m.id);
  const updated = await db().membership.update({ where: { id: m.id }, data: { role: input.role }, include: { user: { select: { email: true, name: true } } } });
  return serializeMember(updated, scope.caller.userId);
}

/** Admins remove members; anyone may leave; owners are removed only by owners, never the last one. */
export async function removeMember(scope: Scope, id: string) {
  const m = await findMember(scope, id);
  if (m.userId !== scope.caller.userId) requireRole(scope, m.role === "owner" ? "owner" : "admin", m.orgId);
  if (m.role === "owner") await assertOtherOwner(m.orgId, m.id);
  await db().membership.delete({ where: { id: m.id } });
  return { id: m.id, object: "member.deleted", deleted: true };
}

type InvitationRow = { id: string; orgId: string; role: string; email: string | null; expiresAt: Date; acceptedAt: Date | null; createdAt: Date };

function serializeInvitation(i: InvitationRow) {
  const status = i.acceptedAt ? "accepted" : i.expiresAt.getTime() <= Date.now() ? "expired" : "pending";
  return { id: i.id, object: "invitation", role: i.role, email: i.email, status, expires_at: i.expiresAt.toISOString(), accepted_at: i.acceptedAt?.toISOString() ?? null, created_at: i.createdAt.toISOString() };
}

export async function listInvitations(scope: Scope) {
  requireRole(scope, "admin");
  const rows = await db().invitation.findMany({ where: { orgId: scope.orgId }, orderBy: { createdAt: "desc" }, take: 200 });
  return { data: rows.map(serializeInvitation), next_cursor: null };
}

/** The token is returned here only; the console shows the link once. */
export async function createInvitation(scope: Scope, input: z.infer<typeof invitationCreateSchema>) {
  requireRole(scope, "admin");
  const token = `inv_${randomBase62(32)}`;
  const row = await db().invitation.create({
    data: {
      orgId: scope.orgId,
      role: input.role,
      email: input.email?.toLowerCase() ?? null,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + input.expires_in_days * 86_400_000),
      createdById: scope.caller.userId,
    },
  });
  return { ...serializeInvitation(row), token, path: `/invite/${token}` };
}

export async function revokeInvitation(scope: Scope, id: string) {
  const row = await db().invitation.findFirst({ where: { id, ...(scope.orgIds ? { orgId: { in: scope.orgIds } } : {}) } });
  if (!row) throw notFound("Invitation");
  requireRole(scope, "admin", row.orgId);
  await db().invitation.delete({ where: { id: row.id } });
  return { id: row.id, object: "invitation.deleted", deleted: true };
}

/** A live invitation by its token; used, expired or unknown tokens all answer the same 404. */
async function liveInvitation(token: string) {
  const row = await db().invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: { select: { name: true } } } });
  if (!row || row.acceptedAt || row.expiresAt.getTime() <= Date.now()) throw notFound("Invitation (it may have expired, been used or revoked)");
  return row;
}

export async function previewInvitation(token: string) {
  const row = await liveInvitation(token);
  return { object: "invitation_preview", org_name: row.org.name, role: row.role, email: row.email, expires_at: row.expiresAt.toISOString() };
}

export async function acceptInvitation(scope: Scope, token: string) {
  const userId = scope.caller.userId;
  if (!userId) throw new ApiError("permission_denied", "Sign in to the console to accept an invitation.");
  const row = await liveInvitation(token);
  if (row.email) {
    const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
    if (user?.email.toLowerCase() !== row.email) throw new ApiError("permission_denied", `This invitation is for ${row.email}. Sign in with that address to accept it.`);
    // Anyone can register any address; only a verified one proves it is the invitee (DESIGN §3b).
    if (!user.emailVerified) {
      throw new ApiError("permission_denied", `This invitation is for ${row.email}: verify that address first (the link we emailed you, or sign in through your identity provider).`);
    }
  }
  await db().$transaction(async (tx) => {
    // Single use even under concurrent accepts: only one update matches acceptedAt null.
    const claimed = await tx.invitation.updateMany({ where: { id: row.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count !== 1) throw notFound("Invitation (it may have expired, been used or revoked)");
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: row.orgId, userId } } });
    // Already a member: keep the higher of the two roles.
    const rank = { member: 1, admin: 2, owner: 3 } as Record<string, number>;
    if (!existing) await tx.membership.create({ data: { orgId: row.orgId, userId, role: row.role } });
    else if (rank[row.role]! > rank[existing.role]!) await tx.membership.update({ where: { id: existing.id }, data: { role: row.role } });
  });
  return { object: "invitation_accepted", org_id: row.orgId, org_name: row.org.name, role: row.role };
}
