export { listMembersHandler as GET } from "@/lib/api/handlers/members";
