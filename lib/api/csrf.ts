// Cross-site request forgery: a browser attaches the session cookie to requests that other sites
// trigger (forms, fetch with credentials), so a cookie alone never authorizes a change. Changes made
// with the session must come from this app's own origin (DESIGN.md §3b). The console's own calls
// (lib/client/api.ts fetch, the XMLHttpRequest upload) carry a same-host `Origin` and
// `Sec-Fetch-Site: same-origin`; a browser never lets a page forge either.
import { ApiError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host the client addressed: the proxy's forwarded host when there is one (a cross-site page cannot set it). */
function requestHost(headers: Headers, url: string): string | null {
  const forwarded = headers.get("x-forwarded-host") ?? headers.get("host");
  if (forwarded) return forwarded.split(",")[0]!.trim().toLowerCase();
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * True when the request comes from a page of this origin: `Origin` names this exact host and port
 * (another port or a sibling subdomain is another origin), and Fetch Metadata, when the browser
 * sends it, says same-origin.
 */
export function isSameOrigin(headers: Headers, url: string): boolean {
  const origin = headers.get("origin");
  const host = requestHost(headers, url);
  if (!origin || origin === "null" || !host) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (parsed.host.toLowerCase() !== host) return false;
  const site = headers.get("sec-fetch-site");
  return !site || site === "same-origin";
}

/**
 * Refuses a cookie-authenticated change (no Authorization header: the session path) that does not
 * come from this origin, whatever its content type (a cross-site form's urlencoded or text/plain
 * body included). Called before the session is read or the body touched, so nothing changes and
 * nothing is parsed for a forged request. Same-origin bodies keep their own rules (a wrong type for
 * an upload is still its 415).
 */
export function requireSameOriginChange(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  if (req.headers.get("authorization")) return; // the admin key (or a wrong one: authenticate answers 401)
  if (!isSameOrigin(req.headers, req.url)) {
    throw new ApiError("permission_denied", "Changes made with a console session must come from the console's own origin.");
  }
}
