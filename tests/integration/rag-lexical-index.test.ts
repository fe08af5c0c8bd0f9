// The lexical index holds segmented text (lexicalTerms). A database indexed before that (SQLite
// chunk_fts2, PostgreSQL chunk_fts without the v3 comment: whole Chinese sentences as single tokens)
// is rebuilt from `chunks` the first time RAG is used after the upgrade.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rawPg, rawSqlite } from "@/lib/db-raw";
import { env } from "@/lib/env";
import { commitDocumentChunks, ensureRagIndexes, lexicalSearch, resetRagIndexesForTests } from "@/lib/rag/store";

const PASSAGE = { heading: "台灣直營門市退換貨與退款政策 > 退款", content: "台灣直營門市收到退回商品後,會在 12 個工作天內將退款退回原付款方式。" };
const QUESTION = "台灣直營門市退款需要幾天?";

async function chineseDocument() {
  const org = await db().organization.create({ data: { name: "zh" } });
  const project = await db().project.create({ data: { orgId: org.id, name: "zh" } });
  const doc = await db().document.create({ data: { orgId: org.id, projectId: project.id, title: "退款政策", mimeType: "text/markdown", status: "processing" } });
  const vector = new Float32Array(512).fill(0.04);
  expect(await commitDocumentChunks({ id: doc.id, orgId: org.id, projectId: project.id }, [{ ordinal: 0, ...PASSAGE, tokenCount: 40, vector }])).toBe("committed");
  return project.id;
}

describe("the lexical index of Chinese text", () => {
  it("finds a Chinese passage from a Chinese question, and rebuilds an index made before segmentation", async () => {
    const projectId = await chineseDocument();
    expect((await lexicalSearch(projectId, QUESTION, 5)).length).toBe(1);

    // The index as the previous version left it: the same text, unsegmented.
    const raw = `${PASSAGE.heading}\n${PASSAGE.content}`;
    if (env().dialect === "sqlite") {
      const h = rawSqlite();
      h.exec(`DROP TABLE chunk_fts3`);
      h.exec(`CREATE VIRTUAL TABLE chunk_fts2 USING fts5(content, chunk_id UNINDEXED, project_id UNINDEXED, document_id UNINDEXED, tokenize = 'porter unicode61')`);
      h.prepare(`INSERT INTO chunk_fts2 (content, chunk_id, project_id, document_id) SELECT ?, "id", "projectId", "documentId" FROM "chunks"`).run(raw);
      // What the old index gave for the question: nothing (the sentence is one token).
      const old = h.prepare(`SELECT count(*) AS n FROM chunk_fts2 WHERE chunk_fts2 MATCH ?`).get(`"台灣直營門市退款需要幾天"`) as { n: number };
      expect(old.n).toBe(0);
    } else {
      await rawPg().query(`UPDATE chunk_fts SET tsv = to_tsvector('english', $1)`, [raw]);
      await rawPg().query(`COMMENT ON TABLE chunk_fts IS NULL`);
      const old = await rawPg().query(`SELECT count(*)::int AS n FROM chunk_fts WHERE tsv @@ to_tsquery('english', '門市')`);
      expect(old.rows[0].n).toBe(0);
    }

    resetRagIndexesForTests();
    await ensureRagIndexes();
    const hits = await lexicalSearch(projectId, QUESTION, 5);
    expect(hits).toHaveLength(1);
    if (env().dialect === "sqlite") {
      expect(rawSqlite().prepare(`SELECT name FROM sqlite_master WHERE name = 'chunk_fts2'`).get()).toBeUndefined();
    } else {
      const c = await rawPg().query(`SELECT obj_description('chunk_fts'::regclass, 'pg_class') AS v`);
      expect(c.rows[0].v).toMatch(/v3/);
    }
    // Rebuilt once: a second check leaves it as it is.
    resetRagIndexesForTests();
    await ensureRagIndexes();
    expect(await lexicalSearch(projectId, QUESTION, 5)).toEqual(hits);
  });
});
