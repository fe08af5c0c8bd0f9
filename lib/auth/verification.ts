// Email verification by an emailed link (when SMTP is configured). The token is stored only as a
// hash and is bound to the account and the address. Confirming takes the token AND that account's
// session: the link alone (a mail scanner following it, a mailbox owner tricked into clicking)
// verifies nothing for an account someone else created — and a verified email is what makes
// VECSTRUCT_ADMIN_EMAILS and email-bound invitations apply.
import { z } from "zod";
import { randomBase62, sha256Hex } from "../crypto";
import { db } from "../db";
import { ApiError } from "../errors";
import { mailConfigured, publicUrl, sendMailInBackground } from "./mail";

const TTL_MS = 24 * 3_600_000;
export const verifyEmailSchema = z.strictObject({ token: z.string().min(10).max(200) });

const identifierOf = (user: { id: string; email: string }) => `email:${user.id}:${user.email.toLowerCase()}`;

/** Sends a verification link to the account's address (no-op without SMTP). */
export async function sendVerification(user: { id: string; email: string }): Promise<void> {
  if (!mailConfigured()) return;
  const token = `ev_${randomBase62(40)}`;
  const identifier = identifierOf(user);
  await db().$transaction([
    db().verificationToken.deleteMany({ where: { identifier } }),
    db().verificationToken.create({ data: { identifier, token: sha256Hex(token), expires: new Date(Date.now() + TTL_MS) } }),
  ]);
  const link = publicUrl(`/verify-email?token=${encodeURIComponent(token)}`);
  sendMailInBackground({
    to: user.email,
    subject: "Confirm your email address for vecstruct",
    text:
      `Someone created a vecstruct account with this address (${user.email}).\n\n` +
      `If it was you, open this link while signed in to that account and press "Confirm":\n${link}\n\n` +
      `The link expires in 24 hours. If it was not you, ignore this mail: nothing happens without the account's password.`,
  });
}

/** Someone signed up with an address that already has an account: tell its owner, say nothing else. */
export function sendExistingAccountNotice(email: string): void {
  if (!mailConfigured()) return;
  sendMailInBackground({
    to: email,
    subject: "Sign-up attempt for your vecstruct account",
    text:
      `Someone tried to create a vecstruct account with this address (${email}), which already has one.\n\n` +
      `If it was you, sign in instead: ${publicUrl("/sign-in")}\nIf not, you can ignore this mail.`,
  });
}

export async function confirmVerification(userId: string, token: string): Promise<{ email: string; verified_at: string }> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerified: true } });
  if (!user) throw new ApiError("unauthenticated", "Your session is no longer valid. Sign in again.");
  const identifier = identifierOf(user);
  const row = await db().verificationToken.findUnique({ where: { identifier_token: { identifier, token: sha256Hex(token) } } });
  // Unknown, expired, another account's: one answer.
  if (!row || row.expires.getTime() <= Date.now()) {
    throw new ApiError("invalid_value", "This verification link is not valid for the signed-in account (it may have expired). Request a new one.", { param: "token" });
  }
  const verifiedAt = user.emailVerified ?? new Date();
  await db().$transaction([
    db().user.update({ where: { id: user.id }, data: { emailVerified: verifiedAt } }),
    db().verificationToken.deleteMany({ where: { identifier } }),
  ]);
  return { email: user.email, verified_at: verifiedAt.toISOString() };
}
