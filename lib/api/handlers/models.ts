import { createModel, getModel, listModels, modelCreateSchema, modelUpdateSchema, updateModel } from "../../catalog/admin";
import { json, withManagement } from "../management";

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listModelsHandler = withManagement({}, async ({ scope }) => json(await listModels(scope)));
export const createModelHandler = withManagement({ body: modelCreateSchema }, async ({ scope, body }) => json(await createModel(scope, body), 201));
export const getModelHandler = withManagement({}, async ({ scope, params }) => json(await getModel(scope, idOf(params))));
export const updateModelHandler = withManagement({ body: modelUpdateSchema }, async ({ scope, params, body }) =>
  json(await updateModel(scope, idOf(params), body)),
);
