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

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listMembersHandler = withManagement({}, async ({ scope }) => json(await listMembers(scope)));
export const updateMemberHandler = withManagement({ body: memberUpdateSchema }, async ({ scope, params, body }) => json(await updateMember(scope, idOf(params), body)));
export const removeMemberHandler = withManagement({}, async ({ scope, params }) => json(await removeMember(scope, idOf(params))));

export const listInvitationsHandler = withManagement({}, async ({ scope }) => json(await listInvitations(scope)));
export const createInvitationHandler = withManagement({ body: invitationCreateSchema }, async ({ scope, body }) => json(await createInvitation(scope, body), 201));
export const revokeInvitationHandler = withManagement({}, async ({ scope, params }) => json(await revokeInvitation(scope, idOf(params))));
export const previewInvitationHandler = withManagement({ body: invitationTokenSchema }, async ({ body }) => json(await previewInvitation(body.token)));
export const acceptInvitationHandler = withManagement({ body: invitationTokenSchema }, async ({ scope, body }) => json(await acceptInvitation(scope, body.token)));
