import { describe, expect, it } from "vitest";
import { withoutQuestions } from "./learn";
import { analyse, attributeWords, remainderAfter, supersededMemories, supersedes } from "./supersede";
import { contentWords } from "./words";

const rule = (old: string, next: string) => supersedes(analyse(next), analyse(old), null);
const mem = (id: string, content: string) => ({ id, content, vector: null });

describe("supersession (raw mode)", () => {
  it("replaces a restated single-valued attribute in English, Traditional and Simplified Chinese", () => {
    expect(rule("I live in Taipei.", "I moved to Kaohsiung last month.")).toBe("attribute");
    expect(rule("My phone number is 0912 345 678.", "My new phone number is 0987 654 321.")).toBe("attribute");
    expect(rule("我住在台北。", "我搬到高雄了。")).toBe("attribute");
    expect(rule("我的手機號碼是0912345678。", "我的手機號碼換成0987654321了。")).toBe("attribute");
    expect(rule("我住在北京。", "我搬到上海了。")).toBe("attribute");
    expect(rule("我最喜欢的颜色是红色。", "我现在最喜欢的颜色是黄色。")).toBe("attribute");
  });

  it("replaces what a change said in so many words names", () => {
    expect(rule("I drive a 2012 Toyota Corolla.", "I sold the Corolla and bought an electric bike instead.")).toBe("change");
    expect(rule("我喜欢喝绿茶。", "我不喝绿茶了，现在只喝咖啡。")).not.toBeNull();
    expect(rule("我每周去打两次篮球。", "我不打篮球了，现在练瑜伽。")).toBe("change");
  });

  it("keeps two different facts that may both be true", () => {
    expect(rule("I have a dog named Pepper.", "I also adopted a cat called Tofu.")).toBeNull();
    expect(rule("I have a dog named Pepper.", "I have a cat called Tofu.")).toBeNull();
    expect(rule("我養了一隻狗，叫小白。", "我還養了一隻貓，叫咪咪。")).toBeNull();
    expect(rule("我有一个妹妹叫王芳。", "我有一个哥哥叫王伟。")).toBeNull();
    expect(rule("I'm allergic to peanuts.", "I'm allergic to shellfish.")).toBeNull();
    // Somebody else's city is no correction of the user's.
    expect(rule("I live in Paris.", "My sister Lea lives in Berlin.")).toBeNull();
    // Replacing this would lose the name and the origin with the old city.
    expect(rule("I'm Emre, I'm from Istanbul but I live in Amsterdam now.", "I live in Utrecht now.")).toBeNull();
    expect(rule("我是志偉，今年28歲。", "我過完生日，現在29歲了。")).toBeNull();
    // Two unrelated changes share only their cue word.
    expect(rule("I sold the Corolla and bought an electric bike instead.", "I'm swimming now instead.")).toBeNull();
  });

  it("lists every memory a statement corrects, and none for a new fact", () => {
    const stored = [mem("city", "I rent a room in Edinburgh."), mem("job", "I work as a nurse at the Royal Infirmary."), mem("dog", "I have a dog named Bolt.")];
    expect(supersededMemories("I now work as a junior doctor and I live in Glasgow.", null, stored).map((r) => r.id).sort()).toEqual(["city", "job"]);
    expect(supersededMemories("I have a cat named Miso.", null, stored)).toEqual([]);
    expect(supersededMemories("I rent a room in Edinburgh.", null, stored)).toEqual([]); // the same statement again
  });
});

describe("a statement corrected in part", () => {
  const cut = (old: string, next: string) => remainderAfter(analyse(next), analyse(old));
  it("loses the corrected clauses and keeps the rest", () => {
    expect(cut("Hi, I'm Grace and I live in Taipei.", "I moved to Kaohsiung last month.")).toBe("Hi, I'm Grace");
    expect(cut("我是志偉，今年28歲。", "我過完生日，現在29歲了。")).toBe("我是志偉");
    expect(cut("我叫赵敏，是研究生。", "我毕业了，现在在一家银行当分析师。")).toBe("我叫赵敏");
    const stored = [mem("grace", "Hi, I'm Grace and I live in Taipei."), mem("dog", "I have a dog named Pepper.")];
    expect(supersededMemories("I moved to Kaohsiung last month.", null, stored)).toEqual([{ id: "grace", rule: "part", keep: "Hi, I'm Grace" }]);
  });

  it("is left whole when one clause states the corrected attribute and another one", () => {
    expect(cut("I live in Manchester with my partner, Sam.", "Sam and I got married last weekend!")).toBeNull();
    expect(cut("I have a dog named Pepper.", "I moved to Kaohsiung last month.")).toBeNull();
  });
});

describe("memory words", () => {
  it("segments Chinese and drops pronouns and particles", () => {
    expect([...contentWords("我住在哪個城市？")]).toEqual(["住在", "城市"]);
    expect([...contentWords("我的手機號碼換成0987654321了。")]).toEqual(["手機", "號碼", "換成", "0987654321"]);
    expect(contentWords("What is my dog called?")).toEqual(new Set(["dog", "call"]));
  });

  it("names the attribute a question asks about", () => {
    expect(attributeWords("我今年幾歲？", true)).toEqual(["@age"]);
    expect(attributeWords("Which city do I live in?", true)).toContain("@city");
    expect(attributeWords("我搬到高雄了。", false)).toEqual(["@city"]);
    // Topics that may hold several facts name both sides too, and never supersede.
    expect(attributeWords("我平常做什麼運動？", true)).toContain("@sport");
    expect(attributeWords("我不打篮球了，现在练瑜伽。", false)).toContain("@sport");
  });

  it("drops questions written with full-width punctuation", () => {
    expect(withoutQuestions("我搬到高雄了。高雄有什麼好吃的？")).toBe("我搬到高雄了。");
  });
});
