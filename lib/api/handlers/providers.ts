import { createCredential, credentialCreateSchema, credentialUpdateSchema, getCredential, listCredentials, updateCredential } from "../../catalog/credentials-admin";
import { json, withManagement } from "../management";

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listProvidersHandler = withManagement({}, async ({ scope }) => json(await listCredentials(scope)));
export const createProviderHandler = withManagement({ body: credentialCreateSchema }, async ({ scope, body }) => json(await createCredential(scope, body), 201));
export const getProviderHandler = withManagement({}, async ({ scope, params }) => json(await getCredential(scope, idOf(params))));
export const updateProviderHandler = withManagement({ body: credentialUpdateSchema }, async ({ scope, params, body }) =>
  json(await updateCredential(scope, idOf(params), body)),
);
