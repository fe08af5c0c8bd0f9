import { z } from "zod";
import { grantOperator, listOperators, revokeOperator } from "../../auth/operators";
import { ApiError } from "../../errors";
import { json, withManagement, type Scope } from "../management";

/** Grants are made with VECSTRUCT_ADMIN_KEY only (or `npm run admin` on the server): an operator
 *  session cannot mint further operators, so a stolen console session does not spread. */
function requireAdminKey(scope: Scope): void {
  if (scope.caller.kind !== "operator" || scope.caller.userId !== null) {
    throw new ApiError("permission_denied", "Operator grants are made with Authorization: Bearer $VECSTRUCT_ADMIN_KEY (or `npm run admin -- grant` on the server).");
  }
}

const target = z.strictObject({ email: z.email().max(320).optional(), user_id: z.string().min(1).max(100).optional() });

export const listOperatorsHandler = withManagement({ role: "operator" }, async ({ scope }) => {
  requireAdminKey(scope);
  return json(await listOperators());
});

export const grantOperatorHandler = withManagement({ role: "operator", body: target }, async ({ scope, body }) => {
  requireAdminKey(scope);
  return json(await grantOperator(body), 201);
});

/** DELETE /api/operators/{user id or email}. */
export const revokeOperatorHandler = withManagement({ role: "operator" }, async ({ scope, params }) => {
  requireAdminKey(scope);
  const id = params.id ?? "";
  return json(await revokeOperator(id.includes("@") ? { email: id } : { user_id: id }));
});
