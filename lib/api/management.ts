// The one wrapper of the management API (/api): authenticates a console session or the operator
// key, resolves the tenant scope, validates with zod and maps every error to the documented body.
import { createHash, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { isOperatorUser } from "../auth/operators";
import { sessionUser } from "../auth/session-token";
import { db } from "../db";
import { env } from "../env";
import { finishAfterResponse } from "../invocation";
import { ApiError, errorResponse } from "../errors";
import { ensureDefaultOrganization } from "../tenancy/organizations";
import { requireSameOriginChange } from "./csrf";
import { parseWith, readJsonBody } from "../http/validation";

export { inScope, requireOperator, requireRole, type Caller, type Role, type Scope } from "../tenancy/scope";
import { requireOperator, requireRole, type Caller, type Role, type Scope } from "../tenancy/scope";

/** Constant-time check of `Authorization: Bearer <secret>` (digests compared: not even the length leaks). */
export function bearerMatches(req: Request, secret: string | undefined): boolean {
  const auth = req.headers.get("authorization");
  if (!secret || !auth?.startsWith("Bearer ")) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(auth.slice(7).trim()), digest(secret));
}

const isAdminKey = (req: Request) => bearerMatches(req, env().VECSTRUCT_ADMIN_KEY);

async function authenticate(req: Request): Promise<Caller> {
  if (isAdminKey(req)) return { kind: "operator", userId: null };
  if (req.headers.get("authorization")?.startsWith("Bearer ")) {
    throw new ApiError("invalid_api_key", "Invalid admin key. The management API takes a console session or VECSTRUCT_ADMIN_KEY.");
  }
  const user = await sessionUser(req);
  if (!user) throw new ApiError("unauthenticated", "Sign in or send Authorization: Bearer $VECSTRUCT_ADMIN_KEY.");
  // Operator status from the database (a grant, or a VERIFIED address of VECSTRUCT_ADMIN_EMAILS),
  // never from the session's email claim.
  if (await isOperatorUser(user.id)) return { kind: "operator", userId: user.id };
  return { kind: "user", userId: user.id };
}

async function resolveScope(caller: Caller, requestedOrgId: string | undefined): Promise<Scope> {
  if (caller.kind === "operator") {
    const orgId = requestedOrgId ?? (await ensureDefaultOrganization()).id;
    if (requestedOrgId && !(await db().organization.findUnique({ where: { id: requestedOrgId }, select: { id: true } }))) {
      throw new ApiError("not_found", "Organization not found.", { param: "org_id" });
    }
    // With `org_id` the operator acts inside that organization only (DESIGN §2): an id of another
    // organization answers 404 as it would to that organization's owner.
    return { caller, orgId, role: "owner", orgIds: requestedOrgId ? [orgId] : null, roles: null };
  }
  const memberships = await db().membership.findMany({
    where: { userId: caller.userId },
    orderBy: { createdAt: "asc" },
    select: { orgId: true, role: true },
  });
  if (memberships.length === 0) throw new ApiError("unauthenticated", "Your session is no longer valid. Sign in again.");
  const current = requestedOrgId ? memberships.find((m) => m.orgId === requestedOrgId) : memberships[0];
  if (!current) throw new ApiError("not_found", "Organization not found.", { param: "org_id" });
  const roles = Object.fromEntries(memberships.map((m) => [m.orgId, m.role as Role]));
  return { caller, orgId: current.orgId, role: current.role as Role, orgIds: memberships.map((m) => m.orgId), roles };
}

type Params = Record<string, string>;
/** Catch-all segments arrive as string[]; handlers read them joined with "/". */
type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** The least a caller must be for a route: a role in the organization, or the operator. */
export type RouteRole = Role | "operator";

interface Spec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** Every route declares it; handlers may check more (e.g. only an owner touches an owner). */
  role: RouteRole;
  body?: B;
  query?: Q;
  /**
   * For a route that addresses a row by id (or names one in its body): the organization that row
   * belongs to, so the role is checked there and not in the caller's current organization. Must
   * look the row up within the scope (`inScope`) and throw the route's 404 when it is not there,
   * so a foreign id answers 404 before any role question is asked.
   */
  orgOf?: (input: HandlerInput<Infer<B>, Infer<Q>>) => Promise<string>;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

async function authorize<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  spec: Spec<B, Q>,
  input: HandlerInput<Infer<B>, Infer<Q>>,
): Promise<void> {
  const orgId = spec.orgOf ? await spec.orgOf(input) : input.scope.orgId;
  if (spec.role === "operator") requireOperator(input.scope);
  else requireRole(input.scope, spec.role, orgId);
}

export interface HandlerInput<B, Q> {
  req: Request;
  scope: Scope;
  body: B;
  query: Q;
  params: Params;
}

function readOrgId(source: unknown): string | undefined {
  if (source && typeof source === "object" && "org_id" in source) {
    const v = (source as { org_id: unknown }).org_id;
    if (typeof v === "string" && v.length > 0) return v;
    if (v !== undefined) throw new ApiError("invalid_value", "Invalid 'org_id': expected a string.", { param: "org_id" });
  }
  return undefined;
}

export function withManagement<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: Spec<B, Q>,
  handler: (input: HandlerInput<Infer<B>, Infer<Q>>) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext): Promise<Response> => {
    // VERCEL=1: audit rows (a search's query embedding), jobs (an upload's ingestion) and mail this
    // request leaves are finished before its invocation ends (lib/invocation.ts).
    finishAfterResponse();
    try {
      // CSRF: before the session is read or the body touched (lib/api/csrf.ts).
      requireSameOriginChange(req);
      const caller = await authenticate(req);
      const url = new URL(req.url);
      const rawQuery = Object.fromEntries(url.searchParams);
      const rawBody = spec.body ? await readJsonBody(req) : undefined;
      const scope = await resolveScope(caller, readOrgId(rawQuery) ?? readOrgId(rawBody));
      const { org_id: _q, ...queryRest } = rawQuery;
      const bodyRest = rawBody && typeof rawBody === "object" && !Array.isArray(rawBody) ? withoutOrgId(rawBody) : rawBody;
      const body = (spec.body ? parseWith(spec.body, bodyRest) : undefined) as Infer<B>;
      const query = (spec.query ? parseWith(spec.query, queryRest) : undefined) as Infer<Q>;
      // Next passes no params object to routes without dynamic segments.
      const raw = (ctx ? await ctx.params : undefined) ?? {};
      const params: Params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.map(decodeURIComponent).join("/") : v]));
      const input = { req, scope, body, query, params };
      await authorize(spec, input);
      return await handler(input);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

function withoutOrgId(body: object): object {
  const { org_id: _drop, ...rest } = body as Record<string, unknown>;
  return rest;
}

export const json = (data: unknown, status = 200) => Response.json(data, { status });
