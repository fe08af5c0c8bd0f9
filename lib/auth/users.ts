import { z } from "zod";
import { db } from "../db";
import { ApiError } from "../errors";
import { createOrganization } from "../tenancy/organizations";
import { hashPassword, verifyPassword } from "./password";

export const signUpSchema = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  name: z.string().trim().min(1).max(100).optional(),
  organization: z.string().trim().min(1).max(100).optional(),
});

/** Sign-up: the user, a new organization they own (with the signup grant), in one transaction. */
export async function registerUser(input: z.infer<typeof signUpSchema>) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name ?? null, passwordHash } });
      const orgName = input.organization ?? `${input.name ?? input.email.split("@")[0]}'s organization`;
      const org = await createOrganization(tx, { name: orgName });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "owner" } });
      return { user, org };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ApiError("conflict", "An account with this email already exists.", { param: "email" });
    }
    throw err;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === "P2002";
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A".repeat(86) + "==";

/** Constant work whether or not the email exists, so timing does not reveal accounts. */
export async function authenticateUser(emailRaw: string, password: string) {
  const email = emailRaw.trim().toLowerCase();
  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user?.passwordHash ? user : null;
}

/** OAuth sign-in: link the account, or create the user (and their organization) on first sign-in. */
export async function linkOAuthUser(input: {
  provider: string;
  providerAccountId: string;
  type: string;
  email: string;
  name: string | null;
  image: string | null;
}) {
  const existing = await db().account.findUnique({
    where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
    include: { user: true },
  });
  if (existing) return existing.user;
  const email = input.email.toLowerCase();
  return db().$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email } });
    if (!user) {
      user = await tx.user.create({ data: { email, name: input.name, image: input.image, emailVerified: new Date() } });
      const org = await createOrganization(tx, { name: `${input.name ?? email.split("@")[0]}'s organization` });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "owner" } });
    }
    await tx.account.create({
      data: { userId: user.id, type: input.type, provider: input.provider, providerAccountId: input.providerAccountId },
    });
    return user;
  });
}
