import { getUsage, usageQuery } from "../../audit/usage";
import { getProject } from "../../tenancy/projects";
import { json, withManagement } from "../management";

export const usageHandler = withManagement({ role: "member", query: usageQuery }, async ({ scope, query }) => {
  if (query.project_id) await getProject(scope, query.project_id, "project_id");
  return json(await getUsage(scope, query));
});
