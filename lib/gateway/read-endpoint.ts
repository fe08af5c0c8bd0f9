// The body-less variant of endpoint() (pipeline.ts) for /v1 reads and deletes of stored state
// (GET/DELETE /v1/responses/{id}, GET …/input_items): the same authentication (bearer, or the
// console session), the same key and project limits and the same OpenAI error body, without a body to
// read or a dialect to parse. Not audited (DESIGN §1: reads/deletes of stored responses may be; like
// GET /v1/models they are not): the limits' slots are freed when the handler is done.
import { randomBase62 } from "../crypto";
import { errorResponse } from "../errors";
import { RequestLimits } from "../ratelimit";
import { authenticateApiKey, type KeyContext } from "./auth";
import type { ProjectContext } from "./projects";
import { authenticateSession, wantsSessionAuth } from "./session-auth";

/** The route's dynamic segments, as Next passes them (the shape management routes take too). */
export type RouteParams = Record<string, string | string[] | undefined>;

export interface ReadContext {
  key: KeyContext;
  params: RouteParams;
  url: URL;
  /** Admits the project's limits once the handler knows which project the request touches. */
  admitProject: (project: ProjectContext) => Promise<void>;
}

export function readEndpoint(handle: (ctx: ReadContext) => Promise<Response>) {
  return async (req: Request, route: { params: Promise<RouteParams> }): Promise<Response> => {
    let key: KeyContext;
    try {
      key = wantsSessionAuth(req.headers) ? await authenticateSession(req) : await authenticateApiKey(req.headers);
    } catch (err) {
      return errorResponse(err);
    }
    // A request id for the shared (Redis) limiter's in-flight slot; nothing else refers to it.
    const limits = new RequestLimits(`read_${randomBase62(20)}`);
    try {
      await limits.admit("key", key.id, { rpm: key.rpmLimit, tpm: key.tpmLimit, concurrent: key.maxConcurrent });
      const res = await handle({ key, params: await route.params, url: new URL(req.url), admitProject: (p) => limits.admit("project", p.id, p.limits) });
      for (const [k, v] of Object.entries(limits.headers)) res.headers.set(k, v);
      return res;
    } catch (err) {
      return errorResponse(err, limits.headers);
    } finally {
      limits.settle(0);
    }
  };
}
