// Read-your-writes: what a response just said exists can be read, and what was just deleted is gone.
// Audit rows are batched after the response, so an audit id read at once answered 404 under load;
// a memory deleted while an earlier request's learning was still queued came back and was injected.
import { describe, expect, inject, it } from "vitest";
import { admin, baseURL, client, dbQuery, dbWrite, lastUpstreamRequest, newKey, until } from "./helpers";

const adminGet = (path: string) => fetch(`${baseURL}${path}`, { headers: { authorization: `Bearer ${inject("adminKey")}` } });
const orgOf = async (projectId: string) => (await dbQuery<{ orgId: string }>(`SELECT "orgId" FROM projects WHERE id = ?`, projectId))[0]!.orgId;
const adminDelete = (path: string) => fetch(`${baseURL}${path}`, { method: "DELETE", headers: { authorization: `Bearer ${inject("adminKey")}` } });

describe("read-your-writes", () => {
  it("GET /api/audit-logs/{id} finds the row of a response that just returned, under a burst", async () => {
    const { key } = await newKey();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${baseURL}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "openai/gpt-4o", max_tokens: 16, messages: [{ role: "user", content: `ryw ${i}` }] }),
        }),
      ),
    );
    const ids = replies.map((r) => r.headers.get("x-vecstruct-audit-id")!);
    expect(replies.every((r) => r.status === 200)).toBe(true);
    // Each read right after its response, as the playground's "Audit entry" link does.
    const details = await Promise.all(ids.map((id) => adminGet(`/api/audit-logs/${id}`)));
    expect(details.map((d) => d.status)).toEqual(ids.map(() => 200));
    const bodies = await Promise.all(details.map((d) => d.json()));
    expect(bodies.map((b) => b.id)).toEqual(ids);
    expect(bodies.every((b) => b.status === "success" && b.endpoint === "/v1/chat/completions")).toBe(true);
  });

  it("an audit id that does not exist (or another organization's) is still a 404", async () => {
    const res = await adminGet(`/api/audit-logs/aud_${"x".repeat(24)}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBeTruthy();
    const other = await admin("/api/orgs", { name: "ryw-other" });
    const project = await admin("/api/projects", { name: "p", org_id: other.id });
    const k = await admin("/api/keys", { name: "k", project_id: project.id, org_id: other.id });
    const reply = await client(k.key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "ryw other org" }] }).withResponse();
    const id = reply.response.headers.get("x-vecstruct-audit-id")!;
    // Acting inside another organization (org_id), the row is not found; inside its own it is.
    const { projectId } = await newKey();
    const defaultOrg = await orgOf(projectId);
    expect((await adminGet(`/api/audit-logs/${id}?org_id=${defaultOrg}`)).status).toBe(404);
    expect((await adminGet(`/api/audit-logs/${id}?org_id=${other.id}`)).status).toBe(200);
  });

  it("a deleted memory is not learned back by an earlier request's pending learning, nor injected", async () => {
    const { key, projectId } = await newKey();
    const ask = (content: string) =>
      client(key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content }], vecstruct: { use_memory: true, metadata: { user_id: "rex-owner" } } } as never) as Promise<any>;
    const memories = async () => (await admin(`/api/projects/${projectId}/memories?user_id=rex-owner`)).data as { id: string; content: string }[];

    await ask("I have a dog named Rex.");
    await until(async () => (await memories()).length === 1);
    const [memory] = await memories();
    const orgId = await orgOf(projectId);
    // Under load, a second request that said the same thing still has its learning queued (waiting
    // for a retry): as the jobs table holds it.
    const payload = { orgId, projectId, userId: "rex-owner", statements: ["I have a dog named Rex."], auditId: "aud_earlier", model: null, reply: "" };
    const soon = new Date(Date.now() + 1_500).toISOString().replace("Z", "+00:00");
    const now = new Date().toISOString().replace("Z", "+00:00");
    await dbWrite(
      `INSERT INTO jobs (id, "orgId", kind, payload, status, attempts, "runAt", "createdAt", "updatedAt") VALUES (?, ?, 'memory_extract', ?, 'queued', 1, ?, ?, ?)`,
      `job_ryw_${Date.now()}`, orgId, JSON.stringify(payload), soon, now, now,
    );

    const del = await adminDelete(`/api/memories/${memory!.id}`);
    expect(del.status).toBe(200);
    expect(await memories()).toEqual([]);

    // After the pending job's time: this request's own learning runs the queue (its question stores nothing).
    await new Promise((r) => setTimeout(r, 1_600));
    await ask("Is it going to rain today?");
    const pendingFor = async () =>
      (await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE kind = 'memory_extract' AND CAST(payload AS TEXT) LIKE ?`, `%${projectId}%`))[0]!.n;
    await until(async () => Number(await pendingFor()) === 0);

    const reply = await ask("What is the name of my dog?");
    expect(reply.vecstruct.memory_used).toBe(false);
    expect(JSON.stringify((await lastUpstreamRequest("What is the name of my dog?")).body.messages)).not.toContain("Rex");
    expect((await memories()).map((m) => m.content)).not.toContain("I have a dog named Rex.");

    // Learning goes on for what is said after the deletion.
    await ask("I have a cat named Tom.");
    await until(async () => (await memories()).some((m) => m.content === "I have a cat named Tom."));
  });

  it("forgetting a user also cancels that user's pending learning", async () => {
    const { key, projectId } = await newKey();
    const orgId = await orgOf(projectId);
    const payload = { orgId, projectId, userId: "forgotten", statements: ["My password hint is blue."], auditId: "aud_before", model: null, reply: "" };
    const soon = new Date(Date.now() + 1_500).toISOString().replace("Z", "+00:00");
    const now = new Date().toISOString().replace("Z", "+00:00");
    await dbWrite(
      `INSERT INTO jobs (id, "orgId", kind, payload, status, attempts, "runAt", "createdAt", "updatedAt") VALUES (?, ?, 'memory_extract', ?, 'queued', 1, ?, ?, ?)`,
      `job_forget_${Date.now()}`, orgId, JSON.stringify(payload), soon, now, now,
    );
    const res = await adminDelete(`/api/projects/${projectId}/memories?user_id=forgotten`);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_600));
    // Kick the queue with an unrelated user's request, then wait for it to drain.
    await client(key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hello there, I like tea." }], vecstruct: { use_memory: true, metadata: { user_id: "someone-else" } } } as never);
    await until(async () => Number((await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE kind = 'memory_extract' AND CAST(payload AS TEXT) LIKE ?`, `%${projectId}%`))[0]!.n) === 0);
    expect((await admin(`/api/projects/${projectId}/memories?user_id=forgotten`)).data).toEqual([]);
  });
});
