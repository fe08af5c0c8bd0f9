import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as docItem from "@/app/api/documents/[id]/route";
import * as docs from "@/app/api/projects/[id]/documents/route";
import * as search from "@/app/api/projects/[id]/search/route";
import { db } from "@/lib/db";
import { closeLocalEmbeddings } from "@/lib/rag/embeddings/local";
import { ingestionIdle } from "@/lib/rag/ingest";
import { call, userProject } from "../helpers/http";

afterAll(async () => {
  await closeLocalEmbeddings();
});

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/documents");
const MIME: Record<string, string> = {
  md: "text/markdown",
  html: "text/html",
  txt: "text/plain",
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

async function upload(headers: Record<string, string>, projectId: string, file: string) {
  const form = new FormData();
  const ext = file.split(".").pop()!;
  form.set("file", new Blob([readFileSync(path.join(FIXTURES, file))], { type: MIME[ext] ?? "application/octet-stream" }), file);
  // As the console's upload sends it: same-origin multipart (a session change needs both, lib/api/csrf.ts).
  const req = new Request(`http://localhost/api/projects/${projectId}/documents`, { method: "POST", headers: { ...headers, origin: "http://localhost", "sec-fetch-site": "same-origin" }, body: form });
  const res = await docs.POST(req, { params: Promise.resolve({ id: projectId }) });
  return { status: res.status, body: await res.json() };
}

describe("documents: ingestion of every file type, search, delete, isolation", () => {
  it("ingests txt, md, html, pdf and docx into searchable chunks", async () => {
    const a = await userProject("docs");
    const ids: Record<string, string> = {};
    for (const file of ["guide.md", "guide.html", "guide.txt", "guide.pdf", "guide.docx"]) {
      const res = await upload(a.headers, a.project.id, file);
      expect(res.status, file).toBe(201);
      expect(res.body).toMatchObject({ object: "document", status: "queued", filename: file, chunk_count: 0 });
      ids[file] = res.body.id;
    }
    await ingestionIdle();
    for (const [file, id] of Object.entries(ids)) {
      const doc = await call(docItem.GET, { headers: a.headers, params: { id }, path: `/api/documents/${id}?include=chunks` });
      expect(doc.body.status, `${file}: ${doc.body.error}`).toBe("ready");
      expect(doc.body.chunk_count).toBeGreaterThan(1);
      expect(doc.body.chunks.some((c: { heading: string | null }) => c.heading?.includes("Configuration"))).toBe(true);
    }
    const list = await call(docs.GET, { headers: a.headers, params: { id: a.project.id } });
    expect(list.body.data).toHaveLength(5);

    const found = await call(search.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { query: "bandwidth limits configuration", top_k: 3 } });
    expect(found.status).toBe(200);
    expect(found.body.data).toHaveLength(3);
    for (const hit of found.body.data) {
      expect(hit.similarity).toBeGreaterThanOrEqual(0);
      expect(hit.similarity).toBeLessThanOrEqual(1);
    }
    expect(`${found.body.data[0].heading} ${found.body.data[0].content}`.toLowerCase()).toContain("bandwidth");
    const onlyPdf = await call(search.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { query: "bandwidth", source_ids: [ids["guide.pdf"]] } });
    expect(onlyPdf.body.data.length).toBeGreaterThan(0);
    expect(onlyPdf.body.data.every((h: { document_id: string }) => h.document_id === ids["guide.pdf"])).toBe(true);

    // Deleting a document removes everything searchable of it.
    const del = await call(docItem.DELETE, { method: "DELETE", headers: a.headers, params: { id: ids["guide.pdf"]! } });
    expect(del.body).toMatchObject({ deleted: true });
    expect(await db().chunk.count({ where: { documentId: ids["guide.pdf"] } })).toBe(0);
    const after = await call(search.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { query: "bandwidth", top_k: 50 } });
    expect(after.body.data.some((h: { document_id: string }) => h.document_id === ids["guide.pdf"])).toBe(false);
  });

  it("marks a file without text as failed with its reason, and leaves nothing searchable", async () => {
    const a = await userProject("failing");
    const res = await upload(a.headers, a.project.id, "scanned.pdf");
    expect(res.status).toBe(201);
    await ingestionIdle();
    const doc = await call(docItem.GET, { headers: a.headers, params: { id: res.body.id } });
    expect(doc.body.status).toBe("failed");
    expect(doc.body.error).toMatch(/no extractable text/);
    expect(await db().chunk.count({ where: { documentId: res.body.id } })).toBe(0);
    const binary = await upload(a.headers, a.project.id, "binary.txt");
    await ingestionIdle();
    expect((await call(docItem.GET, { headers: a.headers, params: { id: binary.body.id } })).body.status).toBe("failed");
  });

  it("takes JSON documents, rejects bad uploads, and keeps tenants apart", async () => {
    const a = await userProject("jsonA");
    const b = await userProject("jsonB");
    const created = await call(docs.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { title: "Refunds", content: "# Refunds\n\nRefunds are issued within 14 days of purchase." } });
    expect(created.status).toBe(201);
    await ingestionIdle();
    expect((await call(docItem.GET, { headers: a.headers, params: { id: created.body.id } })).body.status).toBe("ready");

    expect((await call(docs.POST, { method: "POST", headers: a.headers, params: { id: a.project.id }, body: { title: "x" } })).status).toBe(400);
    const png = await call(docs.POST, {
      method: "POST",
      headers: { ...a.headers, "content-type": "image/png" },
      params: { id: a.project.id },
      rawBody: "\x89PNG",
    });
    expect(png.status).toBe(415);

    // B sees nothing of A's, and A's ids are 404 / 400 for B.
    expect((await call(docItem.GET, { headers: b.headers, params: { id: created.body.id } })).status).toBe(404);
    expect((await call(docItem.DELETE, { method: "DELETE", headers: b.headers, params: { id: created.body.id } })).status).toBe(404);
    expect((await call(docs.GET, { headers: b.headers, params: { id: a.project.id } })).status).toBe(404);
    const bSearch = await call(search.POST, { method: "POST", headers: b.headers, params: { id: b.project.id }, body: { query: "refunds" } });
    expect(bSearch.body.data).toEqual([]);
    const foreignIds = await call(search.POST, { method: "POST", headers: b.headers, params: { id: b.project.id }, body: { query: "refunds", source_ids: [created.body.id] } });
    expect(foreignIds.status).toBe(400);
    expect(foreignIds.body.error.param).toBe("source_ids");
  });
});
