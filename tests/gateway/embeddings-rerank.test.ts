import { beforeAll, describe, expect, it } from "vitest";
import { auditRow, baseURL, client, lastUpstreamRequest, newKey } from "./helpers";

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

describe("/v1/embeddings through the official openai client", () => {
  it.each(["openai/text-embedding-3-small", "local/bge-m3"])("embeds with %s", async (model) => {
    const marker = `second text ${model}`;
    const { data, response } = await client(key).embeddings.create({ model, input: ["hello world", marker] }).withResponse();
    expect(data.object).toBe("list");
    expect(data.model).toBe(model);
    expect(data.data).toHaveLength(2);
    expect(data.data[1]!.index).toBe(1);
    expect(data.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    const row = await auditRow(response.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ endpoint: "/v1/embeddings", status: "success", model });
    expect((await lastUpstreamRequest(marker)).body.model).toBe(model.split("/")[1]);
  });

  it("answers the documented errors", async () => {
    const chatModel = await client(key).embeddings.create({ model: "openai/gpt-4o", input: "x" }).catch((e) => e);
    expect(chatModel.status).toBe(400);
    expect(chatModel.error.param).toBe("model");
    const upstream = await client(key).embeddings.create({ model: "openai/text-embedding-3-small", input: "x [[fault:500]]" }).catch((e) => e);
    expect(upstream.status).toBe(502);
    const bad = await client(key).embeddings.create({ model: "openai/text-embedding-3-small", input: [] as string[] }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(bad.error.param).toBe("input");
  });
});

describe("/v1/rerank (Cohere/Jina format)", () => {
  async function rerank(body: unknown) {
    const res = await fetch(`${baseURL}/v1/rerank`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  it.each(["cohere/rerank-v3.5", "local/jina-reranker"])("ranks documents with %s, best first", async (model) => {
    const res = await rerank({ model, query: "paris weather", documents: ["Berlin is cold", "Weather in Paris is mild", { text: "Paris hotels" }], top_n: 2, return_documents: true });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(2);
    expect(res.body.results[0]).toMatchObject({ index: 1, relevance_score: 1, document: { text: "Weather in Paris is mild" } });
    expect(res.body.results[0].relevance_score).toBeGreaterThanOrEqual(res.body.results[1].relevance_score);
    const row = await auditRow(res.headers.get("x-vecstruct-audit-id")!);
    expect(row).toMatchObject({ endpoint: "/v1/rerank", status: "success" });
  });

  it("validates the request", async () => {
    const res = await rerank({ model: "cohere/rerank-v3.5", query: "q", documents: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("documents");
    const wrongKind = await rerank({ model: "openai/gpt-4o", query: "q", documents: ["a"] });
    expect(wrongKind.status).toBe(400);
  });
});
