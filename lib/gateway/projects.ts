// vecstruct.project_id → the project, checked against the key's organization. The project's settings
// and their cache are owned by lib/tenancy/project-settings.ts; this file decides which project a
// /v1 request may name.
import { ApiError } from "../errors";
import { loadProject, type ProjectContext } from "../tenancy/project-settings";
import type { KeyContext } from "./auth";

export { keepsMetadataOnly, type ProjectContext } from "../tenancy/project-settings";

/** A key serves its own project, and others only when it lists them (DESIGN.md §1). */
function mayName(key: KeyContext, id: string): boolean {
  return id === key.projectId || (key.projects !== null && (key.projects.includes("*") || key.projects.includes(id)));
}

/** `param`: where the request named the project (`vecstruct.project_id` in bodies, `project_id` in a query). */
export async function resolveProject(key: KeyContext, requested: string | undefined, param = "vecstruct.project_id"): Promise<ProjectContext> {
  const id = requested ?? key.projectId;
  // Decided before any lookup: the same answer whether the project exists, here or elsewhere.
  if (!mayName(key, id)) {
    throw new ApiError("permission_denied", `This API key serves its own project only: list other projects in the key's 'projects' to name them in ${param}.`, { param });
  }
  const project = await loadProject(id);
  // One answer whether it exists elsewhere or not: nothing about other tenants leaks.
  if (!project || project.orgId !== key.orgId) {
    if (!requested) throw new ApiError("invalid_api_key", "This API key's project no longer exists.");
    throw new ApiError("permission_denied", "The project does not belong to this API key's organization.", { param });
  }
  return project;
}
