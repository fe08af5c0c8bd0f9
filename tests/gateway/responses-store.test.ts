// GET/DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items over HTTP against the built
// app, with the official openai SDK. Stored responses are written into the suite's database directly
// (as POST /v1/responses would have stored them): the lead's end-to-end tests create them via POST.
// Cross-tenant: another project of the organization and another organization answer 404 on every
// route, exactly like an unknown id (issue 17, "Tests").
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { admin, baseURL, client, dbQuery, dbWrite, orgWithKey } from "./helpers";

const stamp = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const newId = () => `resp_gw${randomBytes(12).toString("hex")}`;

function responseObject(id: string, text: string) {
  return {
    id,
    object: "response",
    created_at: 1_765_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    model: "openai/gpt-4o",
    output: [{ type: "message", id: `msg_o${id.slice(7)}`, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] }],
    usage: { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 },
  };
}

/** A row as the store writes it (ids on every item, JSON text columns). */
async function seed(orgId: string, projectId: string, opts: { items?: number; expiresInMs?: number; text?: string } = {}) {
  const id = newId();
  const input = Array.from({ length: opts.items ?? 3 }, (_, i) => ({ role: "user", content: `q${i}`, id: `msg_${id.slice(7)}_${i}` }));
  const now = Date.now();
  await dbWrite(
    `INSERT INTO stored_responses (id, "orgId", "projectId", "auditId", model, response, input, "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, orgId, projectId, "aud_gw", "openai/gpt-4o", JSON.stringify(responseObject(id, opts.text ?? "Hello!")), JSON.stringify(input), stamp(now), stamp(now + (opts.expiresInMs ?? 86_400_000)),
  );
  return id;
}

const req = (key: string, path: string, method = "GET") => fetch(`${baseURL}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
const notFoundBody = (id: string) => ({ error: { message: `Response with id '${id}' not found.`, type: "invalid_request_error", param: null, code: null } });

describe("stored responses over HTTP", () => {
  it("retrieve, list input items (paged) and delete with the openai SDK", async () => {
    const a = await orgWithKey("resp-gw-sdk");
    const id = await seed(a.orgId, a.projectId, { items: 5 });
    const sdk = client(a.key);

    const r = await sdk.responses.retrieve(id);
    expect(r).toMatchObject({ id, object: "response", status: "completed" });
    expect(r.output_text).toBe("Hello!");

    const page = await sdk.responses.inputItems.list(id, { limit: 2 });
    expect(page.data.map((i) => i.id)).toEqual([`msg_${id.slice(7)}_4`, `msg_${id.slice(7)}_3`]);
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const item of sdk.responses.inputItems.list(id, { limit: 2, order: "asc" })) {
      if (item.type === "message") all.push((item.content[0] as { text: string }).text);
    }
    expect(all).toEqual(["q0", "q1", "q2", "q3", "q4"]);

    const raw = await req(a.key, `/v1/responses/${id}/input_items?limit=101`);
    expect(raw.status).toBe(400);
    expect((await raw.json()).error).toMatchObject({ type: "invalid_request_error", param: "limit" });

    await sdk.responses.delete(id);
    await expect(sdk.responses.retrieve(id)).rejects.toMatchObject({ status: 404 });
    expect(await dbQuery(`SELECT id FROM stored_responses WHERE id = ?`, id)).toEqual([]);
  });

  it("another project's or organization's id is a 404 like an unknown one, on every route", async () => {
    const a = await orgWithKey("resp-gw-a");
    const b = await orgWithKey("resp-gw-b");
    const second = await admin("/api/projects", { name: "second", org_id: a.orgId });
    const secondKey = (await admin("/api/keys", { name: "k2", project_id: second.id, org_id: a.orgId })).key as string;
    const anyKey = (await admin("/api/keys", { name: "any", project_id: a.projectId, org_id: a.orgId, projects: ["*"] })).key as string;
    const id = await seed(a.orgId, a.projectId);
    const expired = await seed(a.orgId, a.projectId, { expiresInMs: -1_000 });
    const unknown = newId();

    const routes = (rid: string) => [
      [`/v1/responses/${rid}`, "GET"],
      [`/v1/responses/${rid}/input_items`, "GET"],
      [`/v1/responses/${rid}`, "DELETE"],
    ] as const;
    for (const [key, rid] of [[secondKey, id], [b.key, id], [a.key, unknown], [a.key, expired], [anyKey, expired]] as const) {
      for (const [path, method] of routes(rid)) {
        const res = await req(key, path, method);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.json()).toEqual(notFoundBody(rid));
      }
    }
    // Still there for its own project, and for a key that may use every project of the organization.
    expect((await req(a.key, `/v1/responses/${id}`)).status).toBe(200);
    const viaAny = await req(anyKey, `/v1/responses/${id}`);
    expect(await viaAny.json()).toEqual(responseObject(id, "Hello!"));
    // Naming a project the key may not use is the key's 403, not a lookup.
    const named = await req(secondKey, `/v1/responses/${id}?project_id=${a.projectId}`);
    expect(named.status).toBe(403);
    expect((await named.json()).error).toMatchObject({ code: "permission_denied", param: "project_id" });
    // No key at all.
    expect((await fetch(`${baseURL}/v1/responses/${id}`)).status).toBe(401);
  });

  it("bounds and sanitizes a hostile id, and unknown sub-routes stay 404", async () => {
    const a = await orgWithKey("resp-gw-hostile");
    const hostile = encodeURIComponent(`resp_"<b>\u0000${"Z".repeat(5_000)}`);
    const res = await req(a.key, `/v1/responses/${hostile}`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.message.length).toBeLessThan(120);
    expect(body.error.message).not.toMatch(/[<>"\u0000]/);
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    expect((await req(a.key, `/v1/responses/resp_x/other`)).status).toBe(404);
  });
});
