import {
  createMemory,
  deleteMemory,
  editMemory,
  forgetQuery,
  forgetUser,
  getMemory,
  listMemories,
  memoryCreateSchema,
  memoryListQuery,
  memoryUpdateSchema,
} from "../../memory/api";
import { json, withManagement } from "../management";
import { memoryOrg, projectOrg } from "./row-orgs";

// Members read memories; adding, editing and forgetting them is an admin's, as with keys and projects.
export const listMemoriesHandler = withManagement({ role: "member", query: memoryListQuery }, async ({ scope, params, query }) => json(await listMemories(scope, params.id ?? "", query)));
export const createMemoryHandler = withManagement({ role: "admin", body: memoryCreateSchema, orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params, body }) => json(await createMemory(scope, params.id ?? "", body), 201));
export const forgetUserHandler = withManagement({ role: "admin", query: forgetQuery, orgOf: ({ scope, params }) => projectOrg(scope, params.id ?? "") }, async ({ scope, params, query }) => json(await forgetUser(scope, params.id ?? "", query.user_id)));
export const getMemoryHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await getMemory(scope, params.id ?? "")));
export const updateMemoryHandler = withManagement({ role: "admin", body: memoryUpdateSchema, orgOf: ({ scope, params }) => memoryOrg(scope, params.id ?? "") }, async ({ scope, params, body }) => json(await editMemory(scope, params.id ?? "", body)));
export const deleteMemoryHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => memoryOrg(scope, params.id ?? "") }, async ({ scope, params }) => json(await deleteMemory(scope, params.id ?? "")));
