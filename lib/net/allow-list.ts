// The operator's VECSTRUCT_ALLOWED_UPSTREAM_HOSTS, parsed once per value (env.ts has already
// refused a malformed one at start). Upstream credentials use it; so will webhooks.
import { env } from "../env";
import { parseAllowList, type AllowList } from "./address-policy";

let cached: { spec: string; list: AllowList } | undefined;

export function operatorAllowList(): AllowList {
  const spec = env().VECSTRUCT_ALLOWED_UPSTREAM_HOSTS;
  if (cached?.spec !== spec) cached = { spec, list: parseAllowList(spec) };
  return cached.list;
}
