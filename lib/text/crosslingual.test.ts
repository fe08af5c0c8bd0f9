import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crossLingualGroups } from "./crosslingual";

const crossLingualTerms = async (q: string) => {
  const { translated, codes } = await crossLingualGroups(q);
  return [...translated.flat(), ...codes];
};
import { glossary, SortedList } from "./glossary";

const list = (lines: string[]) => new SortedList(Buffer.from(lines.map((l) => `${l}\n`).join("")));

describe("SortedList", () => {
  const l = list(["apple\tA", "day\t天 日", "refund\t退款 退還", "store\t商店", "天\tday sky", "退款\trefund"]);
  it("finds every key, the first and the last included, and nothing else", () => {
    expect(l.size).toBe(6);
    expect(l.get("apple")).toEqual(["A"]);
    expect(l.get("refund")).toEqual(["退款", "退還"]);
    expect(l.get("退款")).toEqual(["refund"]);
    expect(l.get("天")).toEqual(["day", "sky"]);
    for (const missing of ["", "app", "apples", "zzz", "退", "aaa"]) expect(l.get(missing)).toEqual([]);
  });
});

describe("the shipped lists", () => {
  const keys = (name: string) =>
    gunzipSync(readFileSync(`lib/text/data/${name}`))
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(0, line.indexOf("\t")));
  it("are sorted by the key's UTF-8 bytes, without duplicates (the binary search depends on it)", () => {
    for (const name of ["zh-en.tsv.gz", "en-zh.tsv.gz"]) {
      const k = keys(name);
      expect(k.length).toBeGreaterThan(50_000);
      const bytes = k.map((key) => Buffer.from(key));
      const unsorted = bytes.findIndex((b, i) => i > 0 && Buffer.compare(bytes[i - 1]!, b) !== -1);
      expect(unsorted, `${name}: ${k[unsorted - 1]} / ${k[unsorted]}`).toBe(-1);
    }
  });
  it("bridge the words a customer-service bot is asked about, both scripts", async () => {
    const g = await glossary();
    expect(g.english("退款")).toContain("refund");
    expect(g.english("電池")).toContain("battery");
    expect(g.english("电池")).toContain("battery");
    expect(g.chinese("refund")).toEqual(expect.arrayContaining(["退款"]));
    expect(g.chinese("warranty")).toEqual(expect.arrayContaining(["保固", "保修"]));
    expect(g.chinese("air purifier")).toEqual(["空气净化器", "空氣淨化器"]);
    expect(g.longestAt("实体门店退款", 2)).toBe(2); // 门店
    expect(g.longestAt("xyz", 0)).toBe(0);
  });
});

describe("crossLingualGroups", () => {
  it("gives an English question's words in Chinese (both scripts), phrases first, with its codes", async () => {
    const terms = await crossLingualTerms("How long is the warranty of the A5 air purifier?");
    expect(terms).toEqual(expect.arrayContaining(["保固", "保修", "空气", "空氣", "a5"]));
    // Question words are not searched for: "how long" is not 悠久.
    expect(terms).not.toContain("悠久");
  });
  it("gives a Chinese question's words in English, re-splitting what the segmenter left whole", async () => {
    expect(await crossLingualTerms("網路商店 (online store) 退款需要幾天?")).toEqual(expect.arrayContaining(["refund", "store", "days"]));
    expect(await crossLingualTerms("实体门店退款要几天?")).toContain("store"); // 门店, which ICU splits into 门 店
  });
  it("groups the alternatives per question word, and keeps the codes apart", async () => {
    const { translated, codes } = await crossLingualGroups("refund at the A5 store");
    expect(translated[0]).toEqual(expect.arrayContaining(["退款"]));
    expect(translated.find((g) => g.includes("商店"))).toBeDefined();
    expect(codes).toEqual(["a5"]);
  });
  it("gives nothing when no word is in the dictionary", async () => {
    expect(await crossLingualGroups("the of and")).toEqual({ translated: [], codes: [] });
    expect(await crossLingualGroups("?! E47")).toEqual({ translated: [], codes: ["e47"] });
  });
});
