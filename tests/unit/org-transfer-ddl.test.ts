// scripts/org-transfer.mjs rebuilds the vector index without the TypeScript library (it runs from a
// production install without a build), so its DDL must stay the library's exactly.
import { describe, expect, it } from "vitest";
import { lexicalText } from "@/lib/rag/store";
import * as pgv from "@/lib/rag/vector/postgres";
import * as sqv from "@/lib/rag/vector/sqlite";
import { lexicalText as orgLexicalText, pgVectorDdl, sqliteVectorDdl } from "../../scripts/org-transfer.mjs";

describe("org import: vector index DDL", () => {
  it.each([8, 512, 1024, 1536, 3072])("matches lib/rag/vector for %i dimensions", (dims) => {
    expect(sqliteVectorDdl(dims)).toBe(sqv.vectorTableDdl(dims));
    expect(pgVectorDdl(dims)).toEqual(pgv.vectorTableDdl(dims));
  });
});

describe("org import: lexical index text", () => {
  it.each([
    { heading: "Returns policy > Refunds", content: "Refunds take 5 business days, part YD-5510." },
    { heading: "小鯨S3掃地機器人使用說明書 > 保固", content: "小鯨S3 自購買日起享有 3 年有限保固,請保留發票作為購買證明。" },
    { heading: null, content: "光影T1充满电后可以连续运行 360 分钟。東京の天気 ＡＰＩ" },
  ])("matches lib/rag/store.ts lexicalText for %o", (chunk) => {
    expect(orgLexicalText(chunk)).toBe(lexicalText(chunk));
  });
});
