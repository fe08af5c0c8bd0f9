// The Prisma CLI works offline through the schema-engine shim (prisma/shim/),
// and the committed migrations of both dialects match prisma/schema.prisma.
//
// PostgreSQL cases use the server at DATABASE_URL_TEST_PG (default
// postgresql://postgres@127.0.0.1:5432/postgres) and create throwaway
// databases on it; they are skipped when no server answers there.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { writePostgresSchema } from "../scripts/db-generate.mjs";

const root = path.resolve(import.meta.dirname, "..");
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");
const PG_BASE = process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TIMEOUT = 120_000;

type Dialect = "sqlite" | "postgres";
const schemaOf = { sqlite: "prisma/schema.prisma", postgres: "prisma/postgres/schema.prisma" };
const migrationsOf = { sqlite: "prisma/migrations/sqlite", postgres: "prisma/migrations/postgres" };

/** Runs the real Prisma CLI as a developer would, with the dialect's DATABASE_URL. */
function prisma(dialect: Dialect, args: string[], databaseUrl?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, VECSTRUCT_DB_DIALECT: dialect, CHECKPOINT_DISABLE: "1" };
  delete env.DATABASE_URL;
  delete env.SHADOW_DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], { cwd: root, env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

const migrationsMatchSchema = (dialect: Dialect, databaseUrl?: string) =>
  prisma(dialect, ["migrate", "diff", "--from-migrations", migrationsOf[dialect], "--to-schema", schemaOf[dialect], "--exit-code"], databaseUrl);

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function withPgDatabase(run: (url: string) => Promise<void>) {
  const name = `vs_cli_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_BASE });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  try {
    await run(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const pgUp = await pgReachable();
if (!pgUp) console.warn(`prisma-cli.test: PostgreSQL not reachable at ${PG_BASE}; skipping the postgres cases`);
const pgTitle = (title: string) => (pgUp ? title : `${title} — SKIPPED: no PostgreSQL at ${PG_BASE} (set DATABASE_URL_TEST_PG)`);

describe("prisma CLI via the schema-engine shim", () => {
  // prisma/postgres/schema.prisma is generated (and git-ignored): bring it up to date first.
  beforeAll(() => {
    writePostgresSchema();
  });

  it("generates prisma/postgres/schema.prisma from prisma/schema.prisma", () => {
    const sqlite = readFileSync(path.join(root, schemaOf.sqlite), "utf8");
    const postgres = readFileSync(path.join(root, schemaOf.postgres), "utf8");
    expect(postgres).toMatch(/^\/\/ GENERATED/);
    expect(postgres).toMatch(/provider\s*=\s*"postgresql"/);
    expect(postgres).toMatch(/output\s*=\s*"\.\.\/\.\.\/lib\/generated\/postgres"/);
    // Same models and enums as the source of truth.
    const blocks = (text: string) => text.match(/^(model|enum) \w+/gm);
    expect(blocks(postgres)).toEqual(blocks(sqlite));
  });

  it("validates and renders SQL for both dialects without a database", { timeout: TIMEOUT }, async () => {
    for (const dialect of ["sqlite", "postgres"] as const) {
      const validate = await prisma(dialect, ["validate"]);
      expect(validate.code, validate.out).toBe(0);
      const diff = await prisma(dialect, ["migrate", "diff", "--from-empty", "--to-schema", schemaOf[dialect], "--script"]);
      expect(diff.code, diff.out).toBe(0);
      expect(diff.out).toMatch(/CREATE TABLE/);
    }
  });

  it("sqlite: committed migrations match the schema (else: npm run db:migrate:new -- <name>)", { timeout: TIMEOUT }, async () => {
    const { code, out } = await migrationsMatchSchema("sqlite");
    expect(code, out).toBe(0);
  });

  it("sqlite: migrate status / deploy / status on a fresh database file", { timeout: TIMEOUT }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vecstruct-cli-"));
    try {
      const file = path.join(dir, "fresh.db");
      writeFileSync(file, ""); // an empty file is an empty SQLite database
      const url = `file:${file}`;
      const before = await prisma("sqlite", ["migrate", "status"], url);
      // Exit 1 with the list of pending migrations is the CLI's normal answer here.
      expect(before.out, before.out).toMatch(/have not yet been applied|No migration found/);
      const deploy = await prisma("sqlite", ["migrate", "deploy"], url);
      expect(deploy.code, deploy.out).toBe(0);
      const after = await prisma("sqlite", ["migrate", "status"], url);
      expect(after.code, after.out).toBe(0);
      expect(after.out).toMatch(/Database schema is up to date|No migration found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!pgUp)(pgTitle("postgres: committed migrations match the schema"), { timeout: TIMEOUT }, async () => {
    // The migrations are replayed into a temporary shadow database on that server.
    const { code, out } = await migrationsMatchSchema("postgres", PG_BASE);
    expect(code, out).toBe(0);
  });

  it.skipIf(!pgUp)(pgTitle("postgres: migrate status / deploy / status on a fresh database"), { timeout: TIMEOUT }, async () => {
    await withPgDatabase(async (url) => {
      const before = await prisma("postgres", ["migrate", "status"], url);
      expect(before.out, before.out).toMatch(/have not yet been applied|No migration found/);
      const deploy = await prisma("postgres", ["migrate", "deploy"], url);
      expect(deploy.code, deploy.out).toBe(0);
      const after = await prisma("postgres", ["migrate", "status"], url);
      expect(after.code, after.out).toBe(0);
      expect(after.out).toMatch(/Database schema is up to date|No migration found/);
    });
  });
});
