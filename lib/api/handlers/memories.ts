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

export const listMemoriesHandler = withManagement({ query: memoryListQuery }, async ({ scope, params, query }) => json(await listMemories(scope, params.id ?? "", query)));
export const createMemoryHandler = withManagement({ body: memoryCreateSchema }, async ({ scope, params, body }) => json(await createMemory(scope, params.id ?? "", body), 201));
export const forgetUserHandler = withManagement({ query: forgetQuery }, async ({ scope, params, query }) => json(await forgetUser(scope, params.id ?? "", query.user_id)));
export const getMemoryHandler = withManagement({}, async ({ scope, params }) => json(await getMemory(scope, params.id ?? "")));
export const updateMemoryHandler = withManagement({ body: memoryUpdateSchema }, async ({ scope, params, body }) => json(await editMemory(scope, params.id ?? "", body)));
export const deleteMemoryHandler = withManagement({}, async ({ scope, params }) => json(await deleteMemory(scope, params.id ?? "")));
