export type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/** GitHub's public profile email carries no verification flag: take the address from
 *  /user/emails, preferring the primary verified one, and say whether it is verified. */
export function pickGitHubEmail(emails: GitHubEmail[], publicEmail: string | null): { email: string | null; email_verified: boolean } {
  const verified = emails.filter((e) => e.verified);
  const pick = verified.find((e) => e.primary) ?? verified.find((e) => e.email === publicEmail) ?? verified[0];
  if (pick) return { email: pick.email, email_verified: true };
  return { email: publicEmail ?? emails.find((e) => e.primary)?.email ?? null, email_verified: false };
}
