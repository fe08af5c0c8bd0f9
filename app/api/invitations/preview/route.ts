export { previewInvitationHandler as POST } from "@/lib/api/handlers/members";
