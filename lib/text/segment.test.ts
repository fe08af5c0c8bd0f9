import { describe, expect, it } from "vitest";
import { hasCjk, lexicalTerms, mostlyCjk, segmentWords, spacedWords } from "./segment";

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

describe("lexicalTerms", () => {
  it("adds the Han character pairs the words leave out, so names the dictionary lacks still match", () => {
    // "小鯨" is two single-character words to the segmenter; its pair makes it one term.
    expect(lexicalTerms("小鯨S3要怎麼恢復原廠設定?")).toEqual(expect.arrayContaining(["小鯨", "s3", "恢復", "原廠", "設定"]));
    // A two-character word is not repeated as a pair.
    expect(lexicalTerms("退款需要幾天").filter((t) => t === "退款")).toHaveLength(1);
  });
  it("leaves text without Han characters as segmentWords gives it", () => {
    expect(lexicalTerms("Refund takes 3 days, YD-5510")).toEqual(["refund", "takes", "3", "days", "yd", "5510"]);
    expect(lexicalTerms("東京の天気")).toContain("東京");
  });
});

describe("mostlyCjk", () => {
  it("tells a Chinese passage with codes and English terms from an English one naming a Chinese city", () => {
    expect(mostlyCjk("雲朵A5自購買日起享有 2 年有限保固,請保留發票作為購買證明。")).toBe(true);
    expect(mostlyCjk("小鯨S1 battery")).toBe(true);
    expect(mostlyCjk("Orders from our 台北 store ship within two business days.")).toBe(false);
    expect(mostlyCjk("How long is the warranty of the A5 air purifier?")).toBe(false);
    expect(mostlyCjk("")).toBe(false);
  });
});
