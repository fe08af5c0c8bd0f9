// The capability registry and the embeddings and rerank conversions it hands out.
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../catalog/providers";
import { ApiError } from "../errors";
import { capabilitiesOf, chatAdapterFor, embeddingsAdapterFor, rerankAdapterFor } from "./registry";

const target = { baseUrl: "https://api.example.com/v1/", apiKey: "sk-test", upstreamModel: "up-model" };

describe("capability registry", () => {
  it("declares chat, embeddings and rerank for every protocol", () => {
    const table = Object.fromEntries(
      PROTOCOLS.map((p) => {
        const c = capabilitiesOf(p);
        return [p, { chat: c.chat !== null, embeddings: c.embeddings !== null, rerank: c.rerank !== null }];
      }),
    );
    expect(table).toEqual({
      openai: { chat: true, embeddings: true, rerank: false },
      "openai-compatible": { chat: true, embeddings: true, rerank: true },
      anthropic: { chat: true, embeddings: false, rerank: false },
      google: { chat: true, embeddings: false, rerank: false },
      cohere: { chat: false, embeddings: false, rerank: true },
    });
  });

  it("keeps chatAdapterFor: the protocol's chat adapter, null for cohere", () => {
    for (const p of PROTOCOLS) expect(chatAdapterFor(p)).toBe(capabilitiesOf(p).chat);
    expect(chatAdapterFor("cohere")).toBeNull();
  });

  it("refuses a capability a protocol does not serve with a 400 naming the model", () => {
    expect(() => embeddingsAdapterFor("anthropic")).toThrow(new ApiError("invalid_value", "The anthropic provider does not serve /v1/embeddings here.", { param: "model" }));
    expect(() => rerankAdapterFor("openai")).toThrow(new ApiError("invalid_value", "The openai provider does not serve /v1/rerank.", { param: "model" }));
    expect(() => embeddingsAdapterFor("cohere")).toThrow(new ApiError("invalid_value", "The cohere provider does not serve /v1/embeddings here.", { param: "model" }));
  });

  it("treats a protocol no folder declares as a bug", () => {
    expect(() => capabilitiesOf("toString" as never)).toThrow("unknown protocol toString");
  });
});

describe("embeddings (OpenAI format)", () => {
  const adapter = embeddingsAdapterFor("openai-compatible");

  it("passes the body through with the upstream model", () => {
    expect(adapter.buildRequest({ model: "ours/emb", input: ["a", "b"], dimensions: 256, vecstruct: { project_id: "p" } }, target)).toEqual({
      url: "https://api.example.com/v1/embeddings",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: { model: "up-model", input: ["a", "b"], dimensions: 256 },
      warnings: [],
    });
  });

  it("answers under the client's model id and fills total_tokens from prompt_tokens", () => {
    const out = adapter.parseResponse({ object: "list", model: "up-model", data: [{ object: "embedding", index: 0, embedding: [0.1, -0.2] }, { index: 1, embedding: "AACAPw==" }], usage: { prompt_tokens: 5 } }, "ours/emb");
    expect(out).toEqual({
      object: "list",
      model: "ours/emb",
      data: [
        { object: "embedding", index: 0, embedding: [0.1, -0.2] },
        { object: "embedding", index: 1, embedding: "AACAPw==" },
      ],
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    expect(adapter.parseResponse({ data: [] }, "m").usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });

  it.each([
    ["no data", { object: "list" }],
    ["an embedding that is neither numbers nor base64", { data: [{ index: 0, embedding: 3 }] }],
    ["an item without an index", { data: [{ embedding: [1] }] }],
    ["usage that is not counted", { data: [], usage: { prompt_tokens: "5" } }],
  ])("refuses %s as an upstream_error", (_what, body) => {
    expect(() => adapter.parseResponse(body, "m")).toThrow(new ApiError("upstream_error", "The upstream answered with something that is not an embeddings list."));
  });
});

describe("rerank (Cohere format)", () => {
  const input = { query: "q", documents: ["a", "b", "c"], top_n: 2 };

  it("calls /v2/rerank on Cohere and /rerank on a compatible server", () => {
    const cohere = rerankAdapterFor("cohere").buildRequest(input, { ...target, baseUrl: "https://api.cohere.com" });
    expect(cohere).toEqual({
      url: "https://api.cohere.com/v2/rerank",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: { model: "up-model", query: "q", documents: ["a", "b", "c"], top_n: 2 },
      warnings: [],
    });
    expect(rerankAdapterFor("openai-compatible").buildRequest({ query: "q", documents: ["a"] }, { ...target, apiKey: "" })).toEqual({
      url: "https://api.example.com/v1/rerank",
      headers: { "content-type": "application/json" },
      body: { model: "up-model", query: "q", documents: ["a"] },
      warnings: [],
    });
  });

  it("sorts results best first and reads search units (Cohere) or tokens (Jina)", () => {
    const cohere = rerankAdapterFor("cohere").parseResponse(
      { id: "r", results: [{ index: 2, relevance_score: 0.1 }, { index: 0, relevance_score: 0.9 }], meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } } },
      3,
    );
    expect(cohere).toEqual({ results: [{ index: 0, relevance_score: 0.9 }, { index: 2, relevance_score: 0.1 }], totalTokens: null, searchUnits: 1 });
    const jina = rerankAdapterFor("openai-compatible").parseResponse({ model: "jina", results: [{ index: 1, relevance_score: 0.5, document: { text: "b" } }], usage: { total_tokens: 12 } }, 3);
    expect(jina).toEqual({ results: [{ index: 1, relevance_score: 0.5 }], totalTokens: 12, searchUnits: null });
  });

  it.each([
    ["no results", { meta: {} }, "The upstream answered with something that is not a rerank result."],
    ["an index past the documents", { results: [{ index: 3, relevance_score: 0.5 }] }, "The upstream answered with a malformed rerank result."],
    ["a score that is not a number", { results: [{ index: 0, relevance_score: "high" }] }, "The upstream answered with a malformed rerank result."],
    ["a result that is not an object", { results: [null] }, "The upstream answered with a malformed rerank result."],
  ])("refuses %s as an upstream_error", (_what, body, message) => {
    expect(() => rerankAdapterFor("cohere").parseResponse(body, 3)).toThrow(new ApiError("upstream_error", message));
  });
});
