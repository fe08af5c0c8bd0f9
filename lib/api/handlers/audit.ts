import { auditCsv, auditListQuery, getAuditLog, listAuditLogs } from "../../audit/query";
import { getProject } from "../../tenancy/projects";
import { json, withManagement } from "../management";

export const listAuditLogsHandler = withManagement({ role: "member", query: auditListQuery }, async ({ scope, query }) => {
  if (query.project_id) await getProject(scope, query.project_id, "project_id");
  if (query.format === "csv") {
    return new Response(auditCsv(scope, query), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="vecstruct-audit-${new Date().toISOString().slice(0, 10)}.csv"` },
    });
  }
  return json(await listAuditLogs(scope, query));
});

export const getAuditLogHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await getAuditLog(scope, params.id ?? "")));
