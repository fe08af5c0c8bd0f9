// `npm run org -- export|import`: an organization populated through the app's own code moves to the
// other dialect and back without losing a row, a balance or a search result. Runs in both integration
// projects: SQLite → PostgreSQL → SQLite in one, PostgreSQL → SQLite → PostgreSQL in the other.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as topup from "@/app/api/billing/topup/route";
import { flushAudit, recordAudit } from "@/lib/audit/writer";
import { reserve } from "@/lib/billing/reserve";
import { credentialSecretContext, decryptSecret, encryptSecret, sha256Hex } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db";
import { closeRawDb } from "@/lib/db-raw";
import { resetEnvForTests } from "@/lib/env";
import { addMemory, recallMemories, updateMemory } from "@/lib/memory/store";
import { closeLocalEmbeddings, embedLocal, LOCAL_EMBEDDING_MODEL } from "@/lib/rag/embeddings/local";
import { commitDocumentChunks, lexicalSearch, vectorSearch } from "@/lib/rag/store";
import { generateApiKey } from "@/lib/tenancy/keys";
import { loadResponse, saveResponse } from "@/lib/gateway/responses/store";
import { migrate } from "../../scripts/migrate.mjs";
import { exportOrgs, importOrgs, keyFingerprint, readSchema, verifyFile } from "../../scripts/org-transfer.mjs";
import { adminHeaders, call, signedInUser } from "../helpers/http";

const sourceDialect = process.env.VECSTRUCT_TEST_DIALECT ?? "sqlite";
const otherDialect = sourceDialect === "sqlite" ? "postgres" : "sqlite";
const sourceUrl = process.env.DATABASE_URL!;
const work = mkdtempSync(path.join(tmpdir(), "vecstruct-transfer-"));
const PG_BASE = process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dropPg: string[] = [];

/** The other dialect of this suite is PostgreSQL with pgvector; a machine without it skips the file
 *  (CI installs pgvector, so there it always runs). */
async function pgvectorAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const r = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    return r.rowCount === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
const pgvector = await pgvectorAvailable();
if (!pgvector) console.warn("org-transfer: skipped (PostgreSQL with pgvector is not available at DATABASE_URL_TEST_PG)");

/** A fresh, empty database of this dialect (import migrates it). */
async function freshDb(dialect: string): Promise<string> {
  if (dialect === "sqlite") return `file:${path.join(work, `t${randomBytes(4).toString("hex")}.db`)}`;
  const name = `vs_xfer_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  dropPg.push(name);
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Points the app's db()/rawSqlite()/rawPg() at another database. */
async function useDatabase(url: string) {
  await flushAudit();
  await disconnectDb();
  await closeRawDb();
  process.env.DATABASE_URL = url;
  resetEnvForTests();
}

async function exportTo(url: string, orgId: string, name: string, opts: { releaseReservations?: boolean } = {}): Promise<string> {
  const file = path.join(work, name);
  let text = "";
  await exportOrgs({ url, orgs: [orgId], write: (l: string) => void (text += l), ...opts });
  writeFileSync(file, text);
  return file;
}

type Row = Record<string, unknown>;
const schema = readSchema();
/** table → id → row, with Json columns parsed (PostgreSQL's jsonb normalises the text, not the value). */
function rowsOf(file: string): Map<string, Map<string, Row>> {
  const out = new Map<string, Map<string, Row>>();
  for (const line of readFileSync(file, "utf8").trim().split("\n").slice(1, -1)) {
    const { t, r } = JSON.parse(line) as { t: string; r: Row };
    const json = new Set(schema.get(t)!.filter((c: { type: string }) => c.type === "Json").map((c: { name: string }) => c.name));
    for (const k of json) if (typeof r[k] === "string") r[k] = JSON.parse(r[k] as string);
    if (!out.has(t)) out.set(t, new Map());
    out.get(t)!.set(r.id as string, r);
  }
  return out;
}

function expectSameRows(a: string, b: string) {
  const x = rowsOf(a);
  const y = rowsOf(b);
  expect([...y.keys()].sort()).toEqual([...x.keys()].sort());
  for (const [table, rows] of x) {
    const other = y.get(table)!;
    expect(other.size, table).toBe(rows.size);
    for (const [id, row] of rows) expect(other.get(id), `${table} ${id}`).toEqual(row);
  }
}

const QUERY = "how do I rotate the upstream credentials safely";
interface Probe {
  vector: string[];
  lexical: string[];
  recalled: string[];
}

/** What the app's own searches answer on the current database. */
async function probe(projectId: string): Promise<Probe> {
  const [q] = await embedLocal([QUERY]);
  const vector = (await vectorSearch(projectId, q!, 6)).map((h) => h.chunkId);
  const lexical = (await lexicalSearch(projectId, QUERY, 50)).map((h) => h.chunkId).sort();
  const recalled = (await recallMemories(projectId, "end-user-1", "where does the user live")).map((m) => m.id);
  return { vector, lexical, recalled };
}

let orgId = "";
let projectId = "";
let keySecret = "";
let source: Probe;
let fileA = "";
let storedIds: string[] = [];
let storedSource: unknown[] = [];
/** The stored responses as the app reads them back on the current database. */
const storedNow = () => Promise.all(storedIds.map((id) => loadResponse({ orgId, projectId }, id)));
const counts: Record<string, number> = {};

beforeAll(async () => {
  if (!pgvector) return;
  // The organization, through the app's own code paths.
  const owner = await signedInUser("xfer-owner");
  const other = await signedInUser("xfer-member"); // a user with an organization of their own too
  orgId = owner.org.id;
  await db().membership.create({ data: { orgId, userId: other.user.id, role: "member" } });
  await db().invitation.create({ data: { orgId, role: "admin", email: "later@example.com", tokenHash: sha256Hex(`inv-${orgId}`), expiresAt: new Date(Date.now() + 86_400_000), createdById: owner.user.id } });
  const project = await db().project.create({ data: { orgId, name: "support", description: "kb", settings: { rate_limits: { rpm: 60 }, tags: ["a", "ü"] }, keepMetadataOnly: false } });
  projectId = project.id;
  await db().project.create({ data: { orgId, name: "old", deletedAt: new Date("2026-01-02T03:04:05.678Z") } });
  const key = generateApiKey();
  keySecret = key.key;
  const apiKey = await db().apiKey.create({
    data: { orgId, projectId, name: "prod", keyHash: key.hash, prefix: key.prefix, models: ["openai/gpt-4o"], rpmLimit: 100, budgetMicros: 9_000_000_000_000n, createdById: owner.user.id },
  });
  const credId = `crd_xfer_${orgId}`;
  await db().providerCredential.create({ data: { id: credId, orgId, slug: "acme", protocol: "openai-compatible", name: "Acme", baseUrl: "https://acme.example/v1", secretEnc: encryptSecret("sk-acme-secret", credentialSecretContext(credId)) } });
  await db().model.create({ data: { orgId, slug: "acme/big", provider: "acme", upstreamModel: "big", kind: "chat", inputMicrosPerMtok: 1_250_000n, outputMicrosPerMtok: 10_000_000n, capabilities: { tools: true } } });

  // Documents, committed with the offline model's vectors (as ingestion does).
  const texts = [
    ["Operations > Credentials", "Rotate the upstream credentials from the providers page; the old secret keeps working until saved."],
    ["Operations > Backups", "Back up the SQLite database with the .backup command while it runs."],
    ["Billing", "Credits pay for retrieval and memory; the USD balance pays for upstream tokens."],
    [null, "Rotating keys safely: create the new key, deploy it, then revoke the old one."],
  ] as const;
  for (let d = 0; d < 2; d++) {
    const doc = await db().document.create({ data: { orgId, projectId, title: `doc ${d}`, mimeType: "text/markdown", status: "processing", source: Buffer.from(`# doc ${d}`), sizeBytes: 7 } });
    const part = texts.slice(d * 2, d * 2 + 2);
    const vectors = await embedLocal(part.map(([h, c]) => (h ? `${h}\n${c}` : c)));
    const outcome = await commitDocumentChunks(doc, part.map(([heading, content], i) => ({ ordinal: i, heading, content, tokenCount: 20, vector: vectors[i]! })));
    expect(outcome).toBe("committed");
  }

  // Memories (with events), audit rows settled with ledger entries, a top-up.
  const m = await addMemory({ orgId, projectId, userId: "end-user-1", content: "Lives in Lisbon", sourceAuditId: null });
  await updateMemory(m.id, "Lives in Lisbon, Portugal", null);
  await addMemory({ orgId, projectId, userId: "end-user-1", content: "Has a cat called Miso", sourceAuditId: null });
  for (let i = 0; i < 3; i++) {
    const reservation = await reserve({ id: apiKey.id, orgId, budgetMicros: apiKey.budgetMicros }, 200_000n, 30_000n);
    recordAudit({
      id: `aud_xfer_${i}_${randomBytes(4).toString("hex")}`, orgId, projectId, apiKeyId: apiKey.id, origin: "api", endpoint: "/v1/chat/completions",
      model: "acme/big", provider: "acme", status: i === 2 ? "error" : "success", httpStatus: i === 2 ? 502 : 200, errorCode: i === 2 ? "upstream_error" : null,
      errorMessage: i === 2 ? "bad gateway" : null, stream: i === 1, promptTokens: 120 + i, completionTokens: 30, reasoningTokens: 0, cachedTokens: 4,
      usageEstimated: i === 1, latencyMs: 321, ttftMs: i === 1 ? 45 : null, costMicros: i === 2 ? 0n : 123_457n, creditsMicros: 30_000n,
      metadata: { user_id: "end-user-1", nested: { n: i } }, attempts: [{ provider: "acme", model: "big", status: 200, error_code: null, latency_ms: 300 }],
      request: { messages: [{ role: "user", content: `héllo ${i}` }] }, responseText: `answer ${i}`, createdAt: new Date(), reservation,
      ragSources: [{ document_id: "d", similarity: 0.5 }], memoryUsed: true, memoryIds: [m.id], injected: [{ role: "system", content: "ctx" }],
    });
  }
  await flushAudit();
  const t = await call(topup.POST, { method: "POST", headers: adminHeaders, body: { org_id: orgId, usd: 12.5, credits: 3, note: "before the move" } });
  expect(t.status).toBe(200);

  // Stored /v1/responses (text that only survives as JSON text: NUL, a lone surrogate, non-ASCII).
  for (const [i, text] of ["Bonjour, ça va ?", "nul\u0000 and \ud800 lone"].entries()) {
    await saveResponse({ orgId, projectId }, {
      id: `resp_xfer${i}${randomBytes(6).toString("hex")}`, auditId: `aud_xfer_r${i}`, model: "acme/big",
      response: { id: "r", object: "response", output: [{ type: "message", id: `msg_out${i}`, role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }], usage: { input_tokens: 3 } },
      input: [{ role: "user", content: text }, { type: "function_call_output", call_id: "call_1", output: "{\"ok\":true}" }],
    });
  }
  storedIds = (await db().storedResponse.findMany({ where: { orgId }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
  storedSource = await Promise.all(storedIds.map((id) => loadResponse({ orgId, projectId }, id)));

  source = await probe(projectId);
  expect(source.vector.length).toBe(4);
  expect(source.lexical.length).toBeGreaterThan(0);
  expect(source.recalled.length).toBeGreaterThan(0);
  fileA = await exportTo(sourceUrl, orgId, "a.vsx");
  const verified = await verifyFile(fileA);
  Object.assign(counts, verified.counts);
}, 120_000);

afterAll(async () => {
  if (!pgvector) return;
  await useDatabase(sourceUrl); // the setup file cleans up the source database
  await closeLocalEmbeddings();
  for (const name of dropPg) {
    const c = new pg.Client({ connectionString: PG_BASE });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!pgvector)(`org export/import: ${sourceDialect} → ${otherDialect} → ${sourceDialect}`, () => {
  it("exports every table of the organization", () => {
    expect(counts).toMatchObject({ users: 2, organizations: 1, memberships: 2, invitations: 1, projects: 3, api_keys: 1, provider_credentials: 1, models: 1, documents: 2, chunks: 4, memories: 2, memory_events: 3, stored_responses: 2 });
    expect(counts.audit_logs).toBe(3);
    // projects: "support", "old" (deleted) and the default project every organization starts with.
    expect(counts.ledger_entries).toBe(2 + 3 * 2 - 1 + 2); // grants, usage (usd+credits; no usd for the failed one), top-up usd+credits
  });

  it("moves it to the other dialect and back without losing anything, and the app works on each", async () => {
    const target = await freshDb(otherDialect);
    await importOrgs({ url: target, file: fileA });
    const fileB = await exportTo(target, orgId, "b.vsx");
    expectSameRows(fileA, fileB);

    await useDatabase(target);
    expect(await probe(projectId)).toEqual(source);
    // Through Prisma: dates, BigInts, JSON, bytes and secrets read back as the app expects.
    const org = await db().organization.findUniqueOrThrow({ where: { id: orgId } });
    const ledger = await db().ledgerEntry.findMany({ where: { orgId } });
    expect(org.usdMicros).toBe(ledger.filter((e) => e.currency === "usd").reduce((s, e) => s + e.amountMicros, 0n));
    expect(org.usdMicros).toBe(5_000_000n + 12_500_000n - 2n * 123_457n);
    const key = await db().apiKey.findUniqueOrThrow({ where: { keyHash: sha256Hex(keySecret) } });
    expect(key.spentMicros).toBe(2n * 123_457n);
    expect(key.budgetMicros).toBe(9_000_000_000_000n);
    const cred = await db().providerCredential.findFirstOrThrow({ where: { orgId } });
    expect(decryptSecret(cred.secretEnc!, credentialSecretContext(cred.id))).toBe("sk-acme-secret");
    const old = await db().project.findFirstOrThrow({ where: { orgId, name: "old" } });
    expect(old.deletedAt?.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    const audit = await db().auditLog.findMany({ where: { orgId }, orderBy: { id: "asc" } });
    expect(audit.every((a) => a.createdAt instanceof Date && !Number.isNaN(a.createdAt.getTime()))).toBe(true);
    expect(audit.find((a) => a.stream)?.metadata).toEqual({ user_id: "end-user-1", nested: { n: 1 } });
    const doc = await db().document.findFirstOrThrow({ where: { orgId, title: "doc 0" } });
    expect(Buffer.from(doc.source!).toString()).toBe("# doc 0");
    expect(doc.embeddingModel).toBe(LOCAL_EMBEDDING_MODEL.id);
    expect(storedSource.every((r) => r !== null)).toBe(true);
    expect(await storedNow()).toEqual(storedSource);

    // And back into a fresh database of the source's dialect.
    const back = await freshDb(sourceDialect);
    await importOrgs({ url: back, file: fileB });
    const fileC = await exportTo(back, orgId, "c.vsx");
    expectSameRows(fileA, fileC);
    await useDatabase(back);
    expect(await probe(projectId)).toEqual(source);
    expect(await storedNow()).toEqual(storedSource);
    await useDatabase(sourceUrl);
  }, 120_000);

  it("refuses an existing organization unless --replace, and replacing leaves no duplicate index rows", async () => {
    const target = await freshDb(otherDialect);
    await importOrgs({ url: target, file: fileA });
    await expect(importOrgs({ url: target, file: fileA })).rejects.toThrow(/already exists.*--replace/);
    await importOrgs({ url: target, file: fileA, replace: true });
    expectSameRows(fileA, await exportTo(target, orgId, "r.vsx"));
    await useDatabase(target);
    expect(await probe(projectId)).toEqual(source);
    await useDatabase(sourceUrl);
  }, 120_000);

  it("merges users that already exist in the target by email", async () => {
    const target = await freshDb(otherDialect);
    await migrate(target, { log: () => {} });
    await useDatabase(target);
    const existing = await db().user.create({ data: { email: rowsOf(fileA).get("users")!.values().next().value!.email as string, name: "already here", passwordHash: "keep-me" } });
    await useDatabase(sourceUrl);
    await importOrgs({ url: target, file: fileA });
    await useDatabase(target);
    const u = await db().user.findUniqueOrThrow({ where: { id: existing.id }, include: { memberships: true } });
    expect(u.passwordHash).toBe("keep-me");
    expect(u.memberships.map((m) => m.orgId)).toEqual([orgId]);
    expect(await db().membership.count({ where: { orgId } })).toBe(2);
    await useDatabase(sourceUrl);
  }, 60_000);

  it("rejects truncated or altered files, and imports nothing from them", async () => {
    const lines = readFileSync(fileA, "utf8").trim().split("\n");
    const truncated = path.join(work, "truncated.vsx");
    writeFileSync(truncated, `${lines.slice(0, -1).join("\n")}\n`);
    const altered = path.join(work, "altered.vsx");
    writeFileSync(altered, `${lines.map((l) => l.replace('"before the move"', '"after the move"')).join("\n")}\n`);
    const target = await freshDb(otherDialect);
    await expect(importOrgs({ url: target, file: truncated })).rejects.toThrow(/incomplete/);
    await expect(importOrgs({ url: target, file: altered })).rejects.toThrow(/checksum/);
  });

  it("re-encrypts provider secrets for a target with another key only when given the source key", async () => {
    const target = await freshDb(otherDialect);
    const newKey = randomBytes(32).toString("base64");
    await expect(importOrgs({ url: target, file: fileA, targetEncryptionKey: newKey })).rejects.toThrow(/VECSTRUCT_SOURCE_ENCRYPTION_KEY/);
    await expect(importOrgs({ url: target, file: fileA, targetEncryptionKey: newKey, sourceEncryptionKey: randomBytes(32).toString("base64") })).rejects.toThrow(/not the key/);
    const header = JSON.parse(readFileSync(fileA, "utf8").split("\n")[0]!);
    const { encryptionKeyFromEnv } = await import("../../scripts/org-transfer.mjs");
    const sourceKey = encryptionKeyFromEnv();
    expect(keyFingerprint(sourceKey)).toBe(header.encryption_key_fingerprint);
    await importOrgs({ url: target, file: fileA, targetEncryptionKey: newKey, sourceEncryptionKey: sourceKey });
    await useDatabase(target);
    const cred = await db().providerCredential.findFirstOrThrow({ where: { orgId } });
    process.env.VECSTRUCT_ENCRYPTION_KEY = newKey;
    resetEnvForTests();
    try {
      expect(decryptSecret(cred.secretEnc!, credentialSecretContext(cred.id))).toBe("sk-acme-secret");
    } finally {
      delete process.env.VECSTRUCT_ENCRYPTION_KEY;
      await useDatabase(sourceUrl);
    }
    expect(readFileSync(fileA, "utf8")).not.toContain("sk-acme-secret");
  }, 60_000);

  it("refuses to export money held for requests in flight unless told the holds are stale", async () => {
    const r = await reserve({ id: "key_none", orgId, budgetMicros: null }, 1_000n, 0n);
    await expect(exportTo(sourceUrl, orgId, "held.vsx")).rejects.toThrow(/reserved/);
    const file = await exportTo(sourceUrl, orgId, "released.vsx", { releaseReservations: true });
    expect(rowsOf(file).get("organizations")!.get(orgId)!.reservedUsdMicros).toBe("0");
    await db().organization.update({ where: { id: orgId }, data: { reservedUsdMicros: { decrement: r.usd } } });
  });
});
