// next-auth v5: email + password always; GitHub and generic OIDC only when their env vars are set.
// JWT sessions (required by the credentials provider); users, accounts and orgs live in our tables.
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { env } from "../env";
import { pickGitHubEmail, type GitHubEmail } from "./github";
import { authenticateUser, linkOAuthUser, oauthSignInAllowed } from "./users";

/** OIDC's standard claim (and ours for GitHub above). Anything but boolean true is unverified. */
const claimsVerified = (profile: unknown) =>
  typeof profile === "object" && profile !== null && (profile as { email_verified?: unknown }).email_verified === true;

export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  const list: { id: string; name: string }[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) list.push({ id: "oidc", name: e.AUTH_OIDC_NAME });
  return list;
}

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials) {
        const { email, password } = credentials ?? {};
        if (typeof email !== "string" || typeof password !== "string") return null;
        const user = await authenticateUser(email, password);
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(
      GitHub({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        userinfo: {
          url: "https://api.github.com/user",
          async request({ tokens }: { tokens: { access_token?: string } }) {
            const headers = { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "vecstruct" };
            const profile = (await (await fetch("https://api.github.com/user", { headers })).json()) as Record<string, unknown>;
            const res = await fetch("https://api.github.com/user/emails", { headers });
            const emails = res.ok ? ((await res.json()) as GitHubEmail[]) : [];
            return { ...profile, ...pickGitHubEmail(Array.isArray(emails) ? emails : [], typeof profile.email === "string" ? profile.email : null) };
          },
        },
      }),
    );
  }
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    list.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
    });
  }
  return list;
}

function config(): NextAuthConfig {
  return {
    secret: env().AUTH_SECRET,
    trustHost: true, // self-hosted behind any host name or proxy
    session: { strategy: "jwt" },
    pages: { signIn: "/sign-in" },
    providers: providers(),
    callbacks: {
      async signIn({ account, user, profile }) {
        if (!account || account.provider === "credentials") return true;
        if (!user.email) return "/sign-in?error=OAuthNoEmail";
        const allowed = await oauthSignInAllowed({
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          email: user.email,
          emailVerified: claimsVerified(profile),
        });
        return allowed ? true : "/sign-in?error=OAuthAccountNotLinked";
      },
      async jwt({ token, user, account, profile }) {
        if (account && account.provider !== "credentials") {
          if (!token.email) throw new Error("The identity provider did not return an email address.");
          const linked = await linkOAuthUser({
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            type: account.type,
            email: token.email,
            emailVerified: claimsVerified(profile),
            name: token.name ?? null,
            image: token.picture ?? null,
          });
          token.sub = linked.id;
          // The session carries our account's address, not the provider's claim.
          token.email = linked.email;
        } else if (user?.id) {
          token.sub = user.id;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

// Lazy config: env (and the generated secret) is read on the first request, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
