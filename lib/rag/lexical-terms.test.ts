// The lexical side of retrieval on both databases indexes lexicalText() and searches queryTerms(): a
// question matches a passage when they share a term. These pin what segmentation changes for that.
import { describe, expect, it } from "vitest";
import { lexicalText, queryTerms } from "./store";

const shared = (question: string, passage: { heading: string | null; content: string }) => {
  const indexed = new Set(lexicalText(passage).split(" "));
  return queryTerms(question).filter((t) => indexed.has(t));
};

describe("lexical terms of questions and passages", () => {
  it("a Traditional Chinese question shares words with its passage (unsegmented, each sentence was one token)", () => {
    const passage = { heading: "退換貨與退款政策 > 退款", content: "台灣直營門市收到退回商品後,會在 12 個工作天內將退款退回原付款方式。" };
    expect(shared("台灣直營門市退款需要幾天?", passage)).toEqual(expect.arrayContaining(["退款", "門市"]));
    expect(lexicalText(passage)).toContain("退款");
  });
  it("a Simplified Chinese question and a product name without spaces", () => {
    const passage = { heading: "光影T1台灯使用说明书 > 电池续航", content: "光影T1 充满电后可以连续运行 360 分钟。" };
    expect(shared("光影T1充满电后可以运行几分钟?", passage)).toEqual(expect.arrayContaining(["光影", "t1", "运行"]));
  });
  it("drops one-character Chinese terms and English stopwords, keeps English words as before", () => {
    expect(queryTerms("退款的是")).toContain("退款");
    expect(queryTerms("退款的是")).not.toContain("的");
    expect(queryTerms("退款的是")).not.toContain("是");
    expect(queryTerms("How many days do I have to return a product?")).toEqual(["many", "days", "return", "product"]);
    // "YD-5510" is two words on both sides (PostgreSQL's parser had indexed '-5510').
    expect(shared("Which part is YD-5510?", { heading: null, content: "Order part number YD-5510." })).toEqual(["part", "yd", "5510"]);
  });
  it("a lone single character is still searched when it is all the question has", () => {
    expect(queryTerms("天?")).toEqual(["天"]);
  });
});
