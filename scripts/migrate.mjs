// Applies prisma/migrations/<dialect>/*/migration.sql in order, recording them in Prisma's own
// `_prisma_migrations` table (same checksums), so `prisma migrate status` agrees with what ran.
// Runs at every start: plain JS with the database drivers, no Prisma CLI and no network.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LOCK_ID = 72707369; // the advisory lock id Prisma's migrate uses

export function dialectOf(url) {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

function migrationsOf(dialect) {
  const dir = path.join(root, "prisma", "migrations", dialect);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

async function migrateSqlite(url, log) {
  const { default: Database } = await import("better-sqlite3");
  const file = url.replace(/^file:/, "");
  const { ensurePrivateDatabaseFile } = await import("./runtime-config.mjs");
  ensurePrivateDatabaseFile(file);
  const db = new Database(file, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied = [];
    for (const m of migrationsOf("sqlite")) {
      // Table redefinitions need foreign keys off, which SQLite only honours outside a transaction.
      db.pragma("foreign_keys = OFF");
      db.exec("BEGIN IMMEDIATE");
      try {
        const done = db.prepare(`SELECT checksum FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`).get(m.name);
        if (done) {
          if (done.checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
          db.exec("COMMIT");
          continue;
        }
        db.exec(m.sql);
        const violations = db.pragma("foreign_key_check");
        if (violations.length > 0) throw new Error(`migration ${m.name} leaves foreign key violations`);
        db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, ?, ?, 1)`)
          .run(randomUUID(), m.checksum, new Date().toISOString(), m.name);
        db.exec("COMMIT");
        applied.push(m.name);
      } catch (err) {
        db.exec("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${err.message}`);
      } finally {
        db.pragma("foreign_keys = ON");
      }
    }
    return applied;
  } finally {
    db.close();
  }
}

async function migratePostgres(url, log) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time when several instances start together.
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    try {
      await client.query("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (err) {
      throw new Error(`PostgreSQL needs the pgvector extension (CREATE EXTENSION vector failed: ${err.message}). Install pgvector on the server; see README.`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
      migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
      started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
    const applied = [];
    for (const m of migrationsOf("postgres")) {
      const { rows } = await client.query(
        `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [m.name],
      );
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
        applied.push(m.name);
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${err.message}`);
      }
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}

export async function migrate(url, { log = (m) => console.log(`[vecstruct] ${m}`) } = {}) {
  const dialect = dialectOf(url);
  const applied = dialect === "sqlite" ? await migrateSqlite(url, log) : await migratePostgres(url, log);
  if (applied.length > 0) log(`applied ${applied.length} migration(s) to ${dialect}: ${applied.join(", ")}`);
  return applied;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { databaseUrl } = await import("./runtime-config.mjs");
  migrate(databaseUrl()).catch((err) => {
    console.error(`[vecstruct] ${err.message}`);
    process.exit(1);
  });
}
