import { z } from "zod";
import { db } from "../db";
import { ApiError } from "../errors";
import { createOrganization } from "../tenancy/organizations";
import { hashPassword, needsRehash, PASSWORD_PARAMS, verifyPassword } from "./password";

export const signUpSchema = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  name: z.string().trim().min(1).max(100).optional(),
  organization: z.string().trim().min(1).max(100).optional(),
});

/** Sign-up: the user, a new organization they own (with the signup grant), in one transaction. */
/** `opts.passwordHash`: a hash of `input.password` made earlier (test fixtures create many users with
 *  one password, and each scrypt run costs 128 MiB and most of a second by design). */
export async function registerUser(input: z.infer<typeof signUpSchema>, opts: { passwordHash?: string } = {}) {
  const passwordHash = opts.passwordHash ?? (await hashPassword(input.password));
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

/** The public sign-up: an address that already has an account changes nothing and is answered
 *  like a new one by the caller (`user: null` is for its mail only, never for the response). The
 *  password is hashed in both cases, so the time taken does not tell them apart either. */
export async function signUpUniformly(input: z.infer<typeof signUpSchema>): Promise<{ user: { id: string; email: string } | null }> {
  try {
    const { user } = await registerUser(input);
    return { user: { id: user.id, email: user.email } };
  } catch (err) {
    if (err instanceof ApiError && err.code === "conflict") return { user: null };
    throw err;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && (err as { code: unknown }).code === "P2002";
}

// Today's parameters, so an unknown email costs the same scrypt run as a known one.
const DUMMY_HASH = `scrypt$${PASSWORD_PARAMS.N}$${PASSWORD_PARAMS.r}$${PASSWORD_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA==$${"A".repeat(86)}==`;

/** Constant work whether or not the email exists, so timing does not reveal accounts. A hash made
 *  with older parameters is replaced at this successful sign-in (the password is at hand only now). */
export async function authenticateUser(emailRaw: string, password: string) {
  const email = emailRaw.trim().toLowerCase();
  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!ok || !user?.passwordHash) return null;
  if (needsRehash(user.passwordHash)) {
    const stored = user.passwordHash;
    const fresh = await hashPassword(password);
    // Only if unchanged meanwhile (a concurrent password change wins).
    await db().user.updateMany({ where: { id: user.id, passwordHash: stored }, data: { passwordHash: fresh } });
  }
  return user;
}

/** OAuth sign-in: the identity's own account, else a new user (with their organization). An
 *  identity is attached to an existing user with the same address only when BOTH sides proved the
 *  address: the identity provider says it is verified, and the existing account verified it too.
 *  Otherwise whoever registered an address first (or an IdP that lets users type any address)
 *  would get into the other party's account; such a sign-in is refused. */
export async function linkOAuthUser(input: {
  provider: string;
  providerAccountId: string;
  type: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  image: string | null;
}) {
  const existing = await db().account.findUnique({
    where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
    include: { user: true },
  });
  const email = input.email.toLowerCase();
  if (existing) {
    // The provider now vouches for the address this account holds: record it.
    if (input.emailVerified && !existing.user.emailVerified && existing.user.email === email) {
      return db().user.update({ where: { id: existing.user.id }, data: { emailVerified: new Date() } });
    }
    return existing.user;
  }
  return db().$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email } });
    if (user && !(input.emailVerified && user.emailVerified)) throw new OAuthLinkRefused();
    if (!user) {
      user = await tx.user.create({ data: { email, name: input.name, image: input.image, emailVerified: input.emailVerified ? new Date() : null } });
      const org = await createOrganization(tx, { name: `${input.name ?? email.split("@")[0]}'s organization` });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "owner" } });
    }
    await tx.account.create({
      data: { userId: user.id, type: input.type, provider: input.provider, providerAccountId: input.providerAccountId },
    });
    return user;
  });
}

/** The same rule as linkOAuthUser, read-only: lets the sign-in callback refuse with a page
 *  instead of an error thrown later. */
export async function oauthSignInAllowed(input: { provider: string; providerAccountId: string; email: string; emailVerified: boolean }): Promise<boolean> {
  const existing = await db().account.findUnique({
    where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
    select: { id: true },
  });
  if (existing) return true;
  const user = await db().user.findUnique({ where: { email: input.email.toLowerCase() }, select: { emailVerified: true } });
  return !user || (input.emailVerified && user.emailVerified !== null);
}

/** An SSO sign-in for an address that already has an account it may not be attached to. */
export class OAuthLinkRefused extends Error {
  constructor() {
    super("An account with this email address already exists and the address is not verified on both sides. Sign in with your password.");
    this.name = "OAuthLinkRefused";
  }
}
