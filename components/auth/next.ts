/** A post-sign-in destination from the query: a path on this site only (no //host, no scheme). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/projects";
}
