import { db } from "../../db";
import { json, withManagement } from "../management";

/** Who the console is signed in as, and whether they act as the operator. */
export const meHandler = withManagement({ role: "member" }, async ({ scope }) => {
  const row = scope.caller.userId
    ? await db().user.findUnique({ where: { id: scope.caller.userId }, select: { id: true, email: true, name: true, emailVerified: true } })
    : null;
  const user = row ? { id: row.id, email: row.email, name: row.name, email_verified: row.emailVerified !== null } : null;
  return json({ object: "me", user, operator: scope.caller.kind === "operator", org_id: scope.orgId, role: scope.role });
});
