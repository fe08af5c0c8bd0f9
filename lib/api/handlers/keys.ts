import { createKey, getKey, keyCreateSchema, keyListQuery, listKeys, revokeKey, serializeKey } from "../../tenancy/keys";
import { json, withManagement } from "../management";
import { keyOrg, projectOrg } from "./row-orgs";

export const listKeysHandler = withManagement({ role: "member", query: keyListQuery }, async ({ scope, query }) =>
  json(await listKeys(scope, query)),
);

export const createKeyHandler = withManagement({ role: "admin", body: keyCreateSchema, orgOf: ({ scope, body }) => projectOrg(scope, body.project_id, "project_id") }, async ({ scope, body }) =>
  json(await createKey(scope, body), 201),
);

export const getKeyHandler = withManagement({ role: "member" }, async ({ scope, params }) =>
  json(serializeKey(await getKey(scope, params.id ?? ""))),
);

export const revokeKeyHandler = withManagement({ role: "admin", orgOf: ({ scope, params }) => keyOrg(scope, params.id ?? "") }, async ({ scope, params }) =>
  json(await revokeKey(scope, params.id ?? "")),
);
