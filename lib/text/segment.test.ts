import { describe, expect, it } from "vitest";
import { hasCjk, segmentWords, spacedWords } from "./segment";

describe("segmentWords", () => {
  it("splits Chinese (Traditional and Simplified) and Japanese into words", () => {
    expect(segmentWords("退款需要幾天?")).toEqual(["退款", "需要", "幾天"]);
    expect(segmentWords("退款需要几天")).toEqual(["退款", "需要", "几天"]);
    expect(segmentWords("東京の天気")).toContain("東京");
  });
  it("keeps Latin words, lower-cased, and reads full-width characters as ASCII", () => {
    expect(segmentWords("Refund takes ３ days, don't WAIT")).toEqual(["refund", "takes", "3", "days", "don't", "wait"]);
    expect(segmentWords("退款 API 需要３天")).toEqual(["退款", "api", "需要", "3", "天"]);
  });
  it("gives nothing for punctuation only, and spaces words for a whitespace tokenizer", () => {
    expect(segmentWords("?!… —")).toEqual([]);
    expect(spacedWords("退款需要幾天?")).toBe("退款 需要 幾天");
    expect(hasCjk("abc")).toBe(false);
    expect(hasCjk("abc 天")).toBe(true);
  });
});
