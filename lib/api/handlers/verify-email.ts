import { z } from "zod";
import { mailConfigured } from "../../auth/mail";
import { throttleMail } from "../../auth/throttle";
import { confirmVerification, sendVerification, verifyEmailSchema } from "../../auth/verification";
import { db } from "../../db";
import { ApiError } from "../../errors";
import { json, withManagement, type Scope } from "../management";

function consoleUser(scope: Scope): string {
  if (!scope.caller.userId) throw new ApiError("permission_denied", "Sign in to the console as the account whose email you verify.");
  return scope.caller.userId;
}

/** POST /api/verify-email {token}: the emailed token, with the session of the account it was sent for. */
export const confirmVerificationHandler = withManagement({ role: "member", body: verifyEmailSchema }, async ({ scope, body }) =>
  json({ object: "email_verification", ...(await confirmVerification(consoleUser(scope), body.token)) }),
);

/** POST /api/verify-email/send: a new link to the signed-in account's address. */
export const sendVerificationHandler = withManagement({ role: "member", body: z.strictObject({}) }, async ({ scope }) => {
  const userId = consoleUser(scope);
  if (!mailConfigured()) throw new ApiError("invalid_value", "This instance sends no mail (VECSTRUCT_SMTP_URL is not set); an operator can grant access instead.");
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerified: true } });
  if (!user) throw new ApiError("unauthenticated", "Your session is no longer valid. Sign in again.");
  if (user.emailVerified) return json({ object: "email_verification", email: user.email, status: "already_verified" });
  await throttleMail(user.id);
  await sendVerification(user);
  return json({ object: "email_verification", email: user.email, status: "sent" }, 202);
});
