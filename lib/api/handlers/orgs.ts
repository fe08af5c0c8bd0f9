import { z } from "zod";
import { db } from "../../db";
import { createOrganization, serializeOrganization } from "../../tenancy/organizations";
import { json, withManagement } from "../management";
import { pageArgs, pageQuery, toPage } from "../pagination";

const orgCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const listOrgsHandler = withManagement({ role: "member", query: z.strictObject({ ...pageQuery }) }, async ({ scope, query }) => {
  const args = pageArgs(query);
  if (scope.caller.kind === "operator") {
    const rows = await db().organization.findMany(args);
    return json(toPage(rows, query.limit, (o) => serializeOrganization(o, "owner")));
  }
  const userId = scope.caller.userId;
  const rows = await db().organization.findMany({
    ...args,
    where: { ...args.where, memberships: { some: { userId } } },
    include: { memberships: { where: { userId }, select: { role: true } } },
  });
  return json(toPage(rows, query.limit, (o) => serializeOrganization(o, o.memberships[0]?.role ?? null)));
});

export const createOrgHandler = withManagement({ role: "operator", body: orgCreateSchema }, async ({ body }) => {
  const org = await db().$transaction((tx) => createOrganization(tx, { name: body.name }));
  return json(serializeOrganization(org, "owner"), 201);
});
