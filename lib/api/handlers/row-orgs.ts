// The organization of a row a management route addresses, for the route's declared role
// (`orgOf` in withManagement): looked up within the caller's scope, so another tenant's id (or an
// unknown one) is the route's usual 404 and no role question is asked about it.
import { db } from "../../db";
import { notFound } from "../../errors";
import { inScope, type Scope } from "../management";

type Row = { orgId: string } | null;

function found(row: Row, what: string, param: string | null = null): string {
  if (!row) throw notFound(what, param);
  return row.orgId;
}

const select = { orgId: true } as const;

export const projectOrg = async (scope: Scope, id: string, param: string | null = null) =>
  found(await db().project.findFirst({ where: { id, deletedAt: null, ...inScope(scope) }, select }), "Project", param);
export const keyOrg = async (scope: Scope, id: string) => found(await db().apiKey.findFirst({ where: { id, ...inScope(scope) }, select }), "API key");
export const documentOrg = async (scope: Scope, id: string) => found(await db().document.findFirst({ where: { id, ...inScope(scope) }, select }), "Document");
export const memoryOrg = async (scope: Scope, id: string) => found(await db().memory.findFirst({ where: { id, ...inScope(scope) }, select }), "Memory");
export const memberOrg = async (scope: Scope, id: string) => found(await db().membership.findFirst({ where: { id, ...inScope(scope) }, select }), "Member");
export const invitationOrg = async (scope: Scope, id: string) =>
  found(await db().invitation.findFirst({ where: { id, ...inScope(scope) }, select }), "Invitation");
