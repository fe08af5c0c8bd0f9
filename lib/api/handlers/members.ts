import {
  acceptInvitation,
  createInvitation,
  invitationCreateSchema,
  invitationTokenSchema,
  listInvitations,
  listMembers,
  memberUpdateSchema,
  previewInvitation,
  removeMember,
  revokeInvitation,
  updateMember,
} from "../../tenancy/members";
import { json, withManagement } from "../management";
import { invitationOrg, memberOrg } from "./row-orgs";

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listMembersHandler = withManagement({ role: "member" }, async ({ scope }) => json(await listMembers(scope)));
export const updateMemberHandler = withManagement({ role: "admin", body: memberUpdateSchema, orgOf: ({ scope, params }) => memberOrg(scope, idOf(params)) }, async ({ scope, params, body }) => json(await updateMember(scope, idOf(params), body)));
// Anyone may leave; removing someone else needs admin (owner for an owner): tenancy/members.ts.
export const removeMemberHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await removeMember(scope, idOf(params))));

export const listInvitationsHandler = withManagement({ role: "admin" }, async ({ scope }) => json(await listInvitations(scope)));
export const createInvitationHandler = withManagement({ role: "admin", body: invitationCreateSchema }, async ({ scope, body }) => json(await createInvitation(scope, body), 201));
export const revokeInvitationHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => invitationOrg(scope, idOf(params)) }, async ({ scope, params }) => json(await revokeInvitation(scope, idOf(params))));
// Any signed-in account: the token, not a membership, is what admits.
export const previewInvitationHandler = withManagement({ role: "member", body: invitationTokenSchema }, async ({ body }) => json(await previewInvitation(body.token)));
export const acceptInvitationHandler = withManagement({ role: "member", body: invitationTokenSchema }, async ({ scope, body }) => json(await acceptInvitation(scope, body.token)));
