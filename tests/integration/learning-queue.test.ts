// Memory learning is queued in the jobs table, not in process memory: work a dead process left
// (queued, or running with its lease over) is resumed, learned jobs are deleted, and a job that keeps
// failing ends "failed" with its error, after its attempts.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { enqueueLearning, LEARN_JOB_KIND, learningIdle, pendingLearning, resumeLearning } from "@/lib/memory/learn";
import { recallMemories } from "@/lib/memory/store";
import { closeLocalEmbeddings } from "@/lib/rag/embeddings/local";
import { userProject } from "../helpers/http";

afterAll(async () => {
  await closeLocalEmbeddings();
});

describe("memory learning queue", () => {
  it("resumes jobs a previous process left queued or running (lease over), and deletes them once learned", async () => {
    const a = await userProject("resume");
    const payload = (statement: string, auditId: string) => ({ orgId: a.org.id, projectId: a.project.id, userId: "u", statements: [statement], auditId, model: null, reply: "" });
    const past = new Date(Date.now() - 60_000);
    // As a process that died would leave them: one never started, one claimed and never finished.
    await db().job.create({ data: { orgId: a.org.id, kind: LEARN_JOB_KIND, payload: payload("I play the cello.", "aud_q"), runAt: past } });
    await db().job.create({ data: { orgId: a.org.id, kind: LEARN_JOB_KIND, payload: payload("My cat is called Mia.", "aud_r"), status: "running", attempts: 1, runAt: past } });
    expect(await resumeLearning()).toBe(2);
    await learningIdle();
    const learned = (await db().memory.findMany({ where: { projectId: a.project.id }, orderBy: { content: "asc" } })).map((m) => [m.content, m.sourceAuditId]);
    expect(learned).toEqual([
      ["I play the cello.", "aud_q"],
      ["My cat is called Mia.", "aud_r"],
    ]);
    expect(await db().job.count({ where: { kind: LEARN_JOB_KIND } })).toBe(0);
    expect(pendingLearning()).toBe(0);
  });

  it("writes a job before learning it, and keeps one that fails every attempt as failed with its error", async () => {
    const a = await userProject("failing");
    enqueueLearning({ orgId: a.org.id, projectId: a.project.id, userId: "u", auditId: "aud_f", statements: ["I like tea."], model: "nope/not-a-model", reply: "ok" });
    await learningIdle();
    const [job] = await db().job.findMany({ where: { kind: LEARN_JOB_KIND, orgId: a.org.id } });
    expect(job).toMatchObject({ status: "failed", attempts: 3 });
    expect(job!.lastError).toBeTruthy();
    expect(job!.payload).toMatchObject({ auditId: "aud_f", statements: ["I like tea."] });
    expect(await recallMemories(a.project.id, "u", "tea")).toEqual([]);
  });
});
