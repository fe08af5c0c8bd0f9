// The response cache on /v1/chat/completions (docs/policies.md), through the official SDK and raw HTTP.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { admin, adminPatch, auditRow, baseURL, billingOf, chatRaw, orgWithKey, rawStream, upstreamRequests } from "./helpers";

const calls = async (marker: string) => (await upstreamRequests()).filter((r) => JSON.stringify(r.body).includes(marker)).length;
const settle = () => new Promise((r) => setTimeout(r, 500)); // "a new entry is hittable 0.5 s after its answer ends"
const ask = (marker: string, extra: Record<string, unknown> = {}) => ({ model: "openai/gpt-4o", messages: [{ role: "user", content: `Say hi ${marker}` }], ...extra });

describe("response cache, exact mode", () => {
  let t: Awaited<ReturnType<typeof orgWithKey>>;
  beforeAll(async () => {
    t = await orgWithKey("cache-exact");
    const p = await adminPatch(`/api/projects/${t.projectId}?org_id=${t.orgId}`, { cache: { mode: "exact", ttl_seconds: 600 } });
    expect(p.cache).toEqual({ mode: "exact", ttl_seconds: 600, similarity: 0.95 });
  });

  it("answers a repeated request from the cache: upstream called once, no USD, audited with its source", async () => {
    const m = randomUUID();
    const first = await chatRaw(t.key, ask(m, { user: "alice", vecstruct: { metadata: { run: 1 } } }));
    expect(first.status).toBe(200);
    expect(first.headers.get("x-vecstruct-cache")).toBe("miss");
    await settle();
    // `user`, `stream` and vecstruct.metadata are not part of the key.
    const second = await chatRaw(t.key, ask(m, { user: "bob", vecstruct: { metadata: { run: 2 } } }));
    expect(second.status).toBe(200);
    expect(second.headers.get("x-vecstruct-cache")).toBe("hit");
    expect(await calls(m)).toBe(1);
    expect(second.body.choices[0].message.content).toBe(first.body.choices[0].message.content);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.vecstruct.balance_consumed_usd).toBe(0);
    const row = await auditRow(second.body.vecstruct.audit_id);
    expect(row).toMatchObject({ cache: "hit", cacheSourceAuditId: first.body.vecstruct.audit_id, status: "success" });
    expect(Number(row.costMicros)).toBe(0);
    expect((await auditRow(first.body.vecstruct.audit_id)).cache).toBe("miss");
    const detail = await admin(`/api/audit-logs/${second.body.vecstruct.audit_id}?org_id=${t.orgId}`);
    expect(detail).toMatchObject({ cache: "hit", cache_source_audit_id: first.body.vecstruct.audit_id, cost_usd: 0 });
  });

  it("replays a hit as a well-formed stream with include_usage, and caches a streamed miss", async () => {
    const m = randomUUID();
    const miss = await rawStream(t.key, ask(m, { stream: true, stream_options: { include_usage: true } }));
    expect(miss.headers.get("x-vecstruct-cache")).toBe("miss");
    const missText = miss.events.filter((e) => !e.event && e.data !== "[DONE]").map((e) => JSON.parse(e.data).choices?.[0]?.delta?.content ?? "").join("");
    await settle();
    const hit = await rawStream(t.key, ask(m, { stream: true, stream_options: { include_usage: true } }));
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-vecstruct-cache")).toBe("hit");
    const data = hit.events.filter((e) => !e.event);
    expect(data.at(-1)!.data).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("")).toBe(missText);
    expect(chunks.some((c) => c.choices?.[0]?.finish_reason === "stop")).toBe(true);
    expect(chunks.at(-1).usage.total_tokens).toBeGreaterThan(0);
    expect(await calls(m)).toBe(1);
    // The non-streaming form of the same request hits the same entry.
    const json = await chatRaw(t.key, ask(m));
    expect(json.headers.get("x-vecstruct-cache")).toBe("hit");
    expect(json.body.choices[0].message.content).toBe(missText);
  });

  it("bypasses with vecstruct.cache: false, and a different parameter is a different key", async () => {
    const m = randomUUID();
    await chatRaw(t.key, ask(m));
    await settle();
    const bypass = await chatRaw(t.key, ask(m, { vecstruct: { cache: false } }));
    expect(bypass.headers.get("x-vecstruct-cache")).toBe("bypass");
    expect((await auditRow(bypass.body.vecstruct.audit_id)).cache).toBe("bypass");
    const other = await chatRaw(t.key, ask(m, { temperature: 0.3 }));
    expect(other.headers.get("x-vecstruct-cache")).toBe("miss");
    expect(await calls(m)).toBe(3);
  });

  it("serves concurrent identical misses with one upstream call", async () => {
    const m = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => chatRaw(t.key, ask(m))));
    for (const a of answers) expect(a.status).toBe(200);
    expect(await calls(m)).toBe(1);
    expect(answers.map((a) => a.headers.get("x-vecstruct-cache")).sort()).toEqual(["hit", "hit", "hit", "hit", "hit", "miss"]);
  });

  it("never answers another project from this one's cache, and DELETE empties it", async () => {
    const m = randomUUID();
    await chatRaw(t.key, ask(m));
    await settle();
    const other = await orgWithKey("cache-other");
    await adminPatch(`/api/projects/${other.projectId}?org_id=${other.orgId}`, { cache: { mode: "exact" } });
    const res = await chatRaw(other.key, ask(m));
    expect(res.headers.get("x-vecstruct-cache")).toBe("miss");
    const del = await fetch(`${baseURL}/api/projects/${t.projectId}/cache?org_id=${t.orgId}`, { method: "DELETE", headers: { authorization: `Bearer ${inject("adminKey")}` } });
    expect(del.status).toBe(200);
    expect((await del.json()).deleted).toBeGreaterThan(0);
    expect((await chatRaw(t.key, ask(m))).headers.get("x-vecstruct-cache")).toBe("miss");
  });

  it("charges a hit nothing in USD (the ledger moves for the miss only)", async () => {
    const m = randomUUID();
    const before = await billingOf(t.orgId);
    await chatRaw(t.key, ask(m));
    await settle();
    const afterMiss = await billingOf(t.orgId);
    expect(afterMiss.usd).toBeLessThan(before.usd);
    const hit = await chatRaw(t.key, ask(m));
    expect(hit.headers.get("x-vecstruct-cache")).toBe("hit");
    await auditRow(hit.body.vecstruct.audit_id);
    expect((await billingOf(t.orgId)).usd).toBe(afterMiss.usd);
  });
});

describe("response cache settings and opt-in", () => {
  it("is off by default (no header, every request upstream); vecstruct.cache: true opts in to exact mode", async () => {
    const t = await orgWithKey("cache-off");
    expect((await admin(`/api/projects/${t.projectId}?org_id=${t.orgId}`)).cache).toEqual({ mode: "off", ttl_seconds: 3600, similarity: 0.95 });
    const m = randomUUID();
    const a = await chatRaw(t.key, ask(m));
    expect(a.headers.get("x-vecstruct-cache")).toBeNull();
    await settle();
    const b = await chatRaw(t.key, ask(m));
    expect(b.headers.get("x-vecstruct-cache")).toBeNull();
    const c = await chatRaw(t.key, ask(m, { vecstruct: { cache: { ttl_seconds: 60 } } }));
    expect(c.headers.get("x-vecstruct-cache")).toBe("miss");
    await settle();
    const d = await chatRaw(t.key, ask(m, { vecstruct: { cache: true } }));
    expect(d.headers.get("x-vecstruct-cache")).toBe("hit");
    expect(await calls(m)).toBe(3);
  });

  it("rejects bad settings and bad vecstruct.cache values with a 400 naming the field", async () => {
    const t = await orgWithKey("cache-bad");
    for (const [cache, param] of [
      [{ mode: "always" }, "cache.mode"],
      [{ ttl_seconds: 0 }, "cache.ttl_seconds"],
      [{ similarity: 0 }, "cache.similarity"],
      [{ similarity: 1.5 }, "cache.similarity"],
    ] as const) {
      const res = await fetch(`${baseURL}/api/projects/${t.projectId}?org_id=${t.orgId}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" },
        body: JSON.stringify({ cache }),
      });
      expect(res.status, JSON.stringify(cache)).toBe(400);
      expect((await res.json()).error.param).toBe(param);
    }
    for (const bad of ["yes", { ttl_seconds: -1 }, { ttl: 5 }]) {
      const res = await chatRaw(t.key, ask("x", { vecstruct: { cache: bad } }));
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe("vecstruct.cache");
    }
  });

  it("does not cache in a metadata-only project", async () => {
    const t = await orgWithKey("cache-metadata-only");
    await adminPatch(`/api/projects/${t.projectId}?org_id=${t.orgId}`, { keep_metadata_only: true, cache: { mode: "exact" } });
    const m = randomUUID();
    await chatRaw(t.key, ask(m));
    await settle();
    const again = await chatRaw(t.key, ask(m));
    expect(again.headers.get("x-vecstruct-cache")).toBeNull();
    expect(await calls(m)).toBe(2);
  });
});

describe("response cache, semantic mode", () => {
  it("hits a reworded single-turn question above the threshold, never a multi-turn one", async () => {
    const t = await orgWithKey("cache-semantic");
    await adminPatch(`/api/projects/${t.projectId}?org_id=${t.orgId}`, { cache: { mode: "semantic", similarity: 0.8 } });
    const m = randomUUID();
    const system = { role: "system", content: `You are support bot ${m}.` };
    const first = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [system, { role: "user", content: "How many days does a refund take?" }] });
    expect(first.headers.get("x-vecstruct-cache")).toBe("miss");
    await settle();
    const reworded = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [system, { role: "user", content: "How many days does a refund take??" }] });
    expect(reworded.headers.get("x-vecstruct-cache")).toBe("hit");
    const unrelated = await chatRaw(t.key, { model: "openai/gpt-4o", messages: [system, { role: "user", content: "Where is your warehouse located?" }] });
    expect(unrelated.headers.get("x-vecstruct-cache")).toBe("miss");
    const multi = await chatRaw(t.key, {
      model: "openai/gpt-4o",
      messages: [system, { role: "user", content: "Hello" }, { role: "assistant", content: "Hi!" }, { role: "user", content: "How many days does a refund take??" }],
    });
    expect(multi.headers.get("x-vecstruct-cache")).toBe("miss");
    expect(await calls(m)).toBe(3);
  });
});
