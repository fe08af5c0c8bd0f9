import { createCredential, credentialCreateSchema, credentialUpdateSchema, getCredential, listCredentials, updateCredential } from "../../upstream/credentials-admin";
import { credentialTestSchema, testCredential } from "../../upstream/credential-test";
import { ApiError } from "../../errors";
import { json, withManagement } from "../management";

const idOf = (params: Record<string, string>) => params.id ?? "";

export const listProvidersHandler = withManagement({ role: "member" }, async ({ scope }) => json(await listCredentials(scope)));
// Instance credentials need the operator too (upstream/credentials-admin.ts).
export const createProviderHandler = withManagement({ role: "admin", body: credentialCreateSchema }, async ({ scope, body }) => json(await createCredential(scope, body), 201));
export const getProviderHandler = withManagement({ role: "member" }, async ({ scope, params }) => json(await getCredential(scope, idOf(params))));
export const updateProviderHandler = withManagement({ role: "admin", body: credentialUpdateSchema }, async ({ scope, params, body }) =>
  json(await updateCredential(scope, idOf(params), body)),
);

/** POST /api/providers/{id}/test — the catch-all route hands us "id/test". */
export const testProviderHandler = withManagement({ role: "admin", body: credentialTestSchema }, async ({ scope, params, body }) => {
  const path = idOf(params);
  if (!path.endsWith("/test")) throw new ApiError("method_not_allowed", "POST is only accepted on /api/providers/{id}/test.");
  return json(await testCredential(scope, path.slice(0, -"/test".length), body));
});
