// The background-job runner (lib/jobs/runner.ts) that ingestion and memory learning share: jobs live
// in the jobs table, organizations take turns, a kind may run one job per organization at a time, a
// claim is a lease that another instance takes over only once it ran out, shutdown hands running jobs
// back, and its state is one per process even when Next evaluates the module in two bundles
// (simulated with a second module graph, vi.resetModules).
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { jobQueue, type JobContext } from "@/lib/jobs/runner";
import { closeLocalEmbeddings } from "@/lib/rag/embeddings/local";
import { INGEST_JOB_KIND, ingestionIdle, pendingIngestion, resumeIngestion } from "@/lib/rag/ingest";
import { signedInUser } from "../helpers/http";

afterAll(async () => {
  await closeLocalEmbeddings();
});

/** A run function that records what ran and holds each job until the test lets it go. */
function recorder() {
  const ran: { org: string | null; tag: string }[] = [];
  const holds = new Map<string, () => void>();
  const running = new Map<string | null, number>();
  let maxPerOrg = 0;
  const run = async (payload: { tag: string }, job: JobContext) => {
    ran.push({ org: job.orgId, tag: payload.tag });
    running.set(job.orgId, (running.get(job.orgId) ?? 0) + 1);
    maxPerOrg = Math.max(maxPerOrg, running.get(job.orgId)!);
    await new Promise<void>((resolve) => holds.set(payload.tag, resolve));
    running.set(job.orgId, running.get(job.orgId)! - 1);
  };
  return {
    run,
    ran,
    maxPerOrg: () => maxPerOrg,
    /** Waits until `tag` is running, then lets it finish. */
    async release(tag: string) {
      while (!holds.has(tag)) await new Promise((r) => setTimeout(r, 5));
      holds.get(tag)!();
    },
    isRunning: (tag: string) => holds.has(tag),
  };
}

describe("background-job runner", () => {
  it("organizations take turns, one job of an organization at a time, even when two bundles queue them", async () => {
    const a = await signedInUser("turns-a");
    const b = await signedInUser("turns-b");
    const rec = recorder();
    const def = { kind: "test_turns", concurrency: () => 1, onePerOrg: true, maxAttempts: 1, retryDelayMs: () => 0, run: rec.run };
    const one = jobQueue<{ tag: string }>(def);
    // The same kind defined again in a second copy of the module, as a second Next bundle would.
    vi.resetModules();
    const other = (await import("@/lib/jobs/runner")).jobQueue<{ tag: string }>(def);

    await one.enqueueDurably(a.org.id, { tag: "a1" });
    await other.enqueueDurably(a.org.id, { tag: "a2" });
    await one.enqueueDurably(a.org.id, { tag: "a3" });
    // Both bundles' gauges count every queued job.
    expect(one.pending()).toBe(3);
    expect(other.pending()).toBe(3);
    await other.enqueueDurably(b.org.id, { tag: "b1" });
    // A's backlog was queued first, but B's job goes next.
    await rec.release("a1");
    await rec.release("b1");
    await rec.release("a2");
    await rec.release("a3");
    await one.idle();
    await other.idle();
    expect(rec.maxPerOrg()).toBe(1);
    expect(rec.ran.map((r) => r.tag)).toEqual(["a1", "b1", "a2", "a3"]);
    expect(await db().job.count({ where: { kind: "test_turns" } })).toBe(0);
    expect(one.pending()).toBe(0);
  });

  it("leaves a job leased by a live instance alone, takes it over once the lease ran out", async () => {
    const a = await signedInUser("lease");
    const rec = recorder();
    const q = jobQueue<{ tag: string }>({ kind: "test_lease", concurrency: () => 2, onePerOrg: false, maxAttempts: 3, retryDelayMs: () => 0, run: rec.run });
    // Claimed by another instance whose lease still runs.
    const job = await db().job.create({ data: { orgId: a.org.id, kind: "test_lease", payload: { tag: "leased" }, status: "running", attempts: 1, runAt: new Date(Date.now() + 60_000) } });
    await q.enqueueDurably(a.org.id, { tag: "fresh" });
    await rec.release("fresh");
    await q.idle();
    expect(rec.ran.map((r) => r.tag)).toEqual(["fresh"]);
    expect(await db().job.findUnique({ where: { id: job.id } })).toMatchObject({ status: "running", attempts: 1 });

    // That instance died: its lease ends, and this one takes the job over (as the second attempt).
    await db().job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1_000) } });
    q.kick();
    await rec.release("leased");
    await q.idle();
    expect(rec.ran.map((r) => r.tag)).toEqual(["fresh", "leased"]);
    expect(await db().job.findUnique({ where: { id: job.id } })).toBeNull();
  });

  it("hands running jobs back on shutdown (release), also those another bundle started, with their lease ended", async () => {
    const a = await signedInUser("release");
    const rec = recorder();
    const def = { kind: "test_release", concurrency: () => 1, onePerOrg: false, maxAttempts: 3, retryDelayMs: () => 0, run: rec.run };
    const q = jobQueue<{ tag: string }>(def);
    await q.enqueueDurably(a.org.id, { tag: "long" });
    while (!rec.isRunning("long")) await new Promise((r) => setTimeout(r, 5));
    expect(await db().job.findFirst({ where: { kind: "test_release" } })).toMatchObject({ status: "running", attempts: 1 });
    // Shutdown runs in the instrumentation bundle; the job was started by a route bundle.
    vi.resetModules();
    const instrumentation = (await import("@/lib/jobs/runner")).jobQueue<{ tag: string }>(def);
    await instrumentation.release();
    const back = await db().job.findFirst({ where: { kind: "test_release" } });
    expect(back).toMatchObject({ status: "queued", attempts: 1 });
    expect(back!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    await rec.release("long");
    await q.idle();
  });

  it("ingestion runs from the jobs table: a queued document has a job, the gauge sees it, the job goes once it is ready", async () => {
    const u = await signedInUser("ingest-jobs");
    const project = await db().project.create({ data: { orgId: u.org.id, name: "p" } });
    const doc = await db().document.create({
      data: { orgId: u.org.id, projectId: project.id, title: "t", filename: "t.md", mimeType: "text/markdown", sizeBytes: 30, contentHash: "x", source: Buffer.from("# Hello\n\nThe warranty lasts two years."), status: "queued" },
    });
    // Queued through a second copy of the module (the upload route's bundle); counted by this one.
    vi.resetModules();
    const routeBundle = await import("@/lib/rag/ingest");
    const queued = routeBundle.enqueueIngestion(doc.id, u.org.id);
    expect(pendingIngestion()).toBe(1);
    await queued;
    await ingestionIdle();
    await routeBundle.ingestionIdle();
    expect(await db().document.findUnique({ where: { id: doc.id } })).toMatchObject({ status: "ready" });
    expect(await db().job.count({ where: { kind: INGEST_JOB_KIND } })).toBe(0);
    expect(pendingIngestion()).toBe(0);
  });

  it("a document left queued or half-processed without a job (an older process) gets one at start", async () => {
    const u = await signedInUser("ingest-resume");
    const project = await db().project.create({ data: { orgId: u.org.id, name: "p" } });
    const orphan = await db().document.create({
      data: { orgId: u.org.id, projectId: project.id, title: "o", filename: "o.md", mimeType: "text/markdown", sizeBytes: 20, contentHash: "y", source: Buffer.from("Orphaned but not lost."), status: "processing" },
    });
    expect(await db().job.count({ where: { kind: INGEST_JOB_KIND } })).toBe(0);
    expect(await resumeIngestion()).toBe(1);
    await ingestionIdle();
    expect(await db().document.findUnique({ where: { id: orphan.id } })).toMatchObject({ status: "ready" });
  });
});
