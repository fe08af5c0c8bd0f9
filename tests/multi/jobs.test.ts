// Background jobs across two instances (one PostgreSQL): documents uploaded to either instance are
// ingested once each, and a document whose instance died mid-ingestion is taken over by a live
// instance once the dead one's lease is over (VECSTRUCT_JOB_LEASE_MS is 3 s in this suite).
import { describe, expect, inject, it } from "vitest";
import { baseURL, dbQuery, dbWrite, orgWithKey, until } from "../gateway/helpers";

const adminKey = inject("adminKey");

async function upload(instance: number, projectId: string, title: string, content: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/projects/${projectId}/documents`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json", "x-cluster-instance": String(instance) },
    body: JSON.stringify({ title, content }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const statusOf = async (id: string) => (await dbQuery<{ status: string }>(`SELECT status FROM documents WHERE id = ?`, id))[0]?.status;
const ingestRows = (id: string) =>
  dbQuery<{ status: string }>(`SELECT status FROM audit_logs WHERE endpoint = 'ingest:embeddings' AND CAST(metadata AS TEXT) LIKE ?`, `%${id}%`);

describe("background jobs on two instances", () => {
  it("ingests every document uploaded to either instance exactly once", async () => {
    const a = await orgWithKey("multi-ingest-a");
    const b = await orgWithKey("multi-ingest-b");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const org = i % 2 === 0 ? a : b;
      ids.push(await upload(i % 2, org.projectId, `doc ${i}`, `# Doc ${i}\n\nThe warranty of product ${i} lasts ${i + 1} years.`));
    }
    await until(async () => (await Promise.all(ids.map(statusOf))).every((s) => s === "ready"), 30_000);
    await until(async () => (await Promise.all(ids.map(ingestRows))).every((rows) => rows.length === 1), 5_000);
    for (const id of ids) expect((await ingestRows(id)).map((r) => r.status)).toEqual(["success"]);
    const [left] = await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE kind = 'ingest'`);
    expect(Number(left!.n)).toBe(0);
  }, 60_000);

  it("takes over a document whose instance died mid-ingestion once its lease ends", async () => {
    const a = await orgWithKey("multi-lease");
    const id = await upload(0, a.projectId, "survivor", "# Survivor\n\nThis document outlives the instance that first took it.");
    await until(async () => (await statusOf(id)) === "ready", 30_000);
    // As an instance leaves it when it dies mid-document: processing, its job running under a lease
    // that is still valid for a moment.
    await dbWrite(`UPDATE documents SET status = 'processing', "chunkCount" = 0 WHERE id = ?`, id);
    const lease = new Date(Date.now() + 1_000).toISOString();
    await dbWrite(
      `INSERT INTO jobs (id, "orgId", kind, payload, status, attempts, "runAt", "createdAt", "updatedAt") VALUES (?, ?, 'ingest', ?, 'running', 1, ?, now(), now())`,
      `job_dead_${Date.now()}`, a.orgId, JSON.stringify({ documentId: id }), lease,
    );
    // Nobody enqueues anything: a live instance finds the job when polling after the lease.
    await until(async () => (await statusOf(id)) === "ready", 20_000);
    await until(async () => (await ingestRows(id)).length === 2, 5_000);
    expect((await ingestRows(id)).map((r) => r.status)).toEqual(["success", "success"]);
    const [left] = await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE kind = 'ingest' AND CAST(payload AS TEXT) LIKE ?`, `%${id}%`);
    expect(Number(left!.n)).toBe(0);
  }, 60_000);
});
