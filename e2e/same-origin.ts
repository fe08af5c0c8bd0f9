import { test } from "@playwright/test";

/**
 * Headers a console page's own fetch carries: API calls made through Playwright's request context
 * with the session cookie need them, as cookie-authenticated changes must be same-origin (lib/api/csrf.ts).
 */
export function sameOrigin(): Record<string, string> {
  return { origin: new URL(test.info().project.use.baseURL!).origin, "sec-fetch-site": "same-origin" };
}
