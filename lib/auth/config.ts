// next-auth v5: email + password always; GitHub and generic OIDC only when their env vars are set.
// JWT sessions (required by the credentials provider); users, accounts and orgs live in our tables.
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { env } from "../env";
import { authenticateUser, linkOAuthUser } from "./users";

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
    list.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
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
      async jwt({ token, user, account }) {
        if (account && account.provider !== "credentials") {
          if (!token.email) throw new Error("The identity provider did not return an email address.");
          const linked = await linkOAuthUser({
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            type: account.type,
            email: token.email,
            name: token.name ?? null,
            image: token.picture ?? null,
          });
          token.sub = linked.id;
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
