import { describe, expect, it } from "vitest";
import * as keyItem from "@/app/api/keys/[id]/route";
import * as keys from "@/app/api/keys/route";
import * as orgs from "@/app/api/orgs/route";
import * as projectItem from "@/app/api/projects/[id]/route";
import * as projects from "@/app/api/projects/route";
import { call, signedInUser } from "../helpers/http";

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

    expect((await call(projects.GET, { headers: b.headers })).body.data).toEqual([]);
    expect((await call(keys.GET, { headers: b.headers })).body.data).toEqual([]);
    const bOrgs = (await call(orgs.GET, { headers: b.headers })).body.data;
    expect(bOrgs.map((o: { id: string }) => o.id)).toEqual([b.org.id]);

    // A's data is untouched.
    const mine = await call(projectItem.GET, { headers: a.headers, params: { id: project.id } });
    expect(mine.body.name).toBe("secret");
    expect((await call(keyItem.GET, { headers: a.headers, params: { id: key.id } })).body.status).toBe("active");
  });
});
