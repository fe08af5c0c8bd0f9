// Driver-level access for the few high-volume writes of the hot path (audit rows, later ledger
// entries): a prepared statement per batch instead of the ORM's per-call query planning, which
// cost ~0.5 ms of CPU per request in profiles. Everything else goes through Prisma (lib/db.ts).
import Database from "better-sqlite3";
import pg from "pg";
import { env } from "./env";
import { log } from "./log";
import { storableJson, wellFormedText } from "./well-formed";
import { processState } from "./process-state";
import { closeWorker, runOnWorker, type WorkerFailure } from "./db-worker";

type Row = Record<string, unknown>;

const handles = processState<{ sqlite?: Database.Database; pg?: pg.Pool }>("db.raw", () => ({}));

/**
 * Text is made well-formed on the way in (lib/well-formed.ts): PostgreSQL refuses NUL in text and NUL
 * or lone surrogates in jsonb, so one prompt carrying `\ud800` would make its audit row unwritable.
 * SQLite gets the same values, so both databases store the same thing.
 */
const sqliteValue = (v: unknown) =>
  v instanceof Date
    ? v.toISOString().replace("Z", "+00:00") // as the Prisma adapter stores DateTimes
    : typeof v === "boolean"
      ? (v ? 1 : 0)
      : typeof v === "string"
        ? wellFormedText(v)
        : isJson(v)
          ? storableJson(v)
          : (v ?? null);
const pgValue = (v: unknown) =>
  v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : typeof v === "string" ? wellFormedText(v) : isJson(v) ? storableJson(v) : (v ?? null);
const isJson = (v: unknown) => v !== null && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v);


/** The raw SQLite handle (only when the dialect is SQLite). */
export function rawSqlite(): Database.Database {
  return sqlite();
}

/** The raw PostgreSQL pool (only when the dialect is PostgreSQL). */
export function rawPg(): pg.Pool {
  return pgPool();
}

const sqlitePath = () => env().DATABASE_URL.replace(/^file:/, "");

function sqlite(): Database.Database {
  handles.sqlite ??= new Database(sqlitePath(), { timeout: 10_000 });
  return handles.sqlite;
}

/** A worker's failure as the error the callers know: ConditionFailed, or the database error's class and code. */
function asError(f: WorkerFailure): Error {
  if (f.conditionFailed !== undefined) return new ConditionFailed(f.conditionFailed);
  const err = new Error(f.message) as Error & { code?: string };
  err.name = f.name;
  if (f.code !== undefined) err.code = f.code;
  return err;
}

function pgPool(): pg.Pool {
  if (!handles.pg) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 4 });
    // An idle connection the server closes (restart, failover) must not crash the process.
    pool.on("error", (err) => log.warn("idle PostgreSQL connection lost", {}, err));
    handles.pg = pool;
  }
  return handles.pg;
}


/** One SQL statement with `?` placeholders, for either dialect. */
export interface Stmt {
  sql: string;
  params: unknown[];
  /** When set, the statement must change exactly one row, or everything is rolled back. */
  mustChange?: string;
}

export class ConditionFailed extends Error {}

/** Runs statements atomically (one transaction). Throws ConditionFailed(mustChange) when a guard fails. */
export async function runAtomically(stmts: Stmt[]): Promise<void> {
  if (stmts.length === 0) return;
  if (env().dialect === "sqlite") {
    // On the write worker (lib/db-worker.ts): the transaction never blocks the request loop.
    const converted = stmts.map((s) => ({ sql: s.sql, params: s.params.map(sqliteValue), ...(s.mustChange ? { mustChange: s.mustChange } : {}) }));
    try {
      await runOnWorker(sqlitePath(), 10_000, converted);
    } catch (failure) {
      throw asError(failure as WorkerFailure);
    }
    return;
  }
  await withPgTransaction(async (client) => {
    for (const s of stmts) {
      let i = 0;
      const r = await client.query(s.sql.replace(/\?/g, () => `$${++i}`), s.params.map(pgValue));
      if (s.mustChange && r.rowCount !== 1) throw new ConditionFailed(s.mustChange);
    }
  });
}

/** BEGIN … COMMIT on one pooled PostgreSQL connection; ROLLBACK when `fn` throws. */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Statements inserting rows (all with the same keys) into `table`. */
export function insertStmts(table: string, rows: Row[]): Stmt[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  if (env().dialect === "sqlite") {
    const sql = `INSERT INTO "${table}" (${quoted}) VALUES (${columns.map(() => "?").join(", ")})`;
    return rows.map((row) => ({ sql, params: columns.map((c) => row[c]) }));
  }
  // PostgreSQL: multi-row statements (≤ 500 rows keeps the parameter count far below 65535).
  const out: Stmt[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const slice = rows.slice(i, i + 500);
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    out.push({ sql: `INSERT INTO "${table}" (${quoted}) VALUES ${slice.map(() => tuple).join(", ")}`, params: slice.flatMap((row) => columns.map((c) => row[c])) });
  }
  return out;
}

export async function insertRows(table: string, rows: Row[]): Promise<void> {
  await runAtomically(insertStmts(table, rows));
}

export async function closeRawDb(): Promise<void> {
  await closeWorker();
  handles.sqlite?.close();
  await handles.pg?.end();
  handles.sqlite = undefined;
  handles.pg = undefined;
}
