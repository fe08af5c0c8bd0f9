import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitation } from "@/components/console/accept-invitation";
import { Card } from "@/components/ui/primitives";
import { auth } from "@/lib/auth/config";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

// An invitation link. Signed-out visitors sign in or up first and come back here.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = await auth();
  if (!session?.user) {
    const next = encodeURIComponent(`/invite/${token}`);
    return (
      <Card className="p-6">
        <h1 className="mb-2 text-lg font-semibold">You have been invited</h1>
        <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Sign in or create an account to join the organization.</p>
        <div className="flex gap-3 text-sm">
          <Link className="font-medium underline" href={`/sign-in?next=${next}`}>
            Sign in
          </Link>
          <Link className="font-medium underline" href={`/sign-up?next=${next}`}>
            Sign up
          </Link>
        </div>
      </Card>
    );
  }
  return <AcceptInvitation token={token} email={session.user.email ?? ""} />;
}
