import { describe, expect, it } from "vitest";
import * as documentItem from "@/app/api/documents/[id]/route";
import * as keyItem from "@/app/api/keys/[id]/route";
import * as keys from "@/app/api/keys/route";
import * as orgs from "@/app/api/orgs/route";
import * as projectDocuments from "@/app/api/projects/[id]/documents/route";
import * as projectItem from "@/app/api/projects/[id]/route";
import * as projects from "@/app/api/projects/route";
import { adminHeaders, call, signedInUser } from "../helpers/http";

describe("tenant isolation", () => {
  it("answers 404 to user B for everything of user A", async () => {
    const a = await signedInUser("alice");
    const b = await signedInUser("bob");
    const project = (await call(projects.POST, { method: "POST", headers: a.headers, body: { name: "secret" } })).body;
    const key = (await call(keys.POST, { method: "POST", headers: a.headers, body: { name: "k", project_id: project.id } })).body;

    const attempts = [
      await call(projectItem.GET, { headers: b.headers, params: { id: project.id } }),
      await call(projectItem.PATCH, { method: "PATCH", headers: b.headers, params: { id: project.id }, body: { name: "pwned" } }),
      await call(projectItem.DELETE, { method: "DELETE", headers: b.headers, params: { id: project.id } }),
      await call(keyItem.GET, { headers: b.headers, params: { id: key.id } }),
      await call(keyItem.DELETE, { method: "DELETE", headers: b.headers, params: { id: key.id } }),
      await call(keys.POST, { method: "POST", headers: b.headers, body: { name: "k", project_id: project.id } }),
      await call(keys.GET, { headers: b.headers, path: `/api/keys?project_id=${project.id}` }),
      await call(projects.GET, { headers: b.headers, path: `/api/projects?org_id=${a.org.id}` }),
      await call(projects.POST, { method: "POST", headers: b.headers, body: { name: "x", org_id: a.org.id } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body.error.type).toBe("invalid_request_error");
      expect(res.body.error.code).toBe("not_found");
    }

    // B's list holds only B's own (default) project: nothing of A's.
    expect((await call(projects.GET, { headers: b.headers })).body.data.map((p: { org_id: string; name: string }) => [p.org_id, p.name])).toEqual([[b.org.id, "Default"]]);
    expect((await call(keys.GET, { headers: b.headers })).body.data).toEqual([]);
    const bOrgs = (await call(orgs.GET, { headers: b.headers })).body.data;
    expect(bOrgs.map((o: { id: string }) => o.id)).toEqual([b.org.id]);

    // A's data is untouched.
    const mine = await call(projectItem.GET, { headers: a.headers, params: { id: project.id } });
    expect(mine.body.name).toBe("secret");
    expect((await call(keyItem.GET, { headers: a.headers, params: { id: key.id } })).body.status).toBe("active");
  });

  it("answers 404 to the operator acting inside organization B (org_id) for ids of organization A", async () => {
    const a = await signedInUser("owner-a");
    const b = await signedInUser("owner-b");
    const project = (await call(projects.POST, { method: "POST", headers: a.headers, body: { name: "a-only" } })).body;
    const key = (await call(keys.POST, { method: "POST", headers: a.headers, body: { name: "k", project_id: project.id } })).body;
    const doc = await call(projectDocuments.POST, { method: "POST", headers: a.headers, params: { id: project.id }, body: { title: "t", content: "A's text" } });
    expect(doc.status).toBe(201);
    const asB = `?org_id=${b.org.id}`;
    const attempts = [
      await call(projectItem.GET, { headers: adminHeaders, path: `/api/projects/${project.id}${asB}`, params: { id: project.id } }),
      await call(projectItem.PATCH, { method: "PATCH", headers: adminHeaders, path: `/api/projects/${project.id}${asB}`, params: { id: project.id }, body: { name: "pwned" } }),
      await call(keyItem.GET, { headers: adminHeaders, path: `/api/keys/${key.id}${asB}`, params: { id: key.id } }),
      await call(keyItem.DELETE, { method: "DELETE", headers: adminHeaders, path: `/api/keys/${key.id}${asB}`, params: { id: key.id } }),
      await call(documentItem.GET, { headers: adminHeaders, path: `/api/documents/${doc.body.id}${asB}`, params: { id: doc.body.id } }),
      await call(documentItem.DELETE, { method: "DELETE", headers: adminHeaders, path: `/api/documents/${doc.body.id}${asB}`, params: { id: doc.body.id } }),
      await call(projectItem.DELETE, { method: "DELETE", headers: adminHeaders, path: `/api/projects/${project.id}${asB}`, params: { id: project.id } }),
    ];
    for (const res of attempts) expect([res.status, res.body.error?.code]).toEqual([404, "not_found"]);

    // Nothing changed; with A's org_id (or none) the operator reaches the same rows.
    expect((await call(projectItem.GET, { headers: a.headers, params: { id: project.id } })).body.name).toBe("a-only");
    expect((await call(keyItem.GET, { headers: a.headers, params: { id: key.id } })).body.status).toBe("active");
    expect((await call(documentItem.GET, { headers: a.headers, params: { id: doc.body.id } })).status).toBe(200);
    const asA = await call(projectItem.GET, { headers: adminHeaders, path: `/api/projects/${project.id}?org_id=${a.org.id}`, params: { id: project.id } });
    expect(asA.status).toBe(200);
    expect((await call(projectItem.GET, { headers: adminHeaders, params: { id: project.id } })).status).toBe(200);
  });
});
