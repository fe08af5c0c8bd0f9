// Issue 14 (4c): a 203 KB .docx inflating to 53 MB of XML cost 35 s of CPU and ~600 MB, and
// ingestion was one global queue, so one tenant's upload stalled every other tenant's documents.
// Now a DOCX may inflate to VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES (checked before parsing) and
// organizations take turns. The bomb is generated here: a ZIP whose word/document.xml is 64 MiB of
// highly compressible XML.
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { docx, docxBomb } from "../helpers/zip";
import { baseURL, orgWithKey } from "./helpers";

const auth = { authorization: `Bearer ${inject("adminKey")}` };
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async function upload(projectId: string, orgId: string, name: string, bytes: Buffer, type: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${baseURL}/api/projects/${projectId}/documents?org_id=${orgId}`, { method: "POST", headers: auth, body: form });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

const documentOf = (id: string, orgId: string) => fetch(`${baseURL}/api/documents/${id}?org_id=${orgId}`, { headers: auth }).then((r) => r.json());

async function residentBytes(): Promise<number> {
  const text = await fetch(`${baseURL}/api/metrics`, { headers: auth }).then((r) => r.text());
  const line = text.split("\n").find((l) => l.startsWith("vecstruct_process_resident_memory_bytes "));
  return Number(line?.split(" ")[1]);
}

/** Polls a document until it is ready or failed (or the deadline passes), sampling the server's memory meanwhile. */
async function settle(id: string, orgId: string, ms: number, peak: { rss: number }) {
  const deadline = Date.now() + ms;
  for (;;) {
    const doc = await documentOf(id, orgId);
    peak.rss = Math.max(peak.rss, await residentBytes());
    if (doc.status === "ready" || doc.status === "failed") return doc;
    if (Date.now() > deadline) throw new Error(`document ${id} still ${doc.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("document limits and fair ingestion", () => {
  it("fails a DOCX decompression bomb naming the limit, while another organization's document gets ready", async () => {
    const attacker = await orgWithKey("docx-bomber");
    const victim = await orgWithKey("docx-neighbour");
    const bomb = docxBomb(64 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(512 * 1024);
    // Warm up first (the offline embedding model loads on first use), so the baseline is the working size.
    const warm = await upload(victim.projectId, victim.orgId, "warm-up.md", Buffer.from("# Warm up\n\nFirst document."), "text/markdown");
    await settle(warm, victim.orgId, 30_000, { rss: 0 });
    const baseline = await residentBytes();
    const peak = { rss: baseline };

    // The attacker's bomb, then a backlog of ordinary documents; then the neighbour's small one.
    const bombId = await upload(attacker.projectId, attacker.orgId, "bomb.docx", bomb, DOCX);
    const paragraph = "Backlog paragraph about warehouses, refunds and shipping schedules. ".repeat(12);
    const backlog: string[] = [];
    for (let i = 0; i < 3; i++) {
      backlog.push(await upload(attacker.projectId, attacker.orgId, `backlog-${i}.md`, Buffer.from(`# Backlog ${i}\n\n${`${paragraph}\n\n`.repeat(30)}`), "text/markdown"));
    }
    const smallId = await upload(victim.projectId, victim.orgId, "faq.md", Buffer.from("# FAQ\n\nOrders ship within two business days."), "text/markdown");

    const small = await settle(smallId, victim.orgId, 30_000, peak);
    expect(small).toMatchObject({ status: "ready", error: null });
    expect(small.chunk_count).toBeGreaterThan(0);

    const failed = await settle(bombId, attacker.orgId, 30_000, peak);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("limit on decompressed document size (VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES)");
    expect(peak.rss - baseline).toBeLessThan(400 * 1024 * 1024);

    // The attacker's ordinary documents are still ingested, and the neighbour did not wait for all of
    // them: its document was ready before the attacker's last one (a global first-come queue would
    // have ingested it after the whole backlog).
    const done = [];
    for (const id of backlog) done.push(await settle(id, attacker.orgId, 60_000, peak));
    for (const d of done) expect(d.status).toBe("ready");
    expect(Date.parse(small.updated_at)).toBeLessThan(Date.parse(done[done.length - 1].updated_at));
  }, 120_000);

  it("still ingests an ordinary DOCX", async () => {
    const org = await orgWithKey("docx-ok");
    const id = await upload(org.projectId, org.orgId, "notes.docx", docx(["Quarterly notes.", "Revenue grew in every region."]), DOCX);
    const doc = await settle(id, org.orgId, 30_000, { rss: 0 });
    expect(doc).toMatchObject({ status: "ready", error: null });
    const chunks = await fetch(`${baseURL}/api/documents/${id}?org_id=${org.orgId}&include=chunks`, { headers: auth }).then((r) => r.json());
    expect(chunks.chunks.map((c: { content: string }) => c.content).join(" ")).toContain("Revenue grew in every region.");
  });
});
