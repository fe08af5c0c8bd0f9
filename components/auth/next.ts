/** A post-sign-in destination from the query: a path on this site only. Refused (→ /projects):
 *  anything not starting with one "/", a second "/" or "\\" (protocol-relative), any backslash,
 *  whitespace or control character anywhere (browsers drop tabs and newlines from URLs, so
 *  "/\t/evil.example" would become "//evil.example"), and anything that resolves off-site. */
export function safeNext(next: string | null | undefined): string {
  const fallback = "/projects";
  if (!next || next.length > 2000 || !next.startsWith("/")) return fallback;
  if (next[1] === "/" || next[1] === "\\") return fallback;
  if (/[\\\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(next)) return fallback;
  try {
    const base = "http://vecstruct.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return next;
}
