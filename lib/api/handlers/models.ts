import { createModel, getModel, listModels, modelCreateSchema, modelUpdateSchema, updateModel } from "../../catalog/admin";
import { json, withManagement } from "../management";

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listModelsHandler = withManagement({ role: "member" }, async ({ scope }) => json(await listModels(scope)));
// Instance-wide entries need the operator too (catalog/admin.ts).
export const createModelHandler = withManagement({ role: "admin", body: modelCreateSchema }, async ({ scope, body }) => json(await createModel(scope, body), 201));
export const getModelHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await getModel(scope, idOf(params))));
export const updateModelHandler = withManagement({ role: "admin", body: modelUpdateSchema }, async ({ scope, params, body }) =>
  json(await updateModel(scope, idOf(params), body)),
);
