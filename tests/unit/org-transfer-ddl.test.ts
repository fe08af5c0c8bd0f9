// scripts/org-transfer.mjs rebuilds the vector index without the TypeScript library (it runs from a
// production install without a build), so its DDL must stay the library's exactly.
import { describe, expect, it } from "vitest";
import * as pgv from "@/lib/rag/vector/postgres";
import * as sqv from "@/lib/rag/vector/sqlite";
import { pgVectorDdl, sqliteVectorDdl } from "../../scripts/org-transfer.mjs";

describe("org import: vector index DDL", () => {
  it.each([8, 512, 1024, 1536, 3072])("matches lib/rag/vector for %i dimensions", (dims) => {
    expect(sqliteVectorDdl(dims)).toBe(sqv.vectorTableDdl(dims));
    expect(pgVectorDdl(dims)).toEqual(pgv.vectorTableDdl(dims));
  });
});
