import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmail } from "@/components/auth/verify-email";
import { Card } from "@/components/ui/primitives";
import { auth } from "@/lib/auth/config";

export const metadata: Metadata = { title: "Verify your email" };
export const dynamic = "force-dynamic";

// The emailed link. Opening it changes nothing (mail scanners follow links): the signed-in owner of
// the account confirms with a button, which POSTs the token with their session.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const value = typeof token === "string" ? token : "";
  const session = await auth();
  if (!session?.user) {
    const next = encodeURIComponent(`/verify-email?token=${encodeURIComponent(value)}`);
    return (
      <Card className="p-6">
        <h1 className="mb-2 text-lg font-semibold">Verify your email</h1>
        <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Sign in to the account this link was sent for, then confirm.</p>
        <Link className="text-sm font-medium underline" href={`/sign-in?next=${next}`}>
          Sign in
        </Link>
      </Card>
    );
  }
  return <VerifyEmail token={value} email={session.user.email ?? ""} />;
}
