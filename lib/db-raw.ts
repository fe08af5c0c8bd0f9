// Driver-level access for the few high-volume writes of the hot path (audit rows, later ledger
// entries): a prepared statement per batch instead of the ORM's per-call query planning, which
// cost ~0.5 ms of CPU per request in profiles. Everything else goes through Prisma (lib/db.ts).
import Database from "better-sqlite3";
import pg from "pg";
import { env } from "./env";

type Row = Record<string, unknown>;

const globalRaw = globalThis as unknown as { vecstructRaw?: { sqlite?: Database.Database; pg?: pg.Pool } };
globalRaw.vecstructRaw ??= {};
const handles = globalRaw.vecstructRaw;

/** SQLite stores Prisma DateTimes as ISO text with an explicit +00:00 (as the Prisma adapter does). */
const sqliteValue = (v: unknown) =>
  v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : isJson(v) ? JSON.stringify(v) : v ?? null;
const pgValue = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : isJson(v) ? JSON.stringify(v) : v ?? null);
const isJson = (v: unknown) => v !== null && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v);

const statements = new Map<string, Database.Statement>();

/** Inserts rows (all with the same keys) into `table` in one transaction / one statement. */
export async function insertRows(table: string, rows: Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  const { dialect, DATABASE_URL } = env();
  if (dialect === "sqlite") {
    handles.sqlite ??= new Database(DATABASE_URL.replace(/^file:/, ""), { timeout: 10_000 });
    const sql = `INSERT INTO "${table}" (${quoted}) VALUES (${columns.map(() => "?").join(", ")})`;
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = handles.sqlite.prepare(sql)));
    const insert = stmt;
    handles.sqlite.transaction((batch: Row[]) => {
      for (const row of batch) insert.run(columns.map((c) => sqliteValue(row[c])));
    })(rows);
    return;
  }
  handles.pg ??= new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => (values.push(pgValue(row[c])), `$${values.length}`)).join(", ")})`);
  await handles.pg.query(`INSERT INTO "${table}" (${quoted}) VALUES ${tuples.join(", ")}`, values);
}

export async function closeRawDb(): Promise<void> {
  handles.sqlite?.close();
  await handles.pg?.end();
  handles.sqlite = undefined;
  handles.pg = undefined;
  statements.clear();
}
