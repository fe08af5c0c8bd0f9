// Organization export / import between databases of either dialect (SQLite ⇄ PostgreSQL), so a
// tenant can move off the embedded SQLite default without losing anything. Plain JS over the raw
// drivers (better-sqlite3, pg, sqlite-vec: all runtime dependencies), like scripts/migrate.mjs, so it
// runs from a production install with `npm run org -- …` and needs neither the app nor a build.
//
// File format (".vsx", JSON Lines, UTF-8):
//   line 1   {"t":"$header","format":"vecstruct-org-export","version":1,"exported_at","source_dialect",
//             "migration","organizations":[{id,name}],"encryption_key_fingerprint"}
//   then     {"t":"<table>","r":{column: value, …}}  one line per row, parents before children
//   last     {"t":"$end","rows":N,"counts":{table: n},"sha256":"<hex of every line before this one>"}
// Values are dialect-neutral: DateTime → ISO 8601 UTC with milliseconds ("…Z"), BigInt → decimal
// string, Boolean → true/false, Json → its JSON text, Bytes → base64, Int/String as they are.
// Column types come from prisma/schema.prisma, so a column added to the schema is carried without a
// change here; a new *table* must be listed in PLAN or SKIPPED (export refuses otherwise).
//
// Not in the file: the vector and full-text index rows (chunk_vectors[_N], chunk_fts3 / chunk_fts).
// They are derived from `chunks` and rebuilt by import in the target's own layout (the same DDL as
// lib/rag/store.ts and lib/rag/vector/{sqlite,postgres}.ts), inside the import transaction.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { dialectOf, migrate } from "./migrate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FORMAT = "vecstruct-org-export";
export const VERSION = 1;
const PAGE = 500;

// ───────────────────────────── schema ─────────────────────────────

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json", "Bytes"]);

/**
 * table name → [{ name, type }] for every scalar column of prisma/schema.prisma.
 * @returns {Map<string, { name: string, type: string }[]>}
 */
export function readSchema(file = path.join(root, "prisma", "schema.prisma")) {
  const text = readFileSync(file, "utf8");
  const tables = new Map();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    let table = m[1];
    const columns = [];
    for (const raw of m[2].split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      const map = /^@@map\("(\w+)"\)/.exec(line);
      if (map) table = map[1];
      if (!line || line.startsWith("@@")) continue;
      const f = /^(\w+)\s+(\w+)(\[\])?/.exec(line);
      if (!f || f[3] || !SCALARS.has(f[2])) continue; // relation fields and lists are not columns
      if (/@map\(/.test(line)) throw new Error(`org transfer: column @map on ${table}.${f[1]} is not supported`);
      columns.push({ name: f[1], type: f[2] });
    }
    tables.set(table, columns);
  }
  return tables;
}

const ORG = `"orgId" = ?`;
const ORG_USERS = `(SELECT "userId" FROM "memberships" WHERE "orgId" = ?)`;
/** What an organization consists of, in insertion order (parents first), with the row filter. */
export const PLAN = [
  ["users", `"id" IN ${ORG_USERS}`],
  ["accounts", `"userId" IN ${ORG_USERS}`],
  ["organizations", `"id" = ?`],
  ["memberships", ORG],
  ["invitations", ORG],
  ["projects", ORG],
  ["api_keys", ORG],
  ["provider_credentials", ORG],
  ["models", ORG],
  ["audit_logs", ORG],
  ["ledger_entries", ORG],
  ["documents", ORG],
  ["chunks", ORG],
  ["memories", ORG],
  ["memory_events", `"memoryId" IN (SELECT "id" FROM "memories" WHERE "orgId" = ?)`],
  ["stored_responses", ORG],
  ["response_cache", ORG],
  ["jobs", ORG],
];
/** Tables deliberately not exported: console sessions (JWT anyway) and sign-in tokens are per instance. */
export const SKIPPED = new Set(["sessions", "verification_tokens"]);
const PLANNED = new Set(PLAN.map(([t]) => t));

// ───────────────────────────── values ─────────────────────────────

/** Any stored DateTime (Prisma's "…+00:00" text, unix ms, "YYYY-MM-DD HH:MM:SS" defaults, PG text) → ISO UTC. */
export function toIso(v) {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v)).toISOString();
  let s = String(v).trim().replace(" ", "T");
  if (!/(Z|[+-]\d\d(:?\d\d)?)$/i.test(s)) s += "Z"; // both dialects store UTC wall time
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable date value ${JSON.stringify(v)}`);
  return d.toISOString();
}

/** Driver value → file value. */
function decode(type, v) {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "String":
      return String(v);
    case "Int":
      return Number(v);
    case "BigInt":
      return String(v);
    case "Boolean":
      return typeof v === "boolean" ? v : Number(v) !== 0;
    case "DateTime":
      return toIso(v);
    case "Json":
      return typeof v === "string" ? v : JSON.stringify(v);
    case "Bytes":
      return Buffer.from(v).toString("base64");
  }
  throw new Error(`unsupported column type ${type}`);
}

/** File value → driver parameter for this dialect. */
function encode(dialect, type, v) {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "BigInt":
      return dialect === "sqlite" ? BigInt(v) : String(BigInt(v));
    case "Boolean":
      return dialect === "sqlite" ? (v ? 1 : 0) : Boolean(v);
    case "DateTime": {
      const iso = toIso(v);
      return dialect === "sqlite" ? iso.replace("Z", "+00:00") : iso; // as Prisma's SQLite adapter writes it
    }
    case "Bytes":
      return Buffer.from(v, "base64");
    default:
      return v;
  }
}

// ───────────────────────────── connections ─────────────────────────────

const PG_RAW_TYPES = new Set([20, 114, 1114, 1184, 3802]); // int8, json, timestamp, timestamptz, jsonb: as text

/** One connection with the same small API on both dialects (`?` placeholders). */
export async function connect(url) {
  const dialect = dialectOf(url);
  if (dialect === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const file = url.replace(/^file:/, "");
    const db = new Database(file, { timeout: 30_000 });
    db.pragma("foreign_keys = ON");
    let vecLoaded = false;
    return {
      dialect,
      raw: db,
      loadVec: async () => {
        if (vecLoaded) return;
        const { load } = await import("sqlite-vec");
        load(db);
        vecLoaded = true;
      },
      all: async (sql, params = []) => db.prepare(sql).safeIntegers(true).all(...params),
      run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
      exec: async (sql) => db.exec(sql),
      close: async () => db.close(),
    };
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: (oid, format) => (PG_RAW_TYPES.has(oid) ? (v) => v : pg.types.getTypeParser(oid, format)) },
  });
  await client.connect();
  const numbered = (sql) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    dialect,
    raw: client,
    loadVec: async () => {},
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows,
    run: async (sql, params = []) => (await client.query(numbered(sql), params)).rowCount ?? 0,
    exec: async (sql) => void (await client.query(sql)),
    close: async () => client.end(),
  };
}

async function latestMigration(conn) {
  const rows = await conn.all(`SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL ORDER BY "migration_name" DESC LIMIT 1`);
  return rows[0]?.name ?? null;
}

async function tablesOf(conn) {
  const rows =
    conn.dialect === "sqlite"
      ? await conn.all(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      : await conn.all(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`);
  return new Set(rows.map((r) => r.name));
}

// ───────────────────────────── secrets ─────────────────────────────

/** The encryption key the app would use for this environment (lib/env.ts: env, else <data dir>/secrets.json). */
export function encryptionKeyFromEnv(env = process.env) {
  if (env.VECSTRUCT_ENCRYPTION_KEY) return env.VECSTRUCT_ENCRYPTION_KEY;
  const file = path.join(path.resolve(env.VECSTRUCT_DATA_DIR || "./data"), "secrets.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).encryptionKey ?? null : null;
}

const keyBytes = (key) => {
  const k = Buffer.from(key, "base64");
  if (k.length < 32) throw new Error("an encryption key must decode to 32 bytes");
  return k.subarray(0, 32);
};
/** Identifies a key without revealing it (sha256 of its bytes, 16 hex digits). */
export const keyFingerprint = (key) => (key ? createHash("sha256").update(keyBytes(key)).digest("hex").slice(0, 16) : null);

// Same format as lib/crypto.ts: v<n>.<iv>.<tag>.<ciphertext>, base64url, AES-256-GCM; v2 binds the
// ciphertext to its row (AAD = context, e.g. "provider_credential:<id>"), v1 (older) has no AAD.
function decryptSecret(sealed, key, context) {
  const [version, iv, tag, data] = sealed.split(".");
  if ((version !== "v1" && version !== "v2") || !iv || !tag || data === undefined) throw new Error("unrecognised secret format");
  const d = createDecipheriv("aes-256-gcm", keyBytes(key), Buffer.from(iv, "base64url"));
  if (version === "v2") d.setAAD(Buffer.from(context, "utf8"));
  d.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([d.update(Buffer.from(data, "base64url")), d.final()]).toString("utf8");
}
function encryptSecret(plain, key, context) {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", keyBytes(key), iv);
  c.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return ["v2", iv, c.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

// ───────────────────────────── export ─────────────────────────────

/**
 * Writes the organizations (`orgs`: ids, or "all") of the database at `url` to `write(line)` (a
 * function taking one line with its "\n"; may return a promise for back-pressure). Reads one
 * consistent snapshot. Refuses when money is held for requests in flight (stop traffic first) unless
 * `releaseReservations`, which writes those holds as zero, and when a balance is not the sum of its
 * ledger. Returns the trailer.
 * @param {{ url: string, orgs: string[] | "all", write: (line: string) => unknown, releaseReservations?: boolean, encryptionKey?: string | null, log?: (m: string) => void }} opts
 */
export async function exportOrgs({ url, orgs, write, releaseReservations = false, encryptionKey = encryptionKeyFromEnv(), log = () => {} }) {
  const schema = readSchema();
  const conn = await connect(url);
  try {
    const present = await tablesOf(conn);
    const unknown = [...schema.keys()].filter((t) => !PLANNED.has(t) && !SKIPPED.has(t));
    if (unknown.length > 0) throw new Error(`org export does not know the table(s) ${unknown.join(", ")}: add them to PLAN in scripts/org-transfer.mjs`);
    // One snapshot for everything read below.
    if (conn.dialect === "sqlite") await conn.exec("BEGIN");
    else await conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const ids =
        orgs === "all"
          ? (await conn.all(`SELECT "id" FROM "organizations" ORDER BY "id"`)).map((r) => r.id)
          : [...new Set(orgs)];
      if (ids.length === 0) throw new Error("no organization to export");
      const orgRows = [];
      for (const id of ids) {
        const [o] = await conn.all(`SELECT "id", "name", "reservedCreditsMicros" AS rc, "reservedUsdMicros" AS ru, "creditsMicros" AS c, "usdMicros" AS u FROM "organizations" WHERE "id" = ?`, [id]);
        if (!o) throw new Error(`organization ${id} does not exist`);
        const [k] = await conn.all(`SELECT count(*) AS n FROM "api_keys" WHERE "orgId" = ? AND "reservedMicros" <> 0`, [id]);
        if (!releaseReservations && (BigInt(o.rc) !== 0n || BigInt(o.ru) !== 0n || BigInt(k.n) !== 0n)) {
          throw new Error(`organization ${id} has money reserved for requests in flight: stop traffic (or the app) and export again, or pass --release-reservations if the app is stopped and the holds are stale`);
        }
        for (const [currency, balance] of [["credits", o.c], ["usd", o.u]]) {
          const [s] = await conn.all(`SELECT coalesce(sum("amountMicros"), 0) AS s FROM "ledger_entries" WHERE "orgId" = ? AND "currency" = ?`, [id, currency]);
          if (BigInt(s.s) !== BigInt(balance)) throw new Error(`organization ${id}: ${currency} balance ${balance} is not the sum of its ledger (${s.s}); not exporting an inconsistent organization`);
        }
        orgRows.push({ id, name: o.name });
      }

      const hash = createHash("sha256");
      const counts = {};
      let rows = 0;
      const emit = async (obj) => {
        const line = `${JSON.stringify(obj)}\n`;
        hash.update(line);
        await write(line);
      };
      await emit({
        t: "$header",
        format: FORMAT,
        version: VERSION,
        exported_at: new Date().toISOString(),
        source_dialect: conn.dialect,
        migration: await latestMigration(conn),
        organizations: orgRows,
        encryption_key_fingerprint: keyFingerprint(encryptionKey),
      });
      const seen = { users: new Set(), accounts: new Set() }; // shared by several organizations: once each
      for (const org of ids) {
        for (const [table, where] of PLAN) {
          if (!present.has(table)) continue;
          const columns = schema.get(table);
          const list = columns.map((c) => `"${c.name}"`).join(", ");
          const params = where.split("?").length - 1;
          let after = "";
          for (;;) {
            const page = await conn.all(`SELECT ${list} FROM "${table}" WHERE ${where} AND "id" > ? ORDER BY "id" LIMIT ${PAGE}`, [...Array(params).fill(org), after]);
            for (const r of page) {
              if (seen[table]?.has(r.id)) continue;
              seen[table]?.add(r.id);
              const out = {};
              for (const c of columns) out[c.name] = decode(c.type, r[c.name]);
              if (releaseReservations) {
                if (table === "organizations") out.reservedCreditsMicros = out.reservedUsdMicros = "0";
                if (table === "api_keys") out.reservedMicros = "0";
              }
              await emit({ t: table, r: out });
              counts[table] = (counts[table] ?? 0) + 1;
              rows += 1;
            }
            if (page.length < PAGE) break;
            after = page[page.length - 1].id;
          }
        }
        log(`exported organization ${org}`);
      }
      const trailer = { t: "$end", rows, counts, sha256: hash.digest("hex") };
      await write(`${JSON.stringify(trailer)}\n`);
      return trailer;
    } finally {
      await conn.exec(conn.dialect === "sqlite" ? "COMMIT" : "ROLLBACK").catch(() => {});
    }
  } finally {
    await conn.close();
  }
}

// ───────────────────────────── import ─────────────────────────────

async function* lines(file) {
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) if (line.length > 0) yield line;
}

/** Pass 1: the file is complete and unaltered (trailer, checksum, counts); returns its header and summary. */
export async function verifyFile(file) {
  const hash = createHash("sha256");
  let header = null;
  let trailer = null;
  const counts = {};
  let rows = 0;
  let hasSecrets = false;
  for await (const line of lines(file)) {
    if (trailer) throw new Error(`${file}: data after the end marker`);
    const obj = JSON.parse(line);
    if (obj.t === "$end") {
      trailer = obj;
      continue;
    }
    hash.update(`${line}\n`);
    if (!header) {
      if (obj.t !== "$header" || obj.format !== FORMAT) throw new Error(`${file} is not a vecstruct organization export`);
      if (obj.version !== VERSION) throw new Error(`${file} is format version ${obj.version}; this vecstruct reads version ${VERSION}`);
      header = obj;
      continue;
    }
    counts[obj.t] = (counts[obj.t] ?? 0) + 1;
    rows += 1;
    if (obj.t === "provider_credentials" && obj.r.secretEnc) hasSecrets = true;
  }
  if (!header) throw new Error(`${file} is empty`);
  if (!trailer) throw new Error(`${file} is incomplete (no end marker): the export was interrupted or the file truncated`);
  if (trailer.sha256 !== hash.digest("hex")) throw new Error(`${file} is corrupted: checksum mismatch`);
  const expected = JSON.stringify(Object.entries(trailer.counts).sort());
  if (trailer.rows !== rows || JSON.stringify(Object.entries(counts).sort()) !== expected) throw new Error(`${file}: row counts do not match its end marker`);
  return { header, counts, rows, hasSecrets };
}

// The index layout of lib/rag (kept identical; tests/integration/org-transfer.test.ts checks that the
// app's own searches find what an import indexed).
const MAX_DIMS = { sqlite: 8192, postgres: 4000 };
const vectorTable = (dims) => (dims === 512 ? "chunk_vectors" : `chunk_vectors_${dims}`);
export const sqliteVectorDdl = (dims) => {
  const chunkSize = Math.min(1024, Math.max(64, Math.floor(131_072 / dims / 8) * 8));
  return `CREATE VIRTUAL TABLE IF NOT EXISTS ${vectorTable(dims)} USING vec0(chunk_id text primary key, project_id text partition key, document_id text, embedding float[${dims}] distance_metric=cosine, chunk_size=${chunkSize})`;
};
export const pgVectorDdl = (dims) => {
  const t = vectorTable(dims);
  const expr = dims > 2000 ? `(embedding::halfvec(${dims}))` : "embedding";
  const opclass = dims > 2000 ? "halfvec_cosine_ops" : "vector_cosine_ops";
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (\n  chunk_id text PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,\n  project_id text NOT NULL,\n  document_id text NOT NULL,\n  embedding vector(${dims}) NOT NULL\n)`,
    `CREATE INDEX IF NOT EXISTS ${t}_embedding_idx ON ${t} USING hnsw (${expr} ${opclass})`,
    `CREATE INDEX IF NOT EXISTS ${t}_project_document_idx ON ${t} (project_id, document_id)`,
    `CREATE INDEX IF NOT EXISTS ${t}_document_idx ON ${t} (document_id)`,
  ];
};
const FTS_SQLITE = "chunk_fts3";
const FTS_DDL_SQLITE = `CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts3 USING fts5(content, chunk_id UNINDEXED, project_id UNINDEXED, document_id UNINDEXED, tokenize = 'porter unicode61')`;
const FTS_DDL_PG = [
  `CREATE TABLE IF NOT EXISTS chunk_fts (\n  chunk_id text PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,\n  project_id text NOT NULL,\n  document_id text NOT NULL,\n  tsv tsvector NOT NULL\n)`,
  `CREATE INDEX IF NOT EXISTS chunk_fts_tsv_idx ON chunk_fts USING gin (tsv)`,
  `CREATE INDEX IF NOT EXISTS chunk_fts_project_document_idx ON chunk_fts (project_id, document_id)`,
];
const FTS_VERSION_PG = "vecstruct lexical index v3: lexicalTerms";

// lib/text/segment.ts lexicalTerms() and lib/rag/store.ts lexicalText(), in plain JS (tests/unit/org-transfer-ddl.test.ts
// holds them equal): the lexical index holds segmented words, so the import must write what the app would.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HAN_WORD = /^\p{Script=Han}+$/u;
function segmentWords(text) {
  const normalized = text.normalize("NFKC").toLowerCase();
  if (!CJK.test(normalized)) return normalized.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
  const out = [];
  for (const s of segmenter.segment(normalized)) if (s.isWordLike) out.push(s.segment);
  return out;
}
function lexicalTerms(text) {
  const words = segmentWords(text);
  if (!words.some((w) => HAN_WORD.test(w))) return words;
  const out = [];
  let run = [];
  const flush = () => {
    if (run.length === 0) return;
    const chars = Array.from(run.join(""));
    const twoCharWordAt = new Set();
    let at = 0;
    for (const w of run) {
      const n = Array.from(w).length;
      if (n === 2) twoCharWordAt.add(at);
      at += n;
    }
    for (let i = 0; i + 1 < chars.length; i++) if (!twoCharWordAt.has(i)) out.push(chars[i] + chars[i + 1]);
    run = [];
  };
  for (const w of words) {
    out.push(w);
    if (HAN_WORD.test(w)) run.push(w);
    else flush();
  }
  flush();
  return out;
}
export const lexicalText = (c) => lexicalTerms(c.heading ? `${c.heading}\n${c.content}` : c.content).join(" ");

/** Lexical index rows for these chunks ({id, projectId, documentId, heading, content}). */
async function insertFts(conn, chunks) {
  if (conn.dialect === "sqlite") {
    const ins = conn.raw.prepare(`INSERT INTO chunk_fts3 (content, chunk_id, project_id, document_id) VALUES (?, ?, ?, ?)`);
    for (const c of chunks) ins.run(lexicalText(c), c.id, c.projectId, c.documentId);
    return;
  }
  for (let i = 0; i < chunks.length; i += 1000) {
    const slice = chunks.slice(i, i + 1000);
    await conn.all(
      `INSERT INTO chunk_fts (chunk_id, project_id, document_id, tsv) SELECT u.id, u.project_id, u.document_id, to_tsvector('english', u.text) FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, project_id, document_id, text) ON CONFLICT DO NOTHING`,
      [slice.map((c) => c.id), slice.map((c) => c.projectId), slice.map((c) => c.documentId), slice.map(lexicalText)],
    );
  }
}
const VECTOR_LOCK_ID = 72707370;
const FTS_LOCK_ID = 72707371;

function toVectorLiteral(buf) {
  const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let out = "[";
  for (let i = 0; i < f.length; i++) out += (i ? "," : "") + Number(f[i].toPrecision(9));
  return `${out}]`;
}

/** Rebuilds vector and lexical index rows for chunks as they are inserted (inside the import transaction). */
function indexer(conn) {
  const widths = new Set();
  let ftsExisted = null;
  const ensureWidth = async (dims) => {
    if (widths.has(dims)) return;
    if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS[conn.dialect]) throw new Error(`a chunk embedding of ${dims} dimensions cannot be indexed on ${conn.dialect}`);
    if (conn.dialect === "sqlite") {
      await conn.loadVec();
      await conn.exec(sqliteVectorDdl(dims));
    } else {
      await conn.all("SELECT pg_advisory_xact_lock(?)", [VECTOR_LOCK_ID]);
      const [r] = await conn.all("SELECT to_regclass(?) IS NULL AS fresh", [vectorTable(dims)]);
      if (r.fresh) for (const sql of pgVectorDdl(dims)) await conn.exec(sql);
    }
    widths.add(dims);
  };
  const ftsExists = async () => {
    if (ftsExisted === null) {
      const [r] =
        conn.dialect === "sqlite"
          ? await conn.all(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?`, [FTS_SQLITE])
          : await conn.all(`SELECT (to_regclass('chunk_fts') IS NOT NULL)::int AS n`);
      ftsExisted = Number(r.n) > 0;
    }
    return ftsExisted;
  };
  return {
    /** Index these just-inserted chunk rows (file values). */
    async add(chunks) {
      const byWidth = new Map();
      for (const c of chunks) {
        if (!c.embedding) continue;
        const buf = Buffer.from(c.embedding, "base64");
        if (buf.length % 4 !== 0) throw new Error(`chunk ${c.id}: embedding is not float32 data`);
        const dims = buf.length / 4;
        if (!byWidth.has(dims)) byWidth.set(dims, []);
        byWidth.get(dims).push({ c, buf });
      }
      for (const [dims, list] of byWidth) {
        await ensureWidth(dims);
        if (conn.dialect === "sqlite") {
          const ins = conn.raw.prepare(`INSERT INTO ${vectorTable(dims)} (chunk_id, project_id, document_id, embedding) VALUES (?, ?, ?, ?)`);
          for (const { c, buf } of list) ins.run(c.id, c.projectId, c.documentId, buf);
        } else {
          await conn.all(
            `INSERT INTO ${vectorTable(dims)} (chunk_id, project_id, document_id, embedding) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::vector[])`,
            [list.map((x) => x.c.id), list.map((x) => x.c.projectId), list.map((x) => x.c.documentId), list.map((x) => toVectorLiteral(x.buf))],
          );
        }
      }
      if (!(await ftsExists())) return; // created and backfilled from every chunk in finish()
      await insertFts(conn, chunks);
    },
    /** A target that never had a lexical index gets it as the app would create it: from every chunk. */
    async finish() {
      if (await ftsExists()) return;
      const all = () => conn.all(`SELECT "id" AS id, "projectId" AS "projectId", "documentId" AS "documentId", "heading" AS heading, "content" AS content FROM "chunks"`);
      if (conn.dialect === "sqlite") {
        await conn.exec(FTS_DDL_SQLITE);
        await insertFts(conn, await all());
        await conn.exec(`DROP TABLE IF EXISTS chunk_fts2`);
        await conn.exec(`DROP TABLE IF EXISTS chunk_fts`);
      } else {
        await conn.all("SELECT pg_advisory_xact_lock(?)", [FTS_LOCK_ID]);
        for (const sql of FTS_DDL_PG) await conn.exec(sql);
        await insertFts(conn, await all());
        await conn.exec(`DROP INDEX IF EXISTS chunks_content_fts_idx`);
        await conn.exec(`COMMENT ON TABLE chunk_fts IS '${FTS_VERSION_PG}'`);
      }
    },
  };
}

/** Removes an organization and (on SQLite, where they cannot cascade) its index rows. */
async function deleteOrg(conn, orgId) {
  if (conn.dialect === "sqlite") {
    await conn.loadVec();
    const ids = (await conn.all(`SELECT "id" FROM "chunks" WHERE "orgId" = ?`, [orgId])).map((r) => r.id);
    const tables = (await conn.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'chunk_vectors*'`)).map((r) => r.name).filter((n) => /^chunk_vectors(_\d+)?$/.test(n));
    for (const t of tables) {
      const del = conn.raw.prepare(`DELETE FROM ${t} WHERE chunk_id = ?`);
      for (const id of ids) del.run(id);
    }
    // An older index (chunk_fts2, chunk_fts: no chunk_fts3 yet) is rebuilt from `chunks` by the app, so it can be left.
    const [fts] = await conn.all(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'chunk_fts3'`);
    if (Number(fts.n) > 0) await conn.run(`DELETE FROM chunk_fts3 WHERE chunk_id IN (SELECT "id" FROM "chunks" WHERE "orgId" = ?)`, [orgId]);
  }
  await conn.run(`DELETE FROM "organizations" WHERE "id" = ?`, [orgId]); // everything else cascades
}

/**
 * Imports an export file into the database at `url` (migrated first), all or nothing: one
 * transaction holds the rows, the rebuilt index rows and the checks (row counts, every balance =
 * the sum of its ledger). Refuses organizations that already exist unless `replace`. Users are matched
 * by email: an existing account keeps its password and gains the memberships.
 * Provider secrets are copied as they are when the target's encryption key is the source's; with
 * `sourceEncryptionKey` they are decrypted with it and re-encrypted with the target's key.
 * @param {{ url: string, file: string, replace?: boolean, targetEncryptionKey?: string | null, sourceEncryptionKey?: string | null, log?: (m: string) => void }} opts
 */
export async function importOrgs({ url, file, replace = false, targetEncryptionKey = encryptionKeyFromEnv(), sourceEncryptionKey = null, log = () => {} }) {
  const { header, counts, hasSecrets } = await verifyFile(file);
  const schema = readSchema();
  for (const t of Object.keys(counts)) if (!PLANNED.has(t)) throw new Error(`${file} holds rows of an unknown table ${t}`);

  // Secrets: decide before touching the database.
  let reencrypt = false;
  if (hasSecrets) {
    if (!targetEncryptionKey) throw new Error("the export holds provider secrets but the target has no encryption key: set VECSTRUCT_ENCRYPTION_KEY (or VECSTRUCT_DATA_DIR to the data directory holding secrets.json)");
    if (keyFingerprint(targetEncryptionKey) !== header.encryption_key_fingerprint) {
      if (!sourceEncryptionKey) throw new Error("the export's provider secrets were encrypted with another VECSTRUCT_ENCRYPTION_KEY: run the import with the same key, or give the source key in VECSTRUCT_SOURCE_ENCRYPTION_KEY to re-encrypt them");
      if (keyFingerprint(sourceEncryptionKey) !== header.encryption_key_fingerprint) throw new Error("VECSTRUCT_SOURCE_ENCRYPTION_KEY is not the key the export's secrets were encrypted with");
      reencrypt = true;
    }
  }

  await migrate(url, { log });
  const conn = await connect(url);
  const { dialect } = conn;
  try {
    const migration = await latestMigration(conn);
    if (header.migration && (!migration || migration < header.migration)) {
      throw new Error(`the target database is at migration ${migration ?? "(none)"}, older than the export's ${header.migration}: upgrade vecstruct where you import`);
    }
    const present = await tablesOf(conn);
    const orgIds = header.organizations.map((o) => o.id);

    await conn.exec(dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN");
    try {
      for (const id of orgIds) {
        const [exists] = await conn.all(`SELECT "id" FROM "organizations" WHERE "id" = ?`, [id]);
        if (!exists) continue;
        if (!replace) throw new Error(`organization ${id} already exists in the target: pass --replace to overwrite it`);
        await deleteOrg(conn, id);
        log(`replaced existing organization ${id}`);
      }

      const userMap = new Map(); // exported user id → target user id
      const skipAccount = new Set();
      const idx = indexer(conn);
      const inserted = {};
      let batch = [];
      let batchTable = null;

      const flush = async () => {
        if (batch.length === 0) return;
        const table = batchTable;
        const rows = batch;
        batch = [];
        const columns = schema.get(table).filter((c) => c.name in rows[0]);
        const list = columns.map((c) => `"${c.name}"`).join(", ");
        if (dialect === "sqlite") {
          const stmt = conn.raw.prepare(`INSERT INTO "${table}" (${list}) VALUES (${columns.map(() => "?").join(", ")})`);
          for (const r of rows) stmt.run(...columns.map((c) => encode(dialect, c.type, r[c.name])));
        } else {
          const tuple = `(${columns.map(() => "?").join(", ")})`;
          await conn.run(`INSERT INTO "${table}" (${list}) VALUES ${rows.map(() => tuple).join(", ")}`, rows.flatMap((r) => columns.map((c) => encode(dialect, c.type, r[c.name]))));
        }
        inserted[table] = (inserted[table] ?? 0) + rows.length;
        if (table === "chunks") await idx.add(rows);
      };

      let first = true;
      for await (const line of lines(file)) {
        if (first) {
          first = false;
          continue;
        }
        const { t: table, r: row } = JSON.parse(line);
        if (table === "$end") break;
        if (!present.has(table)) throw new Error(`the target database has no table ${table}`);
        const known = new Set(schema.get(table).map((c) => c.name));
        for (const k of Object.keys(row)) if (!known.has(k)) throw new Error(`${table}.${k} is not a column this vecstruct knows: upgrade vecstruct where you import`);

        if (table === "users") {
          const [byEmail] = await conn.all(`SELECT "id" FROM "users" WHERE "email" = ?`, [row.email]);
          if (byEmail) {
            userMap.set(row.id, byEmail.id);
            inserted.users = (inserted.users ?? 0) + 1; // merged: counted as carried over
            continue;
          }
          const [byId] = await conn.all(`SELECT "email" FROM "users" WHERE "id" = ?`, [row.id]);
          if (byId) throw new Error(`user id ${row.id} exists in the target with another email (${byId.email})`);
          userMap.set(row.id, row.id);
        } else if (table === "accounts") {
          row.userId = userMap.get(row.userId) ?? row.userId;
          const [dup] = await conn.all(`SELECT "userId" FROM "accounts" WHERE "provider" = ? AND "providerAccountId" = ?`, [row.provider, row.providerAccountId]);
          if (dup) {
            if (dup.userId !== row.userId) throw new Error(`the sign-in account ${row.provider}/${row.providerAccountId} belongs to another user in the target`);
            skipAccount.add(row.id);
            inserted.accounts = (inserted.accounts ?? 0) + 1;
            continue;
          }
        } else if (table === "memberships") {
          row.userId = userMap.get(row.userId) ?? row.userId;
        } else if (table === "provider_credentials" && row.secretEnc) {
          const context = `provider_credential:${row.id}`; // ids are kept, so the binding holds
          if (reencrypt) row.secretEnc = encryptSecret(decryptSecret(row.secretEnc, sourceEncryptionKey, context), targetEncryptionKey, context);
          else decryptSecret(row.secretEnc, targetEncryptionKey, context); // proves the target can read it
        }
        if ("createdById" in row && row.createdById) row.createdById = userMap.get(row.createdById) ?? row.createdById;

        if (table !== batchTable || batch.length >= 200) await flush();
        batchTable = table;
        batch.push(row);
      }
      await flush();
      await idx.finish();

      // Checks, inside the transaction: anything short of exact rolls everything back.
      for (const [table, n] of Object.entries(counts)) {
        if ((inserted[table] ?? 0) !== n) throw new Error(`import check: ${table} carried ${inserted[table] ?? 0} of ${n} rows`);
      }
      for (const [table, where] of PLAN) {
        if (table === "users" || table === "accounts" || !counts[table]) continue;
        let n = 0;
        for (const id of orgIds) {
          const params = where.split("?").length - 1;
          const [r] = await conn.all(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`, Array(params).fill(id));
          n += Number(r.n);
        }
        if (n !== counts[table]) throw new Error(`import check: the target holds ${n} ${table} rows of the imported organizations, the export ${counts[table]}`);
      }
      for (const id of orgIds) {
        const [o] = await conn.all(`SELECT "creditsMicros" AS c, "usdMicros" AS u FROM "organizations" WHERE "id" = ?`, [id]);
        for (const [currency, balance] of [["credits", o.c], ["usd", o.u]]) {
          const [s] = await conn.all(`SELECT coalesce(sum("amountMicros"), 0) AS s FROM "ledger_entries" WHERE "orgId" = ? AND "currency" = ?`, [id, currency]);
          if (BigInt(s.s) !== BigInt(balance)) throw new Error(`import check: organization ${id} ${currency} balance ${balance} ≠ ledger sum ${s.s}`);
        }
        const [c] = await conn.all(`SELECT count(*) AS n, count("embedding") AS e FROM "chunks" WHERE "orgId" = ?`, [id]);
        const fts = dialect === "sqlite" ? `SELECT count(*) AS n FROM chunk_fts3 WHERE chunk_id IN (SELECT "id" FROM "chunks" WHERE "orgId" = ?)` : `SELECT count(*) AS n FROM chunk_fts f JOIN "chunks" c ON c."id" = f.chunk_id WHERE c."orgId" = ?`;
        if (Number(c.n) > 0) {
          const [f] = await conn.all(fts, [id]);
          if (Number(f.n) !== Number(c.n)) throw new Error(`import check: ${f.n} of ${c.n} chunks of ${id} are in the lexical index`);
          let v = 0;
          for (const dims of [...new Set((await conn.all(`SELECT DISTINCT length("embedding") / 4 AS d FROM "chunks" WHERE "orgId" = ? AND "embedding" IS NOT NULL`, [id])).map((r) => Number(r.d)))]) {
            const [r] = await conn.all(`SELECT count(*) AS n FROM ${vectorTable(dims)} WHERE chunk_id IN (SELECT "id" FROM "chunks" WHERE "orgId" = ?)`, [id]);
            v += Number(r.n);
          }
          if (v !== Number(c.e)) throw new Error(`import check: ${v} of ${c.e} chunk vectors of ${id} are in the vector index`);
        }
      }
      await conn.exec("COMMIT");
    } catch (err) {
      await conn.exec("ROLLBACK").catch(() => {});
      throw err;
    }
    log(`imported ${orgIds.length} organization(s): ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(", ")}`);
    return { organizations: orgIds, counts };
  } finally {
    await conn.close();
  }
}
