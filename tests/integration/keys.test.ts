import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as keyItem from "@/app/api/keys/[id]/route";
import * as keys from "@/app/api/keys/route";
import * as projects from "@/app/api/projects/route";
import { db } from "@/lib/db";
import { call, signedInUser } from "../helpers/http";

async function userWithProject() {
  const u = await signedInUser("keys");
  const project = (await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "app" } })).body;
  return { ...u, project };
}

describe("API keys", () => {
  it("shows the secret once and stores only its SHA-256 hash", async () => {
    const u = await userWithProject();
    const res = await call(keys.POST, {
      method: "POST",
      headers: u.headers,
      body: { name: "prod", project_id: u.project.id, models: ["openai/gpt-4o", "openai/gpt-4o"], rpm_limit: 60, tpm_limit: 100000, budget_usd: 12.5 },
    });
    expect(res.status).toBe(201);
    const key: string = res.body.key;
    expect(key).toMatch(/^sk-vs-[A-Za-z0-9]{40}$/);
    expect(res.body).toMatchObject({
      object: "api_key",
      name: "prod",
      project_id: u.project.id,
      status: "active",
      prefix: key.slice(0, 12),
      models: ["openai/gpt-4o"],
      rpm_limit: 60,
      tpm_limit: 100000,
      budget_usd: 12.5,
      spent_usd: 0,
      expires_at: null,
    });

    const row = await db().apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(key.slice(12));
    expect(row.budgetMicros).toBe(12_500_000n);

    const got = await call(keyItem.GET, { headers: u.headers, params: { id: res.body.id } });
    expect(got.status).toBe(200);
    expect(got.body.key).toBeUndefined();
    const list = await call(keys.GET, { headers: u.headers, path: `/api/keys?project_id=${u.project.id}` });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].key).toBeUndefined();
  });

  it("generates distinct keys", async () => {
    const u = await userWithProject();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      seen.add((await call(keys.POST, { method: "POST", headers: u.headers, body: { name: `k${i}`, project_id: u.project.id } })).body.key);
    }
    expect(seen.size).toBe(5);
  });

  it("revokes idempotently and keeps the row", async () => {
    const u = await userWithProject();
    const created = (await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "tmp", project_id: u.project.id } })).body;
    const revoked = await call(keyItem.DELETE, { method: "DELETE", headers: u.headers, params: { id: created.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const again = await call(keyItem.DELETE, { method: "DELETE", headers: u.headers, params: { id: created.id } });
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);
    expect((await call(keys.GET, { headers: u.headers })).body.data[0].status).toBe("revoked");
  });

  it("accepts a future expiry and rejects a past one", async () => {
    const u = await userWithProject();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "e", project_id: u.project.id, expires_at: future } });
    expect(ok.status).toBe(201);
    expect(ok.body.expires_at).toBe(future);
    const past = await call(keys.POST, {
      method: "POST",
      headers: u.headers,
      body: { name: "e", project_id: u.project.id, expires_at: "2020-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ code: "invalid_value", param: "expires_at", type: "invalid_request_error" });
  });

  it.each([
    [{ project_id: "x" }, "missing_required_parameter", "name"],
    [{ name: "k" }, "missing_required_parameter", "project_id"],
    [{ name: "k", project_id: "P", models: "openai/gpt-4o" }, "invalid_value", "models"],
    [{ name: "k", project_id: "P", models: ["gpt-4o"] }, "invalid_value", "models[0]"],
    [{ name: "k", project_id: "P", rpm_limit: -1 }, "invalid_value", "rpm_limit"],
    [{ name: "k", project_id: "P", rpm_limit: 1.5 }, "invalid_value", "rpm_limit"],
    [{ name: "k", project_id: "P", budget_usd: "10" }, "invalid_value", "budget_usd"],
    [{ name: "k", project_id: "P", expires_at: "tomorrow" }, "invalid_value", "expires_at"],
    [{ name: "k", project_id: "P", scopes: ["all"] }, "unsupported_parameter", "scopes"],
  ])("rejects %j (%s on %s)", async (body, code, param) => {
    const u = await userWithProject();
    const withProject = JSON.parse(JSON.stringify(body).replace('"P"', JSON.stringify(u.project.id)));
    const res = await call(keys.POST, { method: "POST", headers: u.headers, body: withProject });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code, param });
  });

  it("answers 404 for a project that does not exist or is deleted", async () => {
    const u = await userWithProject();
    const res = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "k", project_id: "nope" } });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found", param: "project_id" });
  });
});

describe("API keys: other projects they may name (projects)", () => {
  it("stores a list of the organization's projects or [\"*\"], and 404s a project of another organization", async () => {
    const u = await userWithProject();
    const sibling = (await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "sibling" } })).body;
    const stranger = await userWithProject();

    const listed = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "listed", project_id: u.project.id, projects: [sibling.id, sibling.id] } });
    expect(listed.status).toBe(201);
    expect(listed.body.projects).toEqual([sibling.id]);
    const stored = await call(keyItem.GET, { headers: u.headers, params: { id: listed.body.id } });
    expect(stored.body.projects).toEqual([sibling.id]);

    const any = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "any", project_id: u.project.id, projects: ["*"] } });
    expect(any.body.projects).toEqual(["*"]);
    const none = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "none", project_id: u.project.id } });
    expect(none.body.projects).toBeNull();

    const foreign = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "foreign", project_id: u.project.id, projects: [sibling.id, stranger.project.id] } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: "not_found", param: "projects[1]" });
    const unknown = await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "unknown", project_id: u.project.id, projects: ["proj_nope"] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(foreign.body.error.message);
    expect(await db().apiKey.count({ where: { name: { in: ["foreign", "unknown"] }, orgId: u.org.id } })).toBe(0);
  });
});

describe("CSRF on the management API (cookie-authenticated changes)", () => {
  it("refuses a session change from another origin, or without one, and creates nothing", async () => {
    const u = await userWithProject();
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "http://localhost:8080", "sec-fetch-site": "same-site" },
      { origin: "http://app.localhost", "sec-fetch-site": "same-site" },
      { origin: "" },
      { origin: "http://localhost", "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attempts) {
      const res = await call(keys.POST, { method: "POST", headers: { ...u.headers, ...headers }, body: { name: "forged", project_id: u.project.id } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error).toMatchObject({ type: "permission_error", code: "permission_denied" });
    }
    const form = await call(keys.POST, { method: "POST", headers: { ...u.headers, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, rawBody: "name=forged" });
    expect(form.status).toBe(403);
    expect(await db().apiKey.count({ where: { orgId: u.org.id } })).toBe(0);
    // The console's own call (same origin, JSON) goes through.
    expect((await call(keys.POST, { method: "POST", headers: u.headers, body: { name: "mine", project_id: u.project.id } })).status).toBe(201);
  });
});
