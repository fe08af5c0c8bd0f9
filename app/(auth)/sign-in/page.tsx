import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/lib/auth/config";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default function SignInPage() {
  return <SignInForm providers={oauthProviders()} />;
}
