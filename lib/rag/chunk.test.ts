import { readFileSync } from "node:fs";
import path from "node:path";
import { countTokens as o200kCount } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { chunkBlocks, estimateTokens, type Chunk } from "./chunk";
import { extractDocument, type Block } from "./extract";

const FIXTURES = path.resolve(import.meta.dirname, "../../tests/fixtures/documents");

/** Deterministic filler prose: sentences of 5–10 words (at most ~25 estimated tokens) from a small vocabulary. */
function prose(sentences: number, seed = 1): string {
  const words = ["harbor", "sync", "relay", "folder", "device", "conflict", "copy", "upload", "limit", "network", "index", "team",
    "file", "change", "setting", "version", "workspace", "log", "error", "port", "schedule", "service", "editor", "lock"];
  let state = seed;
  const next = () => (state = (state * 48271) % 2147483647); // Park–Miller
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const n = 5 + (next() % 6);
    const sentence = Array.from({ length: n }, () => words[next() % words.length]).join(" ");
    out.push(`${sentence[0]?.toUpperCase()}${sentence.slice(1)} number ${s}.`);
  }
  return out.join(" ");
}

/** The longest suffix of `prev` that `next` starts with. */
function sharedOverlap(prev: string, next: string): string {
  for (let len = Math.min(prev.length, next.length); len > 0; len--) {
    const head = next.slice(0, len);
    if (prev.endsWith(head)) return head;
  }
  return "";
}

function expectWellFormed(chunks: readonly Chunk[], maxTokens: number, count = estimateTokens) {
  chunks.forEach((chunk, i) => {
    expect(chunk.ordinal).toBe(i);
    expect(chunk.content).toBe(chunk.content.trimEnd());
    expect(chunk.content).not.toMatch(/^\s*\n/);
    expect(chunk.content.length).toBeGreaterThan(0);
    expect(chunk.tokenCount).toBe(count(chunk.content));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
  });
}

describe("chunkBlocks: structure", () => {
  const blocks: Block[] = [
    { kind: "paragraph", text: "Preface before any heading." },
    { kind: "heading", level: 1, text: "Install" },
    { kind: "paragraph", text: "General notes." },
    { kind: "heading", level: 2, text: "Linux" },
    { kind: "paragraph", text: "Use the package." },
    { kind: "code", text: "sudo apt install harbor\n  --yes" },
    { kind: "heading", level: 3, text: "Debian" },
    { kind: "list", text: "- one\n- two" },
    { kind: "heading", level: 2, text: "macOS" },
    { kind: "table", text: "a | b\n1 | 2" },
    { kind: "heading", level: 1, text: "Usage" },
    { kind: "heading", level: 2, text: "Empty section" },
    { kind: "heading", level: 2, text: "Basics" },
    { kind: "paragraph", text: "Start it." },
  ];

  it("starts a chunk at each heading and carries the heading path; content has no heading prefix", () => {
    const chunks = chunkBlocks(blocks);
    expect(chunks).toEqual([
      { ordinal: 0, heading: null, content: "Preface before any heading.", tokenCount: 7 },
      { ordinal: 1, heading: "Install", content: "General notes.", tokenCount: 4 },
      { ordinal: 2, heading: "Install > Linux", content: "Use the package.\n\nsudo apt install harbor\n  --yes", tokenCount: 13 },
      { ordinal: 3, heading: "Install > Linux > Debian", content: "- one\n- two", tokenCount: 3 },
      { ordinal: 4, heading: "Install > macOS", content: "a | b\n1 | 2", tokenCount: 3 },
      { ordinal: 5, heading: "Usage > Basics", content: "Start it.", tokenCount: 3 },
    ]);
  });

  it("returns nothing for no blocks, and the heading text for a document made only of headings", () => {
    expect(chunkBlocks([])).toEqual([]);
    expect(chunkBlocks([{ kind: "heading", level: 1, text: "Title" }, { kind: "heading", level: 2, text: "Sub" }])).toEqual([
      { ordinal: 0, heading: null, content: "Title\nSub", tokenCount: 3 },
    ]);
  });

  it("validates its options and caps the overlap at half of maxTokens", () => {
    expect(() => chunkBlocks(blocks, { maxTokens: 0 })).toThrow(RangeError);
    expect(() => chunkBlocks(blocks, { maxTokens: 10.5 })).toThrow(RangeError);
    expect(() => chunkBlocks(blocks, { overlapTokens: -1 })).toThrow(RangeError);
    const text = prose(60);
    const chunks = chunkBlocks([{ kind: "paragraph", text }], { maxTokens: 40, overlapTokens: 1000 });
    expectWellFormed(chunks, 40);
    for (let i = 1; i < chunks.length; i++) {
      // capped at 40 / 2 = 20 tokens; a single last sentence may stretch to 1.5 × that
      expect(estimateTokens(sharedOverlap(chunks[i - 1]?.content ?? "", chunks[i]?.content ?? ""))).toBeLessThanOrEqual(30);
    }
  });

  it("is deterministic", () => {
    const input: Block[] = [{ kind: "heading", level: 1, text: "A" }, { kind: "paragraph", text: prose(200, 7) }];
    expect(chunkBlocks(input, { maxTokens: 64, overlapTokens: 16 })).toEqual(chunkBlocks(input, { maxTokens: 64, overlapTokens: 16 }));
  });
});

describe("chunkBlocks: sizes and overlap", () => {
  const paragraphs = Array.from({ length: 30 }, (_, i) => prose(3 + (i % 5), i + 1));
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: "Guide" },
    ...paragraphs.slice(0, 15).map((text): Block => ({ kind: "paragraph", text })),
    { kind: "heading", level: 2, text: "More" },
    ...paragraphs.slice(15).map((text): Block => ({ kind: "paragraph", text })),
  ];

  it.each([
    [50, 10],
    [120, 30],
    [400, 60],
  ])("never exceeds maxTokens=%i (overlap %i), ordinals are consecutive, and no text is lost", (maxTokens, overlapTokens) => {
    const chunks = chunkBlocks(blocks, { maxTokens, overlapTokens });
    expectWellFormed(chunks, maxTokens);
    // every sentence of every paragraph is in a chunk of its own section
    paragraphs.forEach((p, i) => {
      const heading = i < 15 ? "Guide" : "Guide > More";
      for (const sentence of p.match(/[^.]+\./g) ?? []) {
        expect(chunks.some((c) => c.heading === heading && c.content.includes(sentence.trim()))).toBe(true);
      }
    });
  });

  it("overlaps consecutive chunks of one section by whole trailing sentences, and never across sections", () => {
    const maxTokens = 120;
    const overlapTokens = 30;
    const chunks = chunkBlocks(blocks, { maxTokens, overlapTokens });
    let pairs = 0;
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1];
      const next = chunks[i];
      if (!prev || !next) continue;
      const overlap = sharedOverlap(prev.content, next.content);
      if (prev.heading !== next.heading) {
        expect(next.content.startsWith(paragraphs[15]?.slice(0, 40) ?? "-")).toBe(true);
        continue;
      }
      // No overlap only when the next chunk opens with a whole paragraph that leaves no room for one.
      if (!overlap) {
        expect(paragraphs.some((p) => next.content.startsWith(p.slice(0, 60)))).toBe(true);
        continue;
      }
      pairs++;
      expect(estimateTokens(overlap)).toBeLessThanOrEqual(overlapTokens * 1.5);
      expect(overlap).toMatch(/^[A-Z]/); // starts at a sentence start
      expect(overlap.trim()).toMatch(/\.$/); // and ends at a sentence end
      expect(overlap.length).toBeLessThan(next.content.length); // the chunk adds new text
    }
    expect(pairs).toBeGreaterThan(5);
  });

  it("splits a block larger than maxTokens on sentence boundaries", () => {
    const text = prose(80, 3);
    const sentences = text.match(/[^.]+\./g)?.map((s) => s.trim()) ?? [];
    const chunks = chunkBlocks([{ kind: "paragraph", text }], { maxTokens: 100, overlapTokens: 25 });
    expect(chunks.length).toBeGreaterThan(5);
    expectWellFormed(chunks, 100);
    for (const chunk of chunks) {
      expect(chunk.content).toMatch(/^[A-Z]/);
      expect(chunk.content).toMatch(/\.$/);
      // each chunk is a run of whole sentences of the paragraph
      const parts = chunk.content.match(/[^.]+\./g)?.map((s) => s.trim()) ?? [];
      for (const part of parts) expect(sentences).toContain(part);
    }
    // with the overlap removed, the chunks rebuild the paragraph
    let rebuilt = chunks[0]?.content ?? "";
    for (let i = 1; i < chunks.length; i++) {
      const overlap = sharedOverlap(chunks[i - 1]?.content ?? "", chunks[i]?.content ?? "");
      rebuilt += ` ${(chunks[i]?.content ?? "").slice(overlap.length).trim()}`;
    }
    expect(rebuilt).toBe(text);
  });

  it("splits a sentence without punctuation between words, and an unsplittable word between characters", () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const chunks = chunkBlocks([{ kind: "paragraph", text: words.join(" ") }], { maxTokens: 50, overlapTokens: 10 });
    expectWellFormed(chunks, 50);
    for (const c of chunks) for (const w of c.content.split(" ")) expect(words).toContain(w);
    expect(new Set(chunks.flatMap((c) => c.content.split(" ")))).toEqual(new Set(words));

    const token = "A1b2C3d4".repeat(500); // 4000 characters, no spaces: a base64 blob, say
    const blob = chunkBlocks([{ kind: "paragraph", text: `Before. ${token} After.` }], { maxTokens: 100, overlapTokens: 20 });
    expectWellFormed(blob, 100);
    expect(blob.map((c) => c.content).join("")).toContain(token.slice(0, 300));
    expect(blob.filter((c) => /^[A-Za-z0-9]+$/.test(c.content)).map((c) => c.content).join("").length).toBeGreaterThan(3000);
  });

  it("keeps a code block whole when it fits, and splits a long one on lines with indentation intact", () => {
    const small = "def f(x):\n    return x + 1";
    expect(chunkBlocks([{ kind: "code", text: small }])[0]?.content).toBe(small);

    const lines = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? `def f${i}():` : `    return ${i}  # value`));
    const chunks = chunkBlocks([{ kind: "code", text: lines.join("\n") }], { maxTokens: 80, overlapTokens: 10 });
    expect(chunks.length).toBeGreaterThan(3);
    expectWellFormed(chunks, 80);
    for (const c of chunks) for (const line of c.content.split("\n")) expect(lines).toContain(line);
  });
});

describe("chunkBlocks: token counting", () => {
  const text = prose(150, 11);

  it("accepts a real tokenizer (o200k) and keeps every chunk within maxTokens by its count", () => {
    const count = (s: string) => o200kCount(s);
    const chunks = chunkBlocks([{ kind: "heading", level: 1, text: "T" }, { kind: "paragraph", text }], { maxTokens: 100, overlapTokens: 20, countTokens: count });
    expect(chunks.length).toBeGreaterThan(3);
    expectWellFormed(chunks, 100, count);
  });

  it("accepts a counter that is not additive (words, with a fixed per-text cost)", () => {
    const count = (s: string) => 3 + s.split(/\s+/).filter(Boolean).length;
    const chunks = chunkBlocks([{ kind: "paragraph", text }], { maxTokens: 64, overlapTokens: 12, countTokens: count });
    expectWellFormed(chunks, 64, count);
  });
});

describe("chunkBlocks: the product guide in five formats", () => {
  it.each(["md", "html", "txt", "pdf", "docx"])("guide.%s chunks under the three section headings", async (ext) => {
    const doc = await extractDocument({ bytes: new Uint8Array(readFileSync(path.join(FIXTURES, `guide.${ext}`))), filename: `guide.${ext}` });
    const chunks = chunkBlocks(doc.blocks, { maxTokens: 120, overlapTokens: 30 });
    expectWellFormed(chunks, 120);
    const headings = new Set(chunks.map((c) => c.heading));
    expect([...headings]).toEqual([
      "Harbor Sync User Guide",
      "Harbor Sync User Guide > Getting Started",
      "Harbor Sync User Guide > Configuration",
      "Harbor Sync User Guide > Configuration > Bandwidth Limits",
      "Harbor Sync User Guide > Troubleshooting",
    ]);
    const config = chunks.find((c) => c.heading === "Harbor Sync User Guide > Configuration");
    expect(config?.content).toContain('[sync]\nfolder = "~/Harbor"');
    const trouble = chunks.filter((c) => c.heading?.endsWith("Troubleshooting"));
    expect(trouble.length).toBeGreaterThan(1); // ~250 words at 120 tokens: several overlapping chunks
    expect(sharedOverlap(trouble[0]?.content ?? "", trouble[1]?.content ?? "").length).toBeGreaterThan(0);
  });
});

describe("chunkBlocks: speed", () => {
  it("chunks 1 MB of text", () => {
    const blocks: Block[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      if (i % 20 === 0) blocks.push({ kind: "heading", level: 1 + (i % 3), text: `Section ${i}` });
      const text = i % 50 === 7 ? prose(400, i) : prose(2 + (i % 9), i); // now and then one very long paragraph
      blocks.push({ kind: "paragraph", text });
      size += text.length;
    }
    const started = performance.now();
    const chunks = chunkBlocks(blocks);
    const ms = performance.now() - started;
    console.log(`chunked ${(size / 1e6).toFixed(2)} MB into ${chunks.length} chunks in ${ms.toFixed(0)} ms`);
    expectWellFormed(chunks, 400);
  });
});
