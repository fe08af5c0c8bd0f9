import { createKey, getKey, keyCreateSchema, keyListQuery, listKeys, revokeKey, serializeKey } from "../../tenancy/keys";
import { json, withManagement } from "../management";

export const listKeysHandler = withManagement({ query: keyListQuery }, async ({ scope, query }) =>
  json(await listKeys(scope, query)),
);

export const createKeyHandler = withManagement({ body: keyCreateSchema }, async ({ scope, body }) =>
  json(await createKey(scope, body), 201),
);

export const getKeyHandler = withManagement({}, async ({ scope, params }) =>
  json(serializeKey(await getKey(scope, params.id ?? ""))),
);

export const revokeKeyHandler = withManagement({}, async ({ scope, params }) =>
  json(await revokeKey(scope, params.id ?? "")),
);
