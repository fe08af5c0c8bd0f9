// The tenant scope every data access takes, and the role checks on it. Domain layer (DESIGN.md §4):
// the management wrapper (lib/api/management.ts) builds a Scope; tenancy, catalog, billing, audit,
// RAG and memory take one without importing the HTTP layer.
import { ApiError } from "../errors";

export type Role = "owner" | "admin" | "member";
const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

/** The operator: the admin key, or a console user with operator status (lib/auth/operators.ts). */
export type Caller = { kind: "operator"; userId: string | null } | { kind: "user"; userId: string };

/** The tenant scope every data access takes. */
export interface Scope {
  caller: Caller;
  /** The organization that lists and creations act on (`org_id`, else the default). */
  orgId: string;
  role: Role;
  /** Organizations whose rows the caller may address by id; null = every one (operator). */
  orgIds: string[] | null;
  /** The caller's role in each of those organizations; null = owner everywhere (operator). */
  roles?: Record<string, Role> | null;
}

/** Prisma `where` fragment restricting rows to the caller's organizations. */
export function inScope(scope: Scope): { orgId?: { in: string[] } } {
  return scope.orgIds ? { orgId: { in: scope.orgIds } } : {};
}

/** `orgId`: the organization of the row being changed (a row addressed by id may be in another
 *  organization of the caller than the current one); default the scope's organization. */
export function requireRole(scope: Scope, min: Role, orgId: string = scope.orgId): void {
  const role = orgId === scope.orgId || !scope.roles ? scope.role : scope.roles[orgId];
  if (!role || RANK[role] < RANK[min]) {
    throw new ApiError("permission_denied", `This action needs the ${min} role in the organization.`);
  }
}

export function requireOperator(scope: Scope): void {
  if (scope.caller.kind !== "operator") throw new ApiError("permission_denied", "Only the operator can do this.");
}
