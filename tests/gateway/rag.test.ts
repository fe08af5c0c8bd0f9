import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { auditRow, baseURL, client, lastUpstreamRequest, rawStream } from "./helpers";

const adminHeaders = { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" };
const post = (path: string, body: unknown) => fetch(`${baseURL}${path}`, { method: "POST", headers: adminHeaders, body: JSON.stringify(body) }).then((r) => r.json());

let key: string;
let docId: string;
let otherDocId: string;

async function waitReady(id: string) {
  for (let i = 0; i < 200; i++) {
    const doc = await fetch(`${baseURL}/api/documents/${id}`, { headers: adminHeaders }).then((r) => r.json());
    if (doc.status === "ready") return doc;
    if (doc.status === "failed") throw new Error(`ingestion failed: ${doc.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("document not ready in time");
}

beforeAll(async () => {
  const project = await post("/api/projects", { name: "rag" });
  key = (await post("/api/keys", { name: "rag", project_id: project.id })).key;
  docId = (await post(`/api/projects/${project.id}/documents`, { title: "Returns policy", content: "# Returns\n\nCustomers may return any product within 30 days for a full refund. Opened software cannot be returned.\n\n# Shipping\n\nOrders ship within two business days from our Lyon warehouse." })).id;
  const other = await post("/api/projects", { name: "other" });
  otherDocId = (await post(`/api/projects/${other.id}/documents`, { title: "Secret", content: "The returns window of the other project is 90 days." })).id;
  await waitReady(docId);
  await waitReady(otherDocId);
}, 60_000);

describe("vecstruct.rag through the official openai client", () => {
  it("retrieves, injects numbered context, returns sources and bills the credits", async () => {
    const res = (await client(key).chat.completions.create({
      model: "openai/gpt-4o",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "How many days do I have to return a product?" }],
      vecstruct: { rag: true, rag_top_k: 2 },
    } as never)) as any;
    const ext = res.vecstruct;
    expect(ext.rag_sources.length).toBeGreaterThan(0);
    expect(ext.rag_sources[0]).toMatchObject({ document_id: docId, title: "Returns policy", content: expect.stringContaining("30 days") });
    expect(ext.rag_sources[0].similarity).toBeGreaterThan(0);
    expect(ext.rag_sources.some((s: { document_id: string }) => s.document_id === otherDocId)).toBe(false);
    expect(ext.credits_consumed).toBe(0.03);

    const sent = (await lastUpstreamRequest("How many days do I have to return a product?")).body.messages;
    expect(sent[0]).toEqual({ role: "system", content: "Be brief." });
    expect(sent[1].role).toBe("system");
    expect(sent[1].content).toContain("<context>");
    expect(sent[1].content).toContain("[1] Returns policy");
    expect(sent[2].role).toBe("user");

    const row = await auditRow(ext.audit_id);
    expect(JSON.parse(row.ragSources)[0].document_id).toBe(docId);
    expect(JSON.parse(row.injected)[0].content).toContain("<context>");
    expect(row.creditsMicros).toBe(30_000);
  });

  it("sends the same sources in the stream's vecstruct event", async () => {
    const res = await rawStream(key, { model: "anthropic/claude-3-5-sonnet", stream: true, messages: [{ role: "user", content: "Where do orders ship from?" }], vecstruct: { rag: true } });
    const ev = res.events.find((e) => e.event === "vecstruct")!;
    const payload = JSON.parse(ev.data);
    expect(payload.rag_sources[0]).toMatchObject({ document_id: docId });
    expect(payload.credits_consumed).toBe(0.03);
  });

  it("answers 400 for a source id outside the project, whether it exists or not", async () => {
    for (const id of [otherDocId, "doc_does_not_exist"]) {
      const err = await client(key)
        .chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], vecstruct: { rag: true, rag_source_ids: [id] } } as never)
        .catch((e) => e);
      expect(err.status).toBe(400);
      expect(err.error.param).toBe("vecstruct.rag_source_ids");
      expect(err.error.message).not.toContain(id === otherDocId ? "exists" : "zzz");
    }
  });

  it("filters by rag_min_similarity, on the similarity it returns", async () => {
    const ask = (min?: number) =>
      client(key).chat.completions.create({
        model: "openai/gpt-4o",
        messages: [{ role: "user", content: "return a product" }],
        vecstruct: { rag: true, ...(min === undefined ? {} : { rag_min_similarity: min }) },
      } as never) as Promise<any>;
    const all = (await ask()).vecstruct.rag_sources as { document_id: string; similarity: number }[];
    expect(all.length).toBe(2); // the project's two chunks
    expect(all[0]!.similarity).toBeGreaterThan(all[1]!.similarity);
    const cut = (all[0]!.similarity + all[1]!.similarity) / 2;
    const res = await ask(cut);
    expect(res.vecstruct.rag_sources).toEqual([all[0]]);
    expect(res.vecstruct.credits_consumed).toBe(0.03);
  });
});

describe("rag_sources order and similarity", () => {
  let projectKey: string;
  let projectId: string;
  const DOCS: [string, string][] = [
    ["Returns policy", "# Returns\n\nCustomers may return any product within 30 days for a full refund.\n\n# Refunds\n\nRefunds reach the original card within 5 business days."],
    ["Shipping", "# Delivery\n\nOrders ship within two business days from our Lyon warehouse.\n\n# Costs\n\nShipping is free above 50 euros; returns are free too."],
    ["Warranty", "# Warranty\n\nEvery product has a two-year warranty. Defective products are repaired or replaced for free."],
    ["Account", "# Password\n\nReset your password from the sign-in page.\n\n# Invoices\n\nInvoices for every order are in your account, with the refund notes."],
    ["Store hours", "# Opening hours\n\nThe Lyon store opens from 10 to 19, Monday to Saturday."],
  ];
  beforeAll(async () => {
    const project = await post("/api/projects", { name: "rag-order" });
    projectId = project.id;
    projectKey = (await post("/api/keys", { name: "rag-order", project_id: projectId })).key;
    const ids: string[] = [];
    for (const [title, content] of DOCS) ids.push((await post(`/api/projects/${projectId}/documents`, { title, content })).id);
    for (const id of ids) await waitReady(id);
  }, 60_000);

  const QUESTIONS = ["How many days until my refund arrives?", "return a defective product", "Where do orders ship from and is it free?", "password", "When is the store open on Saturday?"];

  it("are best first in every answer, similarity never increasing, and the audit row and the search API agree", async () => {
    for (const q of QUESTIONS) {
      const res = (await client(projectKey).chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: q }], vecstruct: { rag: true, rag_top_k: 8 } } as never)) as any;
      const sims = (res.vecstruct.rag_sources as { similarity: number }[]).map((s) => s.similarity);
      expect(sims.length, q).toBeGreaterThan(1);
      for (let i = 1; i < sims.length; i++) expect(sims[i], `${q}: source ${i + 1}`).toBeLessThanOrEqual(sims[i - 1]!);
      for (const s of sims) expect(s >= 0 && s <= 1, q).toBe(true);

      const row = await auditRow(res.vecstruct.audit_id);
      expect((JSON.parse(row.ragSources) as { similarity: number }[]).map((s) => s.similarity), q).toEqual(sims);

      // The search API returns the same order and numbers, with the raw signals beside them.
      const found = await post(`/api/projects/${projectId}/search`, { query: q, top_k: 8 });
      expect(found.data.map((h: { similarity: number }) => h.similarity), q).toEqual(sims);
      for (const h of found.data) {
        expect(h.cosine === null || (h.cosine >= 0 && h.cosine <= 1), q).toBe(true);
        expect(h.vector_rank !== null || h.lexical_rank !== null, q).toBe(true);
      }
    }
  });
});

describe("Chinese questions with the offline default model", () => {
  let projectId: string;
  let zhDocId: string;
  beforeAll(async () => {
    const project = await post("/api/projects", { name: "rag-zh" });
    projectId = project.id;
    zhDocId = (
      await post(`/api/projects/${projectId}/documents`, {
        title: "台灣直營門市退換貨與退款政策",
        content: "# 退貨\n\n於台灣直營門市購買的商品,可在到貨後 10 天內辦理退貨。\n\n# 退款\n\n台灣直營門市收到退回商品後,會在 12 個工作天內將退款退回原付款方式。",
      })
    ).id;
    const distractor = (await post(`/api/projects/${projectId}/documents`, { title: "门店营业时间", content: "# 营业时间\n\n线下门店每天上午十点至晚上九点营业。" })).id;
    await waitReady(zhDocId);
    await waitReady(distractor);
  }, 60_000);

  it("finds the Traditional Chinese passage by keywords alone (lexical search segments Chinese)", async () => {
    const res = await post(`/api/projects/${projectId}/search`, { query: "台灣直營門市退款需要幾天?", mode: "lexical", top_k: 3 });
    expect(res.data[0]).toMatchObject({ document_id: zhDocId, content: expect.stringContaining("12 個工作天"), lexical_rank: 1 });
  });

  it("finds it from a Simplified Chinese question too, through the gateway", async () => {
    const projectKey = (await post("/api/keys", { name: "rag-zh", project_id: projectId })).key;
    const res = (await client(projectKey).chat.completions.create({
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "直营门市收到退回商品后多久退款?" }],
      vecstruct: { rag: true, rag_top_k: 1 },
    } as never)) as any;
    expect(res.vecstruct.rag_sources[0]).toMatchObject({ document_id: zhDocId, content: expect.stringContaining("退款") });
  });
});


describe("cross-lingual questions with the offline default model (the glossary's keyword list)", () => {
  let projectId: string;
  let projectKey: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const project = await post("/api/projects", { name: "rag-crosslingual" });
    projectId = project.id;
    projectKey = (await post("/api/keys", { name: "rag-crosslingual", project_id: projectId })).key;
    const docs: Record<string, [string, string]> = {
      zhRefund: ["台灣直營門市退換貨與退款政策", "# 退貨\n\n於台灣直營門市購買的商品,可在到貨後 10 天內辦理退貨。\n\n# 退款\n\n台灣直營門市收到退回商品後,會在 12 個工作天內將退款退回原付款方式。"],
      zhPurifier: ["雲朵A5空氣清淨機使用說明書", "# 保固\n\n雲朵A5自購買日起享有 2 年有限保固,請保留發票作為購買證明。\n\n# 濾網\n\n濾網每 6 個月需更換一次。"],
      enBattery: ["Aurora X1 speaker manual", "# Battery\n\nThe Aurora X1 plays for 12 hours on a full charge.\n\n# Warranty\n\nThe Aurora X1 has a one-year warranty."],
      enShipping: ["Shipping policy", "# Delivery\n\nOrders ship within two business days from the Lyon warehouse."],
    };
    for (const [k, [title, content]] of Object.entries(docs)) ids[k] = (await post(`/api/projects/${projectId}/documents`, { title, content })).id;
    for (const id of Object.values(ids)) await waitReady(id);
  }, 60_000);

  it("finds a Chinese passage from an English question, and says which list found it", async () => {
    const res = await post(`/api/projects/${projectId}/search`, { query: "How long is the warranty of the A5 air purifier?", top_k: 3 });
    expect(res.data[0]).toMatchObject({ document_id: ids.zhPurifier, content: expect.stringContaining("保固"), crosslingual_rank: 1 });
    const sims = res.data.map((h: { similarity: number }) => h.similarity);
    for (let i = 1; i < sims.length; i++) expect(sims[i]).toBeLessThanOrEqual(sims[i - 1]);
  });

  it("finds an English passage from a Chinese question, through the gateway, with the rank on the audit row", async () => {
    const res = (await client(projectKey).chat.completions.create({
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "Aurora X1 電池可以用幾個小時?" }],
      vecstruct: { rag: true, rag_top_k: 2 },
    } as never)) as any;
    expect(res.vecstruct.rag_sources[0]).toMatchObject({ document_id: ids.enBattery, content: expect.stringContaining("12 hours") });
    const row = await auditRow(res.vecstruct.audit_id);
    expect((JSON.parse(row.ragSources) as { crosslingual_rank: number | null }[])[0]!.crosslingual_rank).toBe(1);
  });

  it("keeps the same-language passages above those only the translation found", async () => {
    const res = await post(`/api/projects/${projectId}/search`, { query: "台灣直營門市退款需要幾天?", top_k: 4 });
    const hits = res.data as { document_id: string; content: string; vector_rank: number | null; lexical_rank: number | null; crosslingual_rank: number | null }[];
    expect(hits.slice(0, 2).map((h) => h.document_id)).toEqual([ids.zhRefund, ids.zhRefund]);
    expect(hits.slice(0, 2).some((h) => h.content.includes("12 個工作天"))).toBe(true);
    // "幾天" → "days" finds the English shipping passage ("two business days") by the translation alone.
    const translatedOnly = hits.findIndex((h) => h.lexical_rank === null && h.crosslingual_rank !== null);
    expect(translatedOnly).toBeGreaterThanOrEqual(2);
  });
});
