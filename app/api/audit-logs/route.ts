export { listAuditLogsHandler as GET } from "@/lib/api/handlers/audit";
