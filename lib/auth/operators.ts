// Who is the operator (DESIGN §3b). Never an email alone: the admin key; an explicit grant on the
// user row (made with the admin key, POST /api/operators, or `npm run admin -- grant` on the
// server); or VECSTRUCT_ADMIN_EMAILS for an account whose email is VERIFIED (by the identity
// provider, or by the emailed link). Read from the database on each check, so a revoke or a
// verification applies to running sessions at once.
import { db } from "../db";
import { env } from "../env";
import { ApiError, notFound } from "../errors";

type OperatorRow = { email: string; emailVerified: Date | null; operatorGrantedAt: Date | null };

export function operatorSource(user: OperatorRow): "grant" | "admin_emails" | null {
  if (user.operatorGrantedAt) return "grant";
  if (user.emailVerified && env().VECSTRUCT_ADMIN_EMAILS.includes(user.email.toLowerCase())) return "admin_emails";
  return null;
}

export async function isOperatorUser(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true, operatorGrantedAt: true } });
  return user !== null && operatorSource(user) !== null;
}

function serialize(u: OperatorRow & { id: string }) {
  return {
    object: "operator",
    user_id: u.id,
    email: u.email,
    source: operatorSource(u),
    email_verified: u.emailVerified !== null,
    granted_at: u.operatorGrantedAt?.toISOString() ?? null,
  };
}

const SELECT = { id: true, email: true, emailVerified: true, operatorGrantedAt: true } as const;

/** Granted operators, and verified accounts of VECSTRUCT_ADMIN_EMAILS. */
export async function listOperators() {
  const admins = env().VECSTRUCT_ADMIN_EMAILS;
  const rows = await db().user.findMany({
    where: { OR: [{ operatorGrantedAt: { not: null } }, ...(admins.length ? [{ email: { in: admins }, emailVerified: { not: null } }] : [])] },
    orderBy: { createdAt: "asc" },
    take: 200,
    select: SELECT,
  });
  return { data: rows.map(serialize), next_cursor: null };
}

/** The user must exist: a grant for an address nobody holds yet would go to whoever registers it. */
async function findUser(target: { email?: string; user_id?: string }) {
  const where = target.user_id ? { id: target.user_id } : { email: target.email!.toLowerCase() };
  const user = await db().user.findUnique({ where, select: SELECT });
  if (!user) throw notFound("User", target.user_id ? "user_id" : "email");
  return user;
}

export async function grantOperator(target: { email?: string; user_id?: string }) {
  if (!target.email === !target.user_id) throw new ApiError("invalid_value", "Give exactly one of 'email' or 'user_id'.", { param: "email" });
  const user = await findUser(target);
  if (user.operatorGrantedAt) return serialize(user);
  return serialize(await db().user.update({ where: { id: user.id }, data: { operatorGrantedAt: new Date() }, select: SELECT }));
}

/** Removes the grant (VECSTRUCT_ADMIN_EMAILS still applies to a verified listed address). */
export async function revokeOperator(target: { email?: string; user_id?: string }) {
  const user = await findUser(target);
  return serialize(await db().user.update({ where: { id: user.id }, data: { operatorGrantedAt: null }, select: SELECT }));
}
