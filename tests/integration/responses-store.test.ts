// Responses state (DESIGN §1 "Responses state", issue 17 item 4): the store's scoping, item ids,
// expiry and purge, deletion with the project and the organization, and the read routes
// (GET/DELETE /v1/responses/{id}, GET …/input_items) in OpenAI's shapes — driven in-process as Next
// calls them, with real API keys, plus the official `openai` SDK over a fetch that calls the handlers.
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import * as keys from "@/app/api/keys/route";
import * as projectRoute from "@/app/api/projects/[id]/route";
import * as projects from "@/app/api/projects/route";
import * as inputItemsRoute from "@/app/v1/responses/[id]/input_items/route";
import * as responseRoute from "@/app/v1/responses/[id]/route";
import { randomBase62 } from "@/lib/crypto";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { pruneExpired } from "@/lib/lifecycle";
import { deleteResponse, loadResponse, locateResponse, purgeExpiredResponses, saveResponse, type ResponseScope } from "@/lib/gateway/responses/store";
import { call, userProject } from "../helpers/http";

afterEach(() => {
  delete process.env.VECSTRUCT_RESPONSES_RETENTION_DAYS;
  resetEnvForTests();
});

const newId = () => `resp_${randomBase62(24)}`;

function responseObject(id: string, text = "Hello!") {
  return {
    id,
    object: "response",
    created_at: 1_765_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    model: "openai/gpt-4o",
    output: [{ type: "message", id: `msg_out${id.slice(5)}`, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] }],
    usage: { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 },
    vecstruct: { audit_id: "aud_x" },
  };
}

async function save(scope: ResponseScope, input: Record<string, unknown>[] = [{ role: "user", content: "Hi" }], id = newId()) {
  await saveResponse(scope, { id, auditId: "aud_x", model: "openai/gpt-4o", response: responseObject(id), input });
  return id;
}

/** An organization with two projects and keys: own-project only, one listing the second project, any project. */
async function tenant(label: string) {
  const u = await userProject(label);
  const second = (await call(projects.POST, { method: "POST", headers: u.headers, body: { name: `${label}-2` } })).body;
  const key = async (body: Record<string, unknown>) => {
    const res = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "k", ...body } });
    expect(res.status).toBe(201);
    return res.body.key as string;
  };
  return {
    ...u,
    scope: { orgId: u.org.id, projectId: u.project.id } as ResponseScope,
    scope2: { orgId: u.org.id, projectId: second.id } as ResponseScope,
    second,
    own: await key({ project_id: u.project.id }),
    ownOfSecond: await key({ project_id: second.id }),
    listing: await key({ project_id: u.project.id, projects: [second.id] }),
    any: await key({ project_id: u.project.id, projects: ["*"] }),
  };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (key: string, id: string, query = "") => call(responseRoute.GET, { headers: bearer(key), params: { id }, path: `/v1/responses/${encodeURIComponent(id)}${query}` });
const del = (key: string, id: string, query = "") => call(responseRoute.DELETE, { method: "DELETE", headers: bearer(key), params: { id }, path: `/v1/responses/${encodeURIComponent(id)}${query}` });
const items = (key: string, id: string, query = "") => call(inputItemsRoute.GET, { headers: bearer(key), params: { id }, path: `/v1/responses/${encodeURIComponent(id)}/input_items${query}` });
const notFoundBody = (id: string) => ({ error: { message: `Response with id '${id}' not found.`, type: "invalid_request_error", param: null, code: null } });

/** The official SDK, its requests answered by the route handlers in-process. */
function sdk(key: string) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const m = /^\/v1\/responses\/([^/]+)(\/input_items)?$/.exec(new URL(req.url).pathname);
    if (!m) return new Response("no route", { status: 599 });
    const params = Promise.resolve({ id: decodeURIComponent(m[1]!) });
    if (m[2]) return inputItemsRoute.GET(req, { params });
    return req.method === "DELETE" ? responseRoute.DELETE(req, { params }) : responseRoute.GET(req, { params });
  };
  return new OpenAI({ apiKey: key, baseURL: "http://localhost/v1", maxRetries: 0, fetch });
}

describe("stored responses: the store", () => {
  it("saves and loads within the project only, minting OpenAI-style ids for items without one", async () => {
    const a = await tenant("rs-store-a");
    const b = await tenant("rs-store-b");
    const input = [
      { role: "user", content: "What is the weather in Paris?" },
      { type: "message", role: "developer", content: [{ type: "input_text", text: "Be brief." }], id: null },
      { type: "reasoning", summary: [], encrypted_content: "gAAAA-opaque" },
      { type: "function_call", call_id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_1", output: "18°C" },
      { type: "custom_tool_call", call_id: "call_2", name: "apply_patch", input: "*** Begin Patch" },
      { type: "item_reference", id: "msg_given" },
      { type: "some_future_item", payload: 1 },
      { type: "message", role: "assistant", content: "kept", id: "msg_keep" },
    ];
    const id = await save(a.scope, input);
    const loaded = await loadResponse(a.scope, id);
    expect(loaded!.response).toEqual(responseObject(id));
    const ids = loaded!.input.map((i) => i.id as string);
    expect(ids.map((x) => x.replace(/_[A-Za-z0-9]{32}$/, "_*"))).toEqual(["msg_*", "msg_*", "rs_*", "fc_*", "fco_*", "ctc_*", "msg_given", "item_*", "msg_keep"]);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything else as given, in order.
    expect(loaded!.input.map(({ id: _, ...rest }) => rest)).toEqual(input.map(({ id: _, ...rest }) => rest));

    // Another project of the organization, another organization: as if it did not exist.
    expect(await loadResponse(a.scope2, id)).toBeNull();
    expect(await loadResponse(b.scope, id)).toBeNull();
    expect(await loadResponse({ orgId: b.org.id, projectId: a.project.id }, id)).toBeNull();
    expect(await deleteResponse(a.scope2, id)).toBe(false);
    expect(await deleteResponse(b.scope, id)).toBe(false);
    expect(await locateResponse(b.org.id, "*", id)).toBeNull();
    expect(await locateResponse(a.org.id, [a.second.id], id)).toBeNull();
    expect(await locateResponse(a.org.id, "*", id)).toBe(a.project.id);
    expect(await loadResponse(a.scope, id)).not.toBeNull();

    // An id that exists (anywhere) is never overwritten.
    await expect(save(b.scope, [], id)).rejects.toThrow();
    expect((await loadResponse(a.scope, id))!.input).toHaveLength(input.length);

    expect(await deleteResponse(a.scope, id)).toBe(true);
    expect(await loadResponse(a.scope, id)).toBeNull();
    expect(await deleteResponse(a.scope, id)).toBe(false);
    expect(await loadResponse(a.scope, "x".repeat(10_000))).toBeNull();
  });

  it("keeps a response VECSTRUCT_RESPONSES_RETENTION_DAYS, never returns it after, and purges it hourly", async () => {
    const a = await tenant("rs-expiry");
    process.env.VECSTRUCT_RESPONSES_RETENTION_DAYS = "2";
    resetEnvForTests();
    const id = await save(a.scope);
    const row = await db().storedResponse.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(2 * 86_400_000);
    delete process.env.VECSTRUCT_RESPONSES_RETENTION_DAYS;
    resetEnvForTests();
    const keep = await save(a.scope);
    const kept = await db().storedResponse.findUniqueOrThrow({ where: { id: keep } });
    expect(kept.expiresAt.getTime() - kept.createdAt.getTime()).toBe(30 * 86_400_000);

    await db().storedResponse.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await loadResponse(a.scope, id)).toBeNull();
    expect(await locateResponse(a.org.id, "*", id)).toBeNull();
    expect(await deleteResponse(a.scope, id)).toBe(false);
    expect((await get(a.own, id)).body).toEqual(notFoundBody(id));
    expect(await db().storedResponse.count({ where: { id } })).toBe(1);

    expect(await purgeExpiredResponses(new Date())).toBeGreaterThanOrEqual(1);
    expect(await db().storedResponse.count({ where: { id } })).toBe(0);
    expect(await loadResponse(a.scope, keep)).not.toBeNull();
    // The hourly housekeeping (timer and cron route) includes it.
    await db().storedResponse.update({ where: { id: keep }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await pruneExpired()).stored_responses).toBeGreaterThanOrEqual(1);
    expect(await db().storedResponse.count({ where: { id: keep } })).toBe(0);
  });

  it("goes with its project (soft delete) and its organization", async () => {
    const a = await tenant("rs-delete");
    const inFirst = await save(a.scope);
    const inSecond = await save(a.scope2);
    const gone = await call(projectRoute.DELETE, { method: "DELETE", headers: a.headers, params: { id: a.second.id } });
    expect(gone.status).toBe(200);
    expect(await db().storedResponse.count({ where: { id: inSecond } })).toBe(0);
    expect(await loadResponse(a.scope, inFirst)).not.toBeNull();

    await db().organization.delete({ where: { id: a.org.id } });
    expect(await db().storedResponse.count({ where: { id: inFirst } })).toBe(0);
  });
});

describe("stored responses: GET/DELETE /v1/responses/{id}, GET …/input_items", () => {
  it("answers the key's projects and the same 404 for everything else", async () => {
    const a = await tenant("rs-get-a");
    const b = await tenant("rs-get-b");
    const id = await save(a.scope);
    const inSecond = await save(a.scope2);

    const ok = await get(a.own, id);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(responseObject(id));
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect((await get(a.any, id)).status).toBe(200);
    expect((await get(a.listing, id)).status).toBe(200);
    // Keys that may use the second project find what is stored there; the own-project key does not.
    expect((await get(a.listing, inSecond)).body).toEqual(responseObject(inSecond));
    expect((await get(a.any, inSecond)).status).toBe(200);
    expect((await get(a.ownOfSecond, inSecond)).status).toBe(200);

    // Unknown, another project of the organization, another organization: one and the same answer.
    const unknown = newId();
    for (const [key, rid] of [[a.own, inSecond], [a.ownOfSecond, id], [b.own, id], [b.any, id], [b.any, inSecond], [a.own, unknown]] as const) {
      for (const res of [await get(key, rid), await items(key, rid), await del(key, rid)]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(notFoundBody(rid));
      }
    }
    // Nothing was deleted by those.
    expect((await get(a.own, id)).status).toBe(200);
    expect((await get(a.ownOfSecond, inSecond)).status).toBe(200);

    // ?project_id= narrows the lookup, with the key's own rules: a project it may not name is a 403.
    expect((await get(a.any, id, `?project_id=${a.project.id}`)).status).toBe(200);
    expect((await get(a.any, id, `?project_id=${a.second.id}`)).body).toEqual(notFoundBody(id));
    const denied = await get(a.own, inSecond, `?project_id=${a.second.id}`);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: "permission_denied", param: "project_id" });
    const foreign = await get(a.any, id, `?project_id=${b.project.id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.param).toBe("project_id");

    // No key, a bad key.
    expect((await call(responseRoute.GET, { params: { id }, path: `/v1/responses/${id}` })).status).toBe(401);
    expect((await get("sk-vs-nope", id)).body.error.code).toBe("invalid_api_key");
    // Replaying a stream is not something a stored response can do: said, not ignored.
    const stream = await get(a.own, id, "?stream=true");
    expect(stream.status).toBe(400);
    expect(stream.body.error.param).toBe("stream");
    expect((await get(a.own, id, "?stream=false&include[]=reasoning.encrypted_content")).status).toBe(200);
  });

  it("never echoes more than a bounded, sanitized id", async () => {
    const a = await tenant("rs-hostile");
    const hostile = `resp_<script>alert(1)</script>"\n${"A".repeat(20_000)}`;
    for (const res of [await get(a.own, hostile), await items(a.own, hostile), await del(a.own, hostile)]) {
      expect(res.status).toBe(404);
      const message = res.body.error.message as string;
      expect(message.length).toBeLessThan(120);
      expect(message).toMatch(/^Response with id 'resp_\?script\?alert\?1\?\?\?script\?\?\?A+…' not found\.$/);
      expect(res.body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    }
    expect((await items(a.own, "resp_x", `?after=${encodeURIComponent(hostile)}`)).status).toBe(400);
  });

  it("deletes once, in OpenAI's shape", async () => {
    const a = await tenant("rs-del");
    const id = await save(a.scope);
    const b = await tenant("rs-del-b");
    expect((await del(b.any, id)).status).toBe(404);
    const res = await del(a.listing, id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, object: "response", deleted: true });
    expect((await get(a.own, id)).body).toEqual(notFoundBody(id));
    expect((await items(a.own, id)).status).toBe(404);
    expect((await del(a.own, id)).body).toEqual(notFoundBody(id));
  });

  it("lists input items newest first by default, pages with limit/after/before, and checks its query", async () => {
    const a = await tenant("rs-items");
    const input = Array.from({ length: 25 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}`, id: `msg_${String(i).padStart(2, "0")}` }));
    input.push({ type: "function_call", call_id: "c1", name: "f", arguments: "{}", id: "fc_25" } as never);
    const id = await save(a.scope, input);
    const ids = (r: { body: { data: { id: string }[] } }) => r.body.data.map((d) => d.id);

    const first = await items(a.own, id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "list", first_id: "fc_25", last_id: "msg_06", has_more: true });
    expect(first.body.data).toHaveLength(20);
    // Messages in OpenAI's listed shape: type, content parts, status.
    expect(first.body.data[1]).toEqual({ id: "msg_24", type: "message", role: "user", content: [{ type: "input_text", text: "m24" }], status: "completed" });
    expect(first.body.data[2]).toEqual({ id: "msg_23", type: "message", role: "assistant", content: [{ type: "output_text", text: "m23", annotations: [] }], status: "completed" });
    expect(first.body.data[0]).toEqual({ type: "function_call", call_id: "c1", name: "f", arguments: "{}", id: "fc_25" });

    const rest = await items(a.own, id, "?after=msg_06");
    expect(ids(rest)).toEqual(["msg_05", "msg_04", "msg_03", "msg_02", "msg_01", "msg_00"]);
    expect(rest.body.has_more).toBe(false);

    const asc = await items(a.own, id, "?order=asc&limit=3");
    expect(ids(asc)).toEqual(["msg_00", "msg_01", "msg_02"]);
    expect(asc.body).toMatchObject({ first_id: "msg_00", last_id: "msg_02", has_more: true });
    expect(ids(await items(a.own, id, "?order=asc&limit=3&after=msg_02"))).toEqual(["msg_03", "msg_04", "msg_05"]);
    // `before`: the items right before it in the listed order.
    const before = await items(a.own, id, "?order=asc&limit=2&before=msg_10");
    expect(ids(before)).toEqual(["msg_08", "msg_09"]);
    expect(before.body.has_more).toBe(true);
    expect(ids(await items(a.own, id, "?order=asc&after=msg_03&before=msg_06"))).toEqual(["msg_04", "msg_05"]);
    const tail = await items(a.own, id, "?order=asc&after=fc_25");
    expect(tail.body).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false });

    for (const [q, param] of [["?limit=0", "limit"], ["?limit=101", "limit"], ["?limit=abc", "limit"], ["?limit=-1", "limit"], ["?order=up", "order"], ["?after=msg_nope", "after"], ["?before=msg_nope", "before"], [`?after=${"x".repeat(300)}`, "after"]]) {
      const res = await items(a.own, id, q);
      expect(res.status, q).toBe(400);
      expect(res.body.error, q).toMatchObject({ type: "invalid_request_error", param });
    }
    expect(ids(await items(a.own, id, "?limit=100"))).toHaveLength(26);
  });

  it("works with the official openai SDK: retrieve, inputItems.list (auto-paging) and delete", async () => {
    const a = await tenant("rs-sdk");
    const input = Array.from({ length: 7 }, (_, i) => ({ role: "user", content: `q${i}` }));
    const id = await save(a.scope, input);
    const client = sdk(a.own);

    const r = await client.responses.retrieve(id);
    expect(r.id).toBe(id);
    expect(r.output_text).toBe("Hello!");

    const seen: string[] = [];
    for await (const item of client.responses.inputItems.list(id, { limit: 3, order: "asc" })) {
      if (item.type === "message") seen.push((item.content[0] as { text: string }).text);
    }
    expect(seen).toEqual(["q0", "q1", "q2", "q3", "q4", "q5", "q6"]);

    await expect(sdk(a.ownOfSecond).responses.retrieve(id)).rejects.toMatchObject({ status: 404 });
    await client.responses.delete(id);
    await expect(client.responses.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("admits the key's rate limits", async () => {
    const a = await tenant("rs-limits");
    const limited = (await call(keys.POST, { method: "POST", headers: a.headers, body: { name: "slow", project_id: a.project.id, rpm_limit: 2 } })).body.key as string;
    const id = await save(a.scope);
    expect((await get(limited, id)).status).toBe(200);
    const second = await items(limited, id);
    expect(second.status).toBe(200);
    expect(second.headers.get("x-ratelimit-limit-requests")).toBe("2");
    const third = await get(limited, id);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe("rate_limit_exceeded");
    expect(third.headers.get("retry-after")).toBeTruthy();
  });
});
