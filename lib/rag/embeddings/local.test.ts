import { afterAll, describe, expect, it } from "vitest";
import { cosineSimilarity, l2Norm } from "../../vector-codec";
import { closeLocalEmbeddings, embedLocal, LOCAL_EMBEDDING_BATCH_SIZE, LOCAL_EMBEDDING_MODEL, localEmbeddingTextsEmbedded, localEmbeddingWorkerStarts } from "./local";

afterAll(closeLocalEmbeddings);

describe("embedLocal (bundled USE-lite model, offline)", () => {
  it("loads once for concurrent first calls and returns unit vectors of the declared size", async () => {
    const before = localEmbeddingWorkerStarts();
    const [a, b] = await Promise.all([embedLocal(["hello world"]), embedLocal(["the cat sat on the mat", "a second text"])]);
    expect(localEmbeddingWorkerStarts() - before).toBe(1);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
    for (const v of [...a, ...b]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(LOCAL_EMBEDDING_MODEL.dimensions);
      expect(l2Norm(v)).toBeCloseTo(1, 5);
    }
  });

  it("ranks related texts above unrelated ones", async () => {
    const [cat, kitten, sql] = await embedLocal([
      "My cat loves to sleep on the sofa all afternoon.",
      "The kitten naps on the couch during the day.",
      "Create a B-tree index to speed up the SQL query.",
    ]);
    expect(cosineSimilarity(cat!, kitten!)).toBeGreaterThan(cosineSimilarity(cat!, sql!) + 0.1);
  });

  it("batches large inputs and keeps input order (a text's vector does not depend on its batch)", async () => {
    const texts = Array.from({ length: LOCAL_EMBEDDING_BATCH_SIZE * 2 + 3 }, (_, i) => `passage ${i}: ${i % 2 ? "databases and indexes" : "gardening and roses"}`);
    const all = await embedLocal(texts);
    expect(all).toHaveLength(texts.length);
    const last = texts.length - 1;
    const [alone0, aloneLast] = await Promise.all([embedLocal([texts[0]!]), embedLocal([texts[last]!])]);
    expect(cosineSimilarity(all[0]!, alone0![0]!)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(all[last]!, aloneLast![0]!)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(all[0]!, all[last]!)).toBeLessThan(0.999);
  });

  it("handles empty input lists and empty strings", async () => {
    expect(await embedLocal([])).toEqual([]);
    const [v] = await embedLocal([""]);
    expect(v!.length).toBe(LOCAL_EMBEDDING_MODEL.dimensions);
  });

  it("embeds a project's repeated single text once (in flight or recent), never across projects, and hands out copies", async () => {
    const text = `what is the refund window ${Math.random()}`;
    const before = localEmbeddingTextsEmbedded();
    const [[a], [b]] = await Promise.all([embedLocal([text], "project-a"), embedLocal([text], "project-a")]);
    expect(localEmbeddingTextsEmbedded() - before).toBe(1);
    expect(cosineSimilarity(a!, b!)).toBeCloseTo(1, 6);
    a!.fill(0);
    const [[again]] = await Promise.all([embedLocal([text], "project-a")]);
    expect(localEmbeddingTextsEmbedded() - before).toBe(1);
    expect(l2Norm(again!)).toBeCloseTo(1, 5);
    // Another project, or no project (ingestion): embedded anew.
    await embedLocal([text], "project-b");
    await embedLocal([text]);
    expect(localEmbeddingTextsEmbedded() - before).toBe(3);
  });

  it("restarts the worker after close", async () => {
    await closeLocalEmbeddings();
    const before = localEmbeddingWorkerStarts();
    const [v] = await embedLocal(["again"]);
    expect(v!.length).toBe(LOCAL_EMBEDDING_MODEL.dimensions);
    expect(localEmbeddingWorkerStarts() - before).toBe(1);
  });
});
