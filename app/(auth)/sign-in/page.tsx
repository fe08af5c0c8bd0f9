import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/lib/auth/config";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Errors next-auth (or our callbacks) send back to this page; unknown codes show nothing.
const NOTICES: Record<string, string> = {
  RateLimited: "Too many attempts. Wait a minute, then try again.",
  OAuthAccountNotLinked: "An account with this email address already exists. Sign in with its password: an identity provider is attached to an existing account only when both have verified the address.",
  OAuthNoEmail: "Your identity provider did not share an email address.",
  CredentialsSignin: "Wrong email or password.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next, error } = await searchParams;
  return <SignInForm providers={oauthProviders()} next={typeof next === "string" ? next : null} notice={typeof error === "string" ? (NOTICES[error] ?? null) : null} />;
}
