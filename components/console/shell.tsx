"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/primitives";
import { ScopeProvider, useScope } from "./scope";
import { ThemeToggle } from "./theme-toggle";

// Only areas that work are listed; later features add their entry here.
const NAV = [
  { href: "/overview", label: "Overview" },
  { href: "/playground", label: "Playground" },
  { href: "/projects", label: "Projects" },
  { href: "/keys", label: "API keys" },
  { href: "/documents", label: "Documents" },
  { href: "/memory", label: "Memory" },
  { href: "/policies", label: "Policies" },
  { href: "/audit-logs", label: "Audit logs" },
  { href: "/usage", label: "Usage" },
  { href: "/billing", label: "Billing" },
  { href: "/providers", label: "Providers & models" },
  { href: "/organization", label: "Organization" },
] as const;

function Switchers() {
  const { orgs, orgId, setOrgId, projects, projectId, setProjectId } = useScope();
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor="org-switcher" className="mb-1 block text-xs font-medium uppercase tracking-wide text-zinc-500">
          Organization
        </label>
        <select
          id="org-switcher"
          className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={orgId ?? ""}
          onChange={(e) => setOrgId(e.target.value)}
        >
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="project-switcher" className="mb-1 block text-xs font-medium uppercase tracking-wide text-zinc-500">
          Project
        </label>
        <select
          id="project-switcher"
          className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={projectId ?? ""}
          onChange={(e) => setProjectId(e.target.value || null)}
          disabled={projects.length === 0}
        >
          {projects.length === 0 ? <option value="">No projects yet</option> : null}
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function ConsoleShell({ user, children }: { user: { email: string; name: string | null }; children: ReactNode }) {
  const pathname = usePathname();
  return (
    <ScopeProvider>
      <div className="flex min-h-screen flex-col md:flex-row">
        <aside className="flex w-full shrink-0 flex-col gap-6 border-b border-zinc-200 bg-white p-4 md:w-60 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
          <Link href="/projects" className="text-lg font-semibold tracking-tight">
            vecstruct
          </Link>
          <Switchers />
          <nav aria-label="Console" className="flex flex-row gap-1 overflow-x-auto md:flex-col">
            {NAV.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={`shrink-0 rounded-md px-3 py-1.5 text-sm ${active ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="mt-auto border-t border-zinc-200 pt-4 text-sm dark:border-zinc-800">
            <p className="truncate text-zinc-700 dark:text-zinc-300" title={user.email}>
              {user.name ?? user.email}
            </p>
            <div className="mt-2 flex items-center justify-between">
              <Button variant="ghost" className="px-0" onClick={() => signOut({ redirectTo: "/sign-in" })}>
                Sign out
              </Button>
              <ThemeToggle />
            </div>
          </div>
        </aside>
        <main className="min-w-0 flex-1 p-4 sm:p-6 md:p-10">{children}</main>
      </div>
    </ScopeProvider>
  );
}
