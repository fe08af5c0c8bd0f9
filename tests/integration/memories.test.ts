import { afterAll, describe, expect, it } from "vitest";
import * as memItem from "@/app/api/memories/[id]/route";
import * as mems from "@/app/api/projects/[id]/memories/route";
import { enqueueLearning, learningIdle } from "@/lib/memory/learn";
import { recallMemories } from "@/lib/memory/store";
import { closeLocalEmbeddings } from "@/lib/rag/embeddings/local";
import { call, userProject } from "../helpers/http";

afterAll(async () => {
  await closeLocalEmbeddings();
});

describe("memories", () => {
  it("adds, lists, edits with history, recalls per user, deletes and forgets a user", async () => {
    const a = await userProject("mem");
    const add = (user_id: string, content: string) => call(mems.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { user_id, content } });
    const paris = await add("u1", "I live in Paris and work as a baker.");
    expect(paris.status).toBe(201);
    expect(paris.body).toMatchObject({ object: "memory", user_id: "u1", content: "I live in Paris and work as a baker.", source_audit_id: null });
    await add("u1", "My favourite colour is green.");
    await add("u2", "I live in Tokyo.");

    const listed = await call(mems.GET, { headers: a.headers, params: { id: a.project.id }, path: `/api/projects/${a.project.id}/memories?user_id=u1` });
    expect(listed.body.data).toHaveLength(2);

    const recalled = await recallMemories(a.project.id, "u1", "Where do I live?");
    expect(recalled[0]!.content).toContain("Paris");
    expect((await recallMemories(a.project.id, "u2", "Where do I live?")).map((m) => m.content)).toEqual(["I live in Tokyo."]);

    const edited = await call(memItem.PATCH, { method: "PATCH", headers: a.headers, params: { id: paris.body.id }, body: { content: "I moved to Berlin." } });
    expect(edited.body.content).toBe("I moved to Berlin.");
    const detail = await call(memItem.GET, { headers: a.headers, params: { id: paris.body.id } });
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(["add", "update"]);
    expect(detail.body.history[1]).toMatchObject({ before: "I live in Paris and work as a baker.", after: "I moved to Berlin." });
    expect((await recallMemories(a.project.id, "u1", "Which city do I live in?"))[0]!.content).toBe("I moved to Berlin.");

    const forget = await call(mems.DELETE, { method: "DELETE", headers: a.headers, params: { id: a.project.id }, path: `/api/projects/${a.project.id}/memories?user_id=u1` });
    expect(forget.body).toMatchObject({ deleted: 2 });
    expect(await recallMemories(a.project.id, "u1", "Where do I live?")).toEqual([]);
    expect(await recallMemories(a.project.id, "u2", "Where do I live?")).toHaveLength(1);
  });

  it("raw learning: a corrected fact replaces the old statement (kept in history), two different facts are both kept", async () => {
    const a = await userProject("supersede");
    const tell = async (userId: string, statement: string, auditId: string) => {
      enqueueLearning({ orgId: a.org.id, projectId: a.project.id, userId, auditId, statements: [statement] });
      await learningIdle();
    };
    const list = async (userId: string) =>
      (await call(mems.GET, { headers: a.headers, params: { id: a.project.id }, path: `/api/projects/${a.project.id}/memories?user_id=${userId}` })).body.data.map(
        (m: { content: string }) => m.content,
      );

    await tell("en", "I live in Taipei.", "aud_1");
    await tell("en", "I have a dog named Pepper.", "aud_2");
    await tell("en", "I moved to Kaohsiung last month.", "aud_3");
    await tell("en", "I also adopted a cat called Tofu.", "aud_4");
    expect((await list("en")).sort()).toEqual(["I also adopted a cat called Tofu.", "I have a dog named Pepper.", "I moved to Kaohsiung last month."]);
    const recalled = (await recallMemories(a.project.id, "en", "Which city do I live in?")).map((m) => m.content);
    expect(recalled).toContain("I moved to Kaohsiung last month.");
    expect(recalled.join(" ")).not.toContain("Taipei");
    const moved = (await call(mems.GET, { headers: a.headers, params: { id: a.project.id }, path: `/api/projects/${a.project.id}/memories?user_id=en&q=Kaohsiung` })).body.data[0];
    expect(moved.source_audit_id).toBe("aud_3");
    const detail = await call(memItem.GET, { headers: a.headers, params: { id: moved.id } });
    expect(detail.body.history.map((h: { action: string; before: string | null }) => [h.action, h.before])).toEqual([
      ["add", null],
      ["supersede", "I live in Taipei."],
    ]);

    await tell("zh", "我住在台北。", "aud_5");
    await tell("zh", "我養了一隻狗，叫小白。", "aud_6");
    await tell("zh", "我搬到高雄了。", "aud_7");
    await tell("zh", "我還養了一隻貓，叫咪咪。", "aud_8");
    expect((await list("zh")).sort()).toEqual(["我搬到高雄了。", "我養了一隻狗，叫小白。", "我還養了一隻貓，叫咪咪。"].sort());
    const zh = (await recallMemories(a.project.id, "zh", "我住在哪個城市？")).map((m) => m.content);
    expect(zh).toContain("我搬到高雄了。");
    expect(zh.join(" ")).not.toContain("台北");
    // Another user's city is theirs: nothing of "en" was touched by "zh".
    expect(await list("en")).toHaveLength(3);
  });

  it("learns raw statements once each, and keeps tenants apart", async () => {
    const a = await userProject("learnA");
    const b = await userProject("learnB");
    enqueueLearning({ orgId: a.org.id, projectId: a.project.id, userId: "u", auditId: "aud_x", statements: ["My dog is called Rex."] });
    enqueueLearning({ orgId: a.org.id, projectId: a.project.id, userId: "u", auditId: "aud_y", statements: ["My dog is called Rex."] });
    await learningIdle();
    const listed = await call(mems.GET, { headers: a.headers, params: { id: a.project.id } });
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ content: "My dog is called Rex.", source_audit_id: "aud_x" });
    const id = listed.body.data[0].id;

    expect((await call(memItem.GET, { headers: b.headers, params: { id } })).status).toBe(404);
    expect((await call(memItem.DELETE, { method: "DELETE", headers: b.headers, params: { id } })).status).toBe(404);
    expect((await call(mems.GET, { headers: b.headers, params: { id: a.project.id } })).status).toBe(404);
    expect(await recallMemories(b.project.id, "u", "dog")).toEqual([]);
    const bad = await call(mems.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { content: "no user" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("user_id");
  });
});
