import { createProjectWithModels, updateProjectWithModels } from "../../rag/project-models";
import {
  deleteProject,
  getGuardrails,
  getProject,
  putGuardrails,
  testGuardrails,
  listProjects,
  projectCreateSchema,
  projectListQuery,
  projectUpdateSchema,
  serializeProject,
} from "../../tenancy/projects";
import { z } from "zod";
import { cacheStats, clearProjectCache } from "../../cache/store";
import { guardrailsInput } from "../../guardrails/rules";
import { json, withManagement } from "../management";
import { projectOrg } from "./row-orgs";

export const listProjectsHandler = withManagement({ role: "member", query: projectListQuery }, async ({ scope, query }) =>
  json(await listProjects(scope, query)),
);

export const createProjectHandler = withManagement({ role: "admin", body: projectCreateSchema }, async ({ scope, body }) =>
  json(serializeProject(await createProjectWithModels(scope, body)), 201),
);

export const getProjectHandler = withManagement({ role: "member" }, async ({ scope, params }) =>
  json(serializeProject(await getProject(scope, params.id ?? ""))),
);

export const updateProjectHandler = withManagement({ role: "admin", body: projectUpdateSchema, orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params, body }) =>
  json(serializeProject(await updateProjectWithModels(scope, params.id ?? "", body))),
);

export const deleteProjectHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params }) =>
  json(await deleteProject(scope, params.id ?? "")),
);

/** DELETE /api/projects/{id}/cache: empties the project's response cache (docs/policies.md). */
export const clearProjectCacheHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params }) => {
  const project = await getProject(scope, params.id ?? "");
  return json({ object: "cache", project_id: project.id, deleted: await clearProjectCache(project.id) });
});

export const getGuardrailsHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await getGuardrails(scope, params.id ?? "")));

/** PUT /api/projects/{id}/guardrails (docs/policies.md): replaces the project's rules. */
export const putGuardrailsHandler = withManagement({ role: "admin", body: guardrailsInput, orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params, body }) =>
  json(await putGuardrails(scope, params.id ?? "", body)),
);

/** POST /api/projects/{id}/guardrails/test: the console's "test this text". */
export const testGuardrailsHandler = withManagement(
  { role: "member", body: z.strictObject({ text: z.string().max(100_000), rules: guardrailsInput.shape.rules.optional() }) },
  async ({ scope, params, body }) => json(await testGuardrails(scope, params.id ?? "", body)),
);

/** GET /api/projects/{id}/cache: the project's cache settings and its last 30 days' results. */
export const cacheStatsHandler = withManagement({ role: "member" }, async ({ scope, params }) => {
  const project = await getProject(scope, params.id ?? "");
  return json({ object: "cache", project_id: project.id, settings: serializeProject(project).cache, stats: await cacheStats(project.id) });
});
