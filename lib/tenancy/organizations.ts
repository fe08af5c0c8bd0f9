import { db, type Tx } from "../db";
import { env } from "../env";
import { microsToUnits, toMicros } from "../money";

export const DEFAULT_ORG_ID = "org_default";

/** Every new organization starts with one project, so a new account has somewhere to create a key
 *  and send its first request (the console's "get started" path) instead of an empty page. */
export const DEFAULT_PROJECT_NAME = "Default";

/** Creates an organization with the signup grant (as ledger entries) and its default project, in
 *  the caller's transaction. */
export async function createOrganization(tx: Tx, input: { name: string; id?: string; isDefault?: boolean }) {
  const usd = toMicros(env().VECSTRUCT_SIGNUP_USD);
  const credits = toMicros(env().VECSTRUCT_SIGNUP_CREDITS);
  const org = await tx.organization.create({
    data: { id: input.id, name: input.name, isDefault: input.isDefault ?? false, usdMicros: usd, creditsMicros: credits },
  });
  const grants = [
    { currency: "usd", amountMicros: usd },
    { currency: "credits", amountMicros: credits },
  ].filter((g) => g.amountMicros > 0n);
  if (grants.length > 0) {
    await tx.ledgerEntry.createMany({
      data: grants.map((g) => ({ ...g, orgId: org.id, kind: "grant", note: "Signup grant" })),
    });
  }
  await tx.project.create({ data: { orgId: org.id, name: DEFAULT_PROJECT_NAME } });
  return org;
}

let defaultOrg: Promise<{ id: string }> | undefined;

/** The operator's organization; created with the grant on first use. A fixed id makes creation race-free. */
export function ensureDefaultOrganization(): Promise<{ id: string }> {
  defaultOrg ??= (async () => {
    const existing = await db().organization.findUnique({ where: { id: DEFAULT_ORG_ID }, select: { id: true } });
    if (existing) return existing;
    try {
      return await db().$transaction((tx) => createOrganization(tx, { id: DEFAULT_ORG_ID, name: "Default", isDefault: true }));
    } catch (err) {
      const again = await db().organization.findUnique({ where: { id: DEFAULT_ORG_ID }, select: { id: true } });
      if (again) return again;
      throw err;
    }
  })().catch((err) => {
    defaultOrg = undefined;
    throw err;
  });
  return defaultOrg;
}

export function serializeOrganization(org: {
  id: string;
  name: string;
  isDefault: boolean;
  creditsMicros: bigint;
  usdMicros: bigint;
  createdAt: Date;
}, role: string | null) {
  return {
    id: org.id,
    object: "organization",
    name: org.name,
    is_default: org.isDefault,
    role,
    credits: microsToUnits(org.creditsMicros),
    usd: microsToUnits(org.usdMicros),
    created_at: org.createdAt.toISOString(),
  };
}
