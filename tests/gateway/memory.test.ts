import { beforeAll, describe, expect, it } from "vitest";
import { auditRow, client, newKey, upstreamRequests } from "./helpers";

/** The newest chat request the gateway forwarded for a client (not its own memory-extraction calls). */
async function lastUpstreamRequest(marker: string) {
  const all = await upstreamRequests();
  return [...all].reverse().find((r) => !String(r.body?.messages?.[0]?.content ?? "").startsWith("You maintain long-term memories") && JSON.stringify(r.body).includes(marker))!;
}

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

async function ask(content: string, userId: string, extra: Record<string, unknown> = {}) {
  return (await client(key).chat.completions.create({
    model: "openai/gpt-4o",
    messages: [{ role: "user", content }],
    vecstruct: { use_memory: true, metadata: { user_id: userId }, ...extra },
  } as never)) as any;
}

describe("vecstruct.use_memory (raw mode)", () => {
  it("recalls a fact told in an earlier request for the same user only", async () => {
    const first = await ask("My name is Ada and I am allergic to peanuts.", "ada");
    expect(first.vecstruct.memory_used).toBe(false);
    expect(first.vecstruct.credits_consumed).toBe(0.02);

    // Learned after the reply, off the hot path: recallable within 5 s.
    let later: any;
    const deadline = Date.now() + 5_000;
    do {
      later = await ask("What am I allergic to?", "ada");
      if (!later.vecstruct.memory_used) await new Promise((r) => setTimeout(r, 200));
    } while (!later.vecstruct.memory_used && Date.now() < deadline);
    expect(later.vecstruct.memory_used).toBe(true);
    const sent = (await lastUpstreamRequest("What am I allergic to?")).body.messages;
    expect(sent[0].role).toBe("system");
    expect(sent[0].content).toContain("<memories>");
    expect(sent[0].content).toContain("allergic to peanuts");
    const row = await auditRow(later.vecstruct.audit_id);
    expect(row.memoryUsed).toBe(1);
    // Raw mode stored the earlier questions verbatim too; the fact is among what was injected.
    expect(JSON.parse(row.memoryIds).length).toBeGreaterThanOrEqual(1);

    const other = await ask("What am I allergic to?", "grace");
    expect(other.vecstruct.memory_used).toBe(false);
    expect(JSON.stringify((await lastUpstreamRequest("What am I allergic to?")).body.messages)).not.toContain("peanuts");
  });

  it("after a corrected statement the stale fact is no longer sent upstream (English and Chinese)", async () => {
    /** Asks `question` until what the upstream got contains `expected` (learning is off the hot path); returns that request's text. */
    async function injectedUntil(question: string, user: string, expected: string) {
      let sent = "";
      // Learning queues behind every other embedding of the server (ingestion of other tests' documents): generous.
      const deadline = Date.now() + 20_000;
      do {
        await ask(question, user);
        sent = JSON.stringify((await lastUpstreamRequest(question)).body.messages);
        if (!sent.includes(expected)) await new Promise((r) => setTimeout(r, 200));
      } while (!sent.includes(expected) && Date.now() < deadline);
      return sent;
    }
    await ask("I live in Taipei.", "mover");
    expect(await injectedUntil("Which city do I live in?", "mover", "Taipei")).toContain("Taipei");
    await ask("I moved to Kaohsiung last month.", "mover");
    const after = await injectedUntil("Which city do I live in?", "mover", "Kaohsiung");
    expect(after).toContain("I moved to Kaohsiung last month.");
    expect(after).not.toContain("Taipei");

    await ask("我住在台北。", "mover-zh");
    expect(await injectedUntil("我住在哪個城市？", "mover-zh", "台北")).toContain("我住在台北。");
    await ask("我搬到高雄了。", "mover-zh");
    const zh = await injectedUntil("我住在哪個城市？", "mover-zh", "高雄");
    expect(zh).toContain("我搬到高雄了。");
    expect(zh).not.toContain("台北");
  }, 120_000);

  it("recalls and learns on streamed requests too, and reports it in the vecstruct event", async () => {
    const { rawStream } = await import("./helpers");
    const body = (content: string, user: string) => ({
      model: "anthropic/claude-3-5-sonnet",
      stream: true,
      messages: [{ role: "user", content }],
      vecstruct: { use_memory: true, metadata: { user_id: user } },
    });
    await rawStream(key, body("My cat is called Miso.", "streamer"));
    let payload: any;
    const deadline = Date.now() + 5_000;
    do {
      const res = await rawStream(key, body("What is my cat called?", "streamer"));
      payload = JSON.parse(res.events.find((e) => e.event === "vecstruct")!.data);
      if (!payload.memory_used) await new Promise((r) => setTimeout(r, 200));
    } while (!payload.memory_used && Date.now() < deadline);
    expect(payload.memory_used).toBe(true);
    expect(JSON.stringify((await lastUpstreamRequest("What is my cat called?")).body)).toContain("Miso");
    const other = await rawStream(key, body("What is my cat called?", "someone-else"));
    expect(JSON.parse(other.events.find((e) => e.event === "vecstruct")!.data).memory_used).toBe(false);
  });

  it("costs 0.05 credits with RAG and memory together, and needs a user_id", async () => {
    const both = await ask("hello", "someone", { rag: true });
    expect(both.vecstruct.credits_consumed).toBe(0.05);
    const err = await client(key)
      .chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], vecstruct: { use_memory: true } } as never)
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error.param).toBe("vecstruct.metadata.user_id");
  });
});

describe("vecstruct.use_memory with a memory model (the project's memory_model)", () => {
  it("adds, updates instead of duplicating, ignores small talk, and deletes on request", async () => {
    const { admin } = await import("./helpers");
    const project = await admin("/api/projects", { name: "model-memory", memory_model: "local/memory-bot" });
    expect(project.memory_model).toBe("local/memory-bot");
    const k = await admin("/api/keys", { name: "k", project_id: project.id });
    const say = (content: string) =>
      client(k.key).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content }], vecstruct: { use_memory: true, metadata: { user_id: "max" } } } as never) as Promise<any>;
    const memories = async () => (await admin(`/api/projects/${project.id}/memories?user_id=max`)).data.map((m: { content: string }) => m.content).sort();
    const settle = async (expected: string[]) => {
      const deadline = Date.now() + 5_000;
      let got: string[] = [];
      while (Date.now() < deadline) {
        got = await memories();
        if (JSON.stringify(got) === JSON.stringify(expected)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(got).toEqual(expected);
    };

    await say("Hi, my name is Max and I live in Paris.");
    await settle(["Name is Max"]);
    await say("I live in Paris.");
    await settle(["Lives in Paris", "Name is Max"]);
    await say("Big news: I moved to Berlin!");
    await settle(["Lives in Berlin", "Name is Max"]);
    await say("What's the weather like?");
    await new Promise((r) => setTimeout(r, 300));
    await settle(["Lives in Berlin", "Name is Max"]);

    const asked = await say("Where do I live?");
    expect(asked.vecstruct.memory_used).toBe(true);
    const injected = JSON.stringify((await lastUpstreamRequest("Where do I live?")).body.messages);
    expect(injected).toContain("Lives in Berlin");
    expect(injected).not.toContain("Paris");

    const list = await admin(`/api/projects/${project.id}/memories?user_id=max`);
    const berlin = list.data.find((m: { content: string }) => m.content === "Lives in Berlin");
    const history = await admin(`/api/memories/${berlin.id}`);
    expect(history.history.map((h: { action: string }) => h.action)).toEqual(["add", "update"]);

    await say("Please forget where I live.");
    await settle(["Name is Max"]);
  });
});
