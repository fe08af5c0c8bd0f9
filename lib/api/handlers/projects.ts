import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  projectCreateSchema,
  projectListQuery,
  projectUpdateSchema,
  serializeProject,
  updateProject,
} from "../../tenancy/projects";
import { json, withManagement } from "../management";

export const listProjectsHandler = withManagement({ query: projectListQuery }, async ({ scope, query }) =>
  json(await listProjects(scope, query)),
);

export const createProjectHandler = withManagement({ body: projectCreateSchema }, async ({ scope, body }) =>
  json(serializeProject(await createProject(scope, body)), 201),
);

export const getProjectHandler = withManagement({}, async ({ scope, params }) =>
  json(serializeProject(await getProject(scope, params.id ?? ""))),
);

export const updateProjectHandler = withManagement({ body: projectUpdateSchema }, async ({ scope, params, body }) =>
  json(serializeProject(await updateProject(scope, params.id ?? "", body))),
);

export const deleteProjectHandler = withManagement({}, async ({ scope, params }) =>
  json(await deleteProject(scope, params.id ?? "")),
);
