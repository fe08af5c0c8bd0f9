// Each integration test file gets its own fresh, migrated database (SQLite file or PostgreSQL
// database) and data directory, so no test depends on state left by another or by an earlier run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import { flushAudit } from "@/lib/audit/writer";
import { disconnectDb } from "@/lib/db";
import { learningIdle } from "@/lib/memory/learn";
import { ingestionIdle } from "@/lib/rag/ingest";
import { closeRawDb } from "@/lib/db-raw";
import { resetEnvForTests } from "@/lib/env";
import { migrate } from "../../scripts/migrate.mjs";

export const ADMIN_KEY = "vs-admin-test-key-0123456789abcdef";
const dialect = process.env.VECSTRUCT_TEST_DIALECT ?? "sqlite";
const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-test-"));

process.env.VECSTRUCT_DATA_DIR = dataDir;
process.env.VECSTRUCT_ADMIN_KEY = ADMIN_KEY;
delete process.env.AUTH_SECRET;

let dropDatabase: (() => Promise<void>) | undefined;

if (dialect === "sqlite") {
  process.env.DATABASE_URL = `file:${path.join(dataDir, "test.db")}`;
} else {
  const base = process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `vs_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}

resetEnvForTests();
await migrate(process.env.DATABASE_URL!, { log: () => {} });

afterAll(async () => {
  // Background work of this file (ingestion, learning, audit batches) finishes before the database goes.
  await ingestionIdle();
  await learningIdle();
  await flushAudit().catch(() => {});
  await disconnectDb();
  await closeRawDb();
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});
