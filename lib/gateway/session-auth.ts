// The console playground calls /v1 exactly as an API client would, with the console session
// standing in for an API key. Only reached when a request carries no Authorization / api-key header,
// so the bearer hot path is untouched.
//
// CSRF: a cookie alone never authorizes. The request must name its project in the custom header
// `x-vecstruct-project` (a cross-site form cannot set headers, and a cross-origin fetch with it needs
// a CORS preflight we never grant), and its Origin must be this server's own.
import { isOperatorUser } from "../auth/operators";
import { isSameOrigin } from "../api/csrf";
import { sessionUser } from "../auth/session-token";
import { db } from "../db";
import { ApiError } from "../errors";
import type { KeyContext } from "./auth";

export const PROJECT_HEADER = "x-vecstruct-project";

/** True when the request asks for session authentication (no key given, the project header set). */
export function wantsSessionAuth(headers: Headers, opts: { xApiKey?: boolean } = {}): boolean {
  return !headers.get("authorization") && !headers.get("api-key") && !(opts.xApiKey && headers.get("x-api-key")) && headers.has(PROJECT_HEADER);
}

const denied = (message: string) => new ApiError("invalid_api_key", message);

export async function authenticateSession(req: Request): Promise<KeyContext> {
  // The same origin rule as the management API's cookie-authenticated changes.
  if (!isSameOrigin(req.headers, req.url)) throw denied("Session authentication is only accepted from the console's own origin. API clients send 'Authorization: Bearer sk-vs-…'.");
  const user = await sessionUser(req);
  if (!user) throw denied("You didn't provide an API key. Send it as 'Authorization: Bearer sk-vs-…'.");
  const projectId = req.headers.get(PROJECT_HEADER)!.trim();
  const project = await db().project.findFirst({ where: { id: projectId, deletedAt: null }, select: { id: true, orgId: true } });
  const member =
    project && ((await isOperatorUser(user.id)) || (await db().membership.findUnique({ where: { orgId_userId: { orgId: project.orgId, userId: user.id } }, select: { id: true } })));
  // The same answer whether the project exists elsewhere or not: no probing other tenants.
  if (!project || !member) throw new ApiError("permission_denied", "You are not a member of this project's organization.");
  // No allowlist, limits or key budget: the member acts with the organization's balance. The audit
  // row has api_key_id null (see AuditDraft) — that is how console requests are told apart.
  return {
    id: `console:${user.id}`,
    orgId: project.orgId,
    projectId: project.id,
    models: null,
    // A member reaches every project of the organization in the console anyway.
    projects: ["*"],
    rpmLimit: null,
    tpmLimit: null,
    maxConcurrent: null,
    budgetMicros: null,
    expiresAt: null,
    consoleUserId: user.id,
  };
}
