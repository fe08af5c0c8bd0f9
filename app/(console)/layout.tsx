import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/shell";
import { auth } from "@/lib/auth/config";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  if (!session?.user) redirect("/sign-in");
  return <ConsoleShell user={{ email: session.user.email ?? "", name: session.user.name ?? null }}>{children}</ConsoleShell>;
}
