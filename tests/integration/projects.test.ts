import { describe, expect, it } from "vitest";
import * as projectItem from "@/app/api/projects/[id]/route";
import * as projects from "@/app/api/projects/route";
import { adminHeaders, call, signedInUser } from "../helpers/http";

describe("projects API", () => {
  it("creates, reads, updates, lists and deletes a project", async () => {
    const u = await signedInUser("proj");
    const home = (await call(projects.GET, { headers: u.headers })).body.data[0]; // every organization starts with one
    expect(home.name).toBe("Default");
    const created = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "Support bot", description: "FAQ" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "project", name: "Support bot", description: "FAQ", org_id: u.org.id });
    const id = created.body.id as string;

    const got = await call(projectItem.GET, { headers: u.headers, params: { id } });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);

    const patched = await call(projectItem.PATCH, { method: "PATCH", headers: u.headers, params: { id }, body: { name: "Renamed" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Renamed", description: "FAQ" });

    const list = await call(projects.GET, { headers: u.headers });
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([id, home.id]);
    expect(list.body.next_cursor).toBeNull();

    const deleted = await call(projectItem.DELETE, { method: "DELETE", headers: u.headers, params: { id } });
    expect(deleted.body).toEqual({ id, object: "project.deleted", deleted: true });
    expect((await call(projectItem.GET, { headers: u.headers, params: { id } })).status).toBe(404);
    expect((await call(projects.GET, { headers: u.headers })).body.data.map((p: { id: string }) => p.id)).toEqual([home.id]);
  });

  it("pages with a stable cursor and no duplicates", async () => {
    const u = await signedInUser("pager");
    const ids: string[] = [(await call(projects.GET, { headers: u.headers })).body.data[0].id]; // the default project
    for (let i = 0; i < 5; i++) {
      ids.push((await call(projects.POST, { method: "POST", headers: u.headers, body: { name: `p${i}` } })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await call(projects.GET, { headers: u.headers, path: `/api/projects${query}` });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((p: { id: string }) => p.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(ids));
    // newest first
    expect(seen[0]).toBe(ids[5]);
  });

  it.each([
    [{}, 400, "missing_required_parameter", "name"],
    [{ name: "" }, 400, "invalid_value", "name"],
    [{ name: 42 }, 400, "invalid_value", "name"],
    [{ name: "x".repeat(101) }, 400, "invalid_value", "name"],
    [{ name: "ok", color: "red" }, 400, "unsupported_parameter", "color"],
    [{ name: "ok", description: ["a"] }, 400, "invalid_value", "description"],
    [[1, 2], 400, "invalid_value", null],
    ["just a string", 400, "invalid_value", null],
  ])("rejects body %j with %i %s", async (body, status, code, param) => {
    const u = await signedInUser("val");
    const res = await call(projects.POST, { method: "POST", headers: u.headers, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code, param });
    expect(typeof res.body.error.message).toBe("string");
  });

  it("rejects malformed JSON and bad query parameters with the documented body", async () => {
    const u = await signedInUser("json");
    const bad = await call(projects.POST, { method: "POST", headers: { ...u.headers, "content-type": "application/json" }, rawBody: "{nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");
    for (const q of ["limit=0", "limit=201", "limit=abc", "cursor=%%%", "unknown=1"]) {
      const res = await call(projects.GET, { headers: u.headers, path: `/api/projects?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.body.error.type).toBe("invalid_request_error");
    }
    const big = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "x", description: "y".repeat(2_000_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("request_too_large");
  });

  it("requires authentication", async () => {
    const none = await call(projects.GET);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: "invalid_request_error", code: "unauthenticated" });
    const wrongKey = await call(projects.GET, { headers: { authorization: "Bearer not-the-admin-key" } });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.code).toBe("invalid_api_key");
    const forged = await call(projects.GET, { headers: { cookie: "authjs.session-token=forged.jwt.value" } });
    expect(forged.status).toBe(401);
  });

  it("lets the operator act on the default organization or a named one", async () => {
    const created = await call(projects.POST, { method: "POST", headers: adminHeaders, body: { name: "ops" } });
    expect(created.status).toBe(201);
    expect(created.body.org_id).toBe("org_default");
    const u = await signedInUser("tenant");
    const home = (await call(projects.GET, { headers: u.headers })).body.data[0];
    const theirs = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "theirs" } });
    const listed = await call(projects.GET, { headers: adminHeaders, path: `/api/projects?org_id=${u.org.id}` });
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([theirs.body.id, home.id]);
    const missing = await call(projects.GET, { headers: adminHeaders, path: "/api/projects?org_id=org_nope" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.param).toBe("org_id");
  });
});
