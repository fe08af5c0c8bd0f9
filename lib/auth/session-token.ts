// Reads the console session from the request's cookies. Works on a plain Request (no Next request
// scope), so route handlers stay testable and the same code serves every management route.
import { getToken } from "next-auth/jwt";
import { env } from "../env";

export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export async function sessionUser(req: Request): Promise<{ id: string; email: string | null } | null> {
  const cookie = req.headers.get("cookie");
  if (!cookie) return null;
  for (const cookieName of SESSION_COOKIES) {
    if (!cookie.includes(cookieName)) continue;
    const token = await getToken({
      req: { headers: { cookie } },
      secret: env().AUTH_SECRET,
      cookieName,
      secureCookie: cookieName.startsWith("__Secure-"),
      logger: { error: () => {}, warn: () => {}, debug: () => {} } as unknown as Console,
    });
    if (token?.sub) return { id: token.sub, email: typeof token.email === "string" ? token.email.toLowerCase() : null };
  }
  return null;
}
