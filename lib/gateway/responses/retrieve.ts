// GET /v1/responses/{id}, DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items: the
// stored state of POST /v1/responses (store.ts), in OpenAI's wire format. A key reads what is stored
// in any project it may use (its own, those its `projects` list, every one for "*"); `?project_id=`
// narrows the lookup to one of them, checked as `vecstruct.project_id` is in a body. Unknown, expired,
// deleted and other tenants' ids all get the same 404, so nothing tells them apart.
import { z } from "zod";
import { ApiError } from "../../errors";
import { parseWith } from "../../http/validation";
import type { KeyContext } from "../auth";
import { resolveProject, type ProjectContext } from "../projects";
import { readEndpoint, type ReadContext } from "../read-endpoint";
import { deleteResponse, loadResponse, locateResponse, type ResponseScope } from "./store";

type Item = Record<string, unknown>;

/** What a response or item id can look like (ours: resp_/msg_… + base62; OpenAI's: hex). */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const SHOWN = 64;

/** The client's id as an error message may repeat it: bounded, and only id characters. */
export function shownId(id: string): string {
  const clean = Array.from(id.slice(0, SHOWN + 1), (c) => (/[A-Za-z0-9_.-]/.test(c) ? c : "?")).join("");
  return clean.length > SHOWN ? `${clean.slice(0, SHOWN)}…` : clean;
}

/** OpenAI's answer for an id it does not have (code null, unlike our own not_found errors). */
function notFound(id: string): Response {
  const error = { message: `Response with id '${shownId(id)}' not found.`, type: "invalid_request_error", param: null, code: null };
  return Response.json({ error }, { status: 404, headers: NO_STORE });
}

const NO_STORE = { "cache-control": "no-store" };

const projectParam = z.string().min(1).max(200).optional();
const itemId = z.string().min(1).max(128).optional();

// Loose: OpenAI's other query parameters (`include[]`, `include_obfuscation`, …) change nothing here.
const retrieveQuery = z.looseObject({
  project_id: projectParam,
  // Replaying a background response's events: there are none to replay (every response is finished).
  stream: z.enum(["false"], { error: "Streaming a stored response is not supported: retrieve it without stream=true." }).optional(),
});
const listQuery = z.looseObject({
  project_id: projectParam,
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "expected an integer from 1 to 100")
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .optional(),
  order: z.enum(["asc", "desc"]).optional(),
  after: itemId,
  before: itemId,
});

function query<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
  // A repeated parameter counts once (the last), as URLSearchParams.get would not say.
  return parseWith(schema, Object.fromEntries(url.searchParams));
}

/** The projects a key may read stored responses from. */
const usableProjects = (key: KeyContext): string[] | "*" => (key.projects?.includes("*") ? "*" : [...new Set([key.projectId, ...(key.projects ?? [])])]);

/**
 * The project holding the live response `id` among those the key may use (or the one `project_id`
 * names), with its limits admitted; null when there is none, for whatever reason.
 */
async function holder(ctx: ReadContext, id: string, requested: string | undefined): Promise<ProjectContext | null> {
  if (!ID.test(id)) return null;
  const { key } = ctx;
  let project: ProjectContext | null;
  if (requested !== undefined) {
    // A project the key may not name is its 403, as in a body; one it may name answers for itself.
    project = await resolveProject(key, requested, "project_id");
    if ((await locateResponse(key.orgId, [project.id], id)) === null) return null;
  } else {
    const found = await locateResponse(key.orgId, usableProjects(key), id);
    if (found === null) return null;
    // Deleted or moved since the lookup: as if the response were not there.
    project = await resolveProject(key, found, "project_id").catch(() => null);
    if (!project) return null;
  }
  await ctx.admitProject(project);
  return project;
}

/** The `{id}` segment; a catch-all's list never reaches these routes, but the type allows it. */
const idParam = (ctx: ReadContext): string => (typeof ctx.params.id === "string" ? ctx.params.id : "");

const scopeOf = (key: KeyContext, project: ProjectContext): ResponseScope => ({ orgId: key.orgId, projectId: project.id });

export const handleGetResponse = readEndpoint(async (ctx) => {
  const id = idParam(ctx);
  const q = query(retrieveQuery, ctx.url);
  const project = await holder(ctx, id, q.project_id);
  const stored = project && (await loadResponse(scopeOf(ctx.key, project), id));
  if (!stored) return notFound(id);
  return Response.json(stored.response, { headers: NO_STORE });
});

export const handleDeleteResponse = readEndpoint(async (ctx) => {
  const id = idParam(ctx);
  const q = query(z.looseObject({ project_id: projectParam }), ctx.url);
  const project = await holder(ctx, id, q.project_id);
  if (!project || !(await deleteResponse(scopeOf(ctx.key, project), id))) return notFound(id);
  return Response.json({ id, object: "response", deleted: true }, { headers: NO_STORE });
});

/** An input item as OpenAI lists it: a message always has `type`, content parts and a status. */
export function listedItem(item: Item): Item {
  if (item.type !== undefined && item.type !== "message") return item;
  const content =
    typeof item.content === "string" ? [item.role === "assistant" ? { type: "output_text", text: item.content, annotations: [] } : { type: "input_text", text: item.content }] : item.content;
  return { ...item, type: "message", content, status: item.status ?? "completed" };
}

/**
 * One page of `items` (oldest first as stored) in OpenAI's list shape. `desc` lists newest first;
 * `after` / `before` are item ids, exclusive, in the listed order; with `before` alone the page is
 * the `limit` items right before it, and `has_more` says whether there are more beyond the page in
 * the direction of travel.
 */
export function pageItems(items: Item[], q: { limit?: number; order?: "asc" | "desc"; after?: string; before?: string }) {
  const limit = q.limit ?? 20;
  const list = q.order === "asc" ? items : [...items].reverse();
  const at = (param: "after" | "before", cursor: string) => {
    const i = list.findIndex((it) => it.id === cursor);
    if (i < 0) throw new ApiError("invalid_value", `Invalid '${param}': no input item with id '${shownId(cursor)}' in this response.`, { param });
    return i;
  };
  const start = q.after !== undefined ? at("after", q.after) + 1 : 0;
  const end = q.before !== undefined ? at("before", q.before) : list.length;
  const window = list.slice(start, Math.max(start, end));
  const page = q.before !== undefined && q.after === undefined ? window.slice(-limit) : window.slice(0, limit);
  const data = page.map(listedItem);
  return {
    object: "list",
    data,
    first_id: (data[0]?.id as string | undefined) ?? null,
    last_id: (data[data.length - 1]?.id as string | undefined) ?? null,
    has_more: window.length > limit,
  };
}

export const handleListInputItems = readEndpoint(async (ctx) => {
  const id = idParam(ctx);
  const q = query(listQuery, ctx.url);
  const project = await holder(ctx, id, q.project_id);
  const stored = project && (await loadResponse(scopeOf(ctx.key, project), id));
  if (!stored) return notFound(id);
  return Response.json(pageItems(stored.input, q), { headers: NO_STORE });
});
