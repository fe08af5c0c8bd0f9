// Responses state (DESIGN §1 "Responses state"): a stored /v1/responses answer and the conversation
// that led to it, per project. POST saves (with `store`, the default), `previous_response_id` and the
// GET/DELETE routes load. Every read and write names the project (and its organization): an id of
// another tenant is indistinguishable from an unknown one. Rows live VECSTRUCT_RESPONSES_RETENTION_DAYS;
// an expired row is never returned and is purged by the hourly housekeeping (lib/lifecycle.ts).
import { randomBase62 } from "../../crypto";
import { db } from "../../db";
import { insertRows } from "../../db-raw";
import { env } from "../../env";

export interface ResponseScope {
  orgId: string;
  projectId: string;
}

type Item = Record<string, unknown>;

/** Ids are minted here (resp_…, item ids) or by OpenAI; anything longer is not one of ours. */
export const MAX_RESPONSE_ID = 128;
const DAY_MS = 86_400_000;

// OpenAI's item id prefixes, so a stored conversation reads back like one OpenAI stored.
const ITEM_PREFIX: Record<string, string> = {
  message: "msg",
  function_call: "fc",
  function_call_output: "fco",
  reasoning: "rs",
  custom_tool_call: "ctc",
  custom_tool_call_output: "ctco",
  web_search_call: "ws",
  file_search_call: "fs",
  computer_call: "cu",
  computer_call_output: "cuo",
  image_generation_call: "ig",
  code_interpreter_call: "ci",
  local_shell_call: "lsh",
  local_shell_call_output: "lsho",
  shell_call: "sh",
  shell_call_output: "sho",
  apply_patch_call: "apc",
  apply_patch_call_output: "apco",
  mcp_call: "mcp",
  mcp_list_tools: "mcpl",
  mcp_approval_request: "mcpr",
  mcp_approval_response: "mcpa",
  compaction: "cmp",
};

/** A new id for an input item of this type (a message given without `type` is a message). */
export function newItemId(type: unknown): string {
  const prefix = typeof type === "string" ? (ITEM_PREFIX[type] ?? "item") : "msg";
  return `${prefix}_${randomBase62(32)}`;
}

/** The items with an id each: given ids are kept, a missing (or null/empty) one is minted. */
export function withItemIds(input: Item[]): Item[] {
  return input.map((item) => (typeof item.id === "string" && item.id.length > 0 ? item : { ...item, id: newItemId(item.type) }));
}

const live = (now: Date) => ({ expiresAt: { gt: now } });

/**
 * Saves a response (awaited by the handler before it answers: a follow-up `previous_response_id`
 * request must see it). A create, never an upsert: an id that exists (in any project) fails, so a
 * write can never replace another tenant's row.
 */
export async function saveResponse(scope: ResponseScope, r: { id: string; auditId: string; model: string; response: Record<string, unknown>; input: Record<string, unknown>[] }): Promise<void> {
  if (r.id.length === 0 || r.id.length > MAX_RESPONSE_ID) throw new Error(`a stored response id has 1 to ${MAX_RESPONSE_ID} characters`);
  const now = new Date();
  // Through the raw writer (lib/db-raw.ts): on SQLite the insert runs on the write worker, not on the
  // request loop (this write is awaited before a response is answered).
  await insertRows("stored_responses", [
    {
      id: r.id,
      orgId: scope.orgId,
      projectId: scope.projectId,
      auditId: r.auditId,
      model: r.model,
      // JSON text, not a JSON column: read back byte for byte (key order, numbers), and JSON.stringify
      // escapes what a text column cannot hold (NUL, lone surrogates).
      response: JSON.stringify(r.response),
      input: JSON.stringify(withItemIds(r.input)),
      createdAt: now,
      expiresAt: new Date(now.getTime() + env().VECSTRUCT_RESPONSES_RETENTION_DAYS * DAY_MS),
    },
  ]);
}

/** null when unknown, expired, deleted, or stored in another project. */
export async function loadResponse(scope: ResponseScope, id: string): Promise<{ response: Record<string, unknown>; input: Record<string, unknown>[] } | null> {
  if (id.length === 0 || id.length > MAX_RESPONSE_ID) return null;
  const row = await db().storedResponse.findFirst({
    where: { id, projectId: scope.projectId, orgId: scope.orgId, ...live(new Date()) },
    select: { response: true, input: true },
  });
  if (!row) return null;
  return { response: JSON.parse(row.response) as Record<string, unknown>, input: JSON.parse(row.input) as Record<string, unknown>[] };
}

/** True when it was there (live, in this project) and is gone now. */
export async function deleteResponse(scope: ResponseScope, id: string): Promise<boolean> {
  if (id.length === 0 || id.length > MAX_RESPONSE_ID) return false;
  const { count } = await db().storedResponse.deleteMany({ where: { id, projectId: scope.projectId, orgId: scope.orgId, ...live(new Date()) } });
  return count > 0;
}

/**
 * Which of these projects of this organization (`"*"`: any live one) holds the live response `id`,
 * if any: the GET and DELETE routes look in every project the key may use.
 */
export async function locateResponse(orgId: string, projectIds: string[] | "*", id: string): Promise<string | null> {
  if (projectIds.length === 0 || id.length === 0 || id.length > MAX_RESPONSE_ID) return null;
  const inProjects = projectIds === "*" ? { project: { orgId, deletedAt: null } } : { projectId: { in: projectIds } };
  const row = await db().storedResponse.findFirst({ where: { id, orgId, ...inProjects, ...live(new Date()) }, select: { projectId: true } });
  return row?.projectId ?? null;
}

/** Drops every response past its retention (hourly housekeeping and the cron route). */
export async function purgeExpiredResponses(now = new Date()): Promise<number> {
  const { count } = await db().storedResponse.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
