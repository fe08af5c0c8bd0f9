export { getAuditLogHandler as GET } from "@/lib/api/handlers/audit";
