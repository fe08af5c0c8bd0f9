export { listInvitationsHandler as GET, createInvitationHandler as POST } from "@/lib/api/handlers/members";
