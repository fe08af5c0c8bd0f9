// Database access for the schema-engine shim: turns a datasource URL into a
// Prisma driver adapter (what @prisma/schema-engine-wasm talks to) and
// implements the two things the CLI asks the native engine to do without an
// engine session: "can I connect?" and "create the database".
//
// Supported URLs: `file:<path>` (SQLite via better-sqlite3) and
// `postgres://` / `postgresql://` (node-postgres).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

// The schema engine's catalog queries return PostgreSQL's internal one-byte
// "char" type (e.g. pg_class.relkind), which adapter-pg rejects ("Column type
// 'char' could not be deserialized"). Its text form is all we need, so relabel
// it as `text` before pg picks a parser and adapter-pg a column type.
const { addFields } = pg.Result.prototype;
pg.Result.prototype.addFields = function (fields) {
  for (const field of fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
  return addFields.call(this, fields);
};

// The wasm engine wants the "error capturing" adapter wrapper from
// @prisma/driver-adapter-utils. It is not a direct dependency of the project,
// so resolve it from the adapter package that depends on it.
const adapterRequire = createRequire(createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'));
const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = adapterRequire('@prisma/driver-adapter-utils');

/** Error with a Prisma error code (P1001, P1003, ...), reported as the native engine does. */
export class PrismaCodedError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** 'sqlite' | 'postgresql' for a datasource URL. */
export function providerOf(url) {
  if (/^file:/.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new PrismaCodedError('P1013', `The shim schema engine only supports file: and postgresql:// URLs, got \`${url.split(':')[0]}:\`.`);
}

// SQLite paths are relative to the working directory, which the CLI sets to the
// directory of prisma.config.ts — the same base the app's adapter uses at runtime.
function sqlitePath(url) {
  const path = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return path === ':memory:' ? path : resolve(path);
}

// node-postgres lets `connectionString` override every other option, and
// PrismaPg.connectToShadowDb() works by overriding `database`. So hand pg
// separate fields, never a connection string.
function pgConfig(url) {
  const u = new URL(url);
  const ssl = u.searchParams.get('sslmode');
  return {
    host: u.searchParams.get('host') ?? (decodeURIComponent(u.hostname) || 'localhost'),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    ssl: !ssl || ssl === 'disable' || ssl === 'prefer' ? undefined : { rejectUnauthorized: ssl.startsWith('verify') },
    connectionTimeoutMillis: 5000,
  };
}

function describe(config) {
  return `${config.host}:${config.port}`;
}

/**
 * Driver adapter factory for the engine. `shadowUrl` is the config's
 * shadowDatabaseUrl; without it the adapters make their own throwaway shadow
 * database (SQLite: in memory; PostgreSQL: a temporary database on the same
 * server, dropped afterwards).
 */
export function adapterFactory(url, shadowUrl) {
  let factory;
  if (providerOf(url) === 'sqlite') {
    const sqlite = new PrismaBetterSqlite3(
      { url: sqlitePath(url) },
      shadowUrl ? { shadowDatabaseUrl: sqlitePath(shadowUrl) } : undefined,
    );
    factory = {
      provider: sqlite.provider,
      adapterName: sqlite.adapterName,
      connect: async () => sqliteWorkarounds(await sqlite.connect()),
      connectToShadowDb: async () => sqliteWorkarounds(await sqlite.connectToShadowDb()),
    };
  } else {
    const config = pgConfig(url);
    // `?schema=` selects the PostgreSQL schema, as in Prisma's own URLs: the
    // engine needs its name, and unqualified SQL must land in it.
    const schema = new URL(url).searchParams.get('schema') ?? undefined;
    if (schema) config.options = `-c search_path="${schema}"`;
    const main = new PrismaPg(config, { schema });
    factory = {
      provider: main.provider,
      adapterName: main.adapterName,
      connect: () => main.connect(),
      connectToShadowDb: () => (shadowUrl ? new PrismaPg(pgConfig(shadowUrl)).connect() : temporaryPgDatabase(config)),
    };
  }
  return bindMigrationAwareSqlAdapterFactory(factory);
}

// Work around two gaps of the wasm engine's SQLite connector (the native
// engine does not go through driver adapters, so it does not have them):
//
// 1. When replaying migrations into the shadow database it sends each whole
//    migration.sql through executeRaw, but better-sqlite3 prepares one
//    statement at a time ("The supplied SQL string contains more than one
//    statement"). Run such scripts through executeScript (sqlite exec) instead.
// 2. It does not recognise "no such table: _prisma_migrations" as "this
//    database has no migration history yet" (the native build checks a
//    rusqlite error code), so `migrate status` on a fresh database fails with
//    P1014. Read a missing table as empty, and create it (with the engine's
//    own DDL) when the engine writes to it, as the native engine would.
function sqliteWorkarounds(adapter) {
  const executeRaw = adapter.executeRaw.bind(adapter);
  const queryRaw = adapter.queryRaw.bind(adapter);
  const missingMigrationsTable = (err) => err?.cause?.kind === 'TableDoesNotExist' && err.cause.table === '_prisma_migrations';

  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (err) {
      if (query.args.length === 0 && /more than one statement/.test(err?.message)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      if (!missingMigrationsTable(err)) throw err;
      await adapter.executeScript(MIGRATIONS_TABLE_DDL);
      return executeRaw(query);
    }
  };
  adapter.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } catch (err) {
      if (!missingMigrationsTable(err)) throw err;
      if (/^\s*SELECT\b/i.test(query.sql)) return { columnNames: MIGRATIONS_COLUMNS, columnTypes: MIGRATIONS_COLUMNS.map(() => ColumnTypeEnum.Text), rows: [] };
      await adapter.executeScript(MIGRATIONS_TABLE_DDL);
      return queryRaw(query);
    }
  };
  return adapter;
}

const MIGRATIONS_COLUMNS = ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'];
// Verbatim from the engine (sql-schema-connector, SQLite create_migrations_table).
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

// A throwaway shadow database on the configured server. (PrismaPg's own
// connectToShadowDb drops the database while its pool still holds a
// connection, which PostgreSQL refuses.)
async function temporaryPgDatabase(config) {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  await runSql(config, `CREATE DATABASE "${name}"`);
  const adapter = await new PrismaPg({ ...config, database: name }).connect();
  const closePool = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await closePool();
    await runSql(config, `DROP DATABASE IF EXISTS "${name}"`);
  };
  return adapter;
}

async function runSql(config, sql) {
  const client = new pg.Client(config);
  try {
    await client.connect();
    await client.query(sql);
  } catch (err) {
    throw pgError(err, config);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves if the database exists and is reachable; throws PrismaCodedError otherwise. */
export async function canConnect(url) {
  if (providerOf(url) === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:' && !existsSync(path)) {
      throw new PrismaCodedError('P1003', `Database \`${path.split('/').pop()}\` does not exist at \`${path}\`.`);
    }
    new Database(path, { fileMustExist: true }).close();
    return;
  }
  await runSql(pgConfig(url), 'SELECT 1');
}

/** Creates the database named by the URL (SQLite: the file and its directory). */
export async function createDatabase(url) {
  if (providerOf(url) === 'sqlite') {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    new Database(path).close();
    return path.split('/').pop();
  }
  const config = pgConfig(url);
  // CREATE DATABASE has to run while connected to some other database.
  await runSql({ ...config, database: 'postgres' }, `CREATE DATABASE "${config.database.replaceAll('"', '""')}"`);
  return config.database;
}

// Map node-postgres failures onto Prisma's error codes where there is one
// (the CLI itself only branches on P1003 "database does not exist").
function pgError(err, config) {
  if (err.code === '3D000') {
    return new PrismaCodedError('P1003', `Database \`${config.database}\` does not exist on the database server at \`${describe(config)}\`.`);
  }
  if (err.code === '42P04') {
    return new PrismaCodedError('P1009', `Database \`${config.database}\` already exists on the database server at \`${describe(config)}\``);
  }
  if (err.code === '28P01' || err.code === '28000') {
    return new PrismaCodedError('P1000', `Authentication failed against database server at \`${describe(config)}\`: ${err.message}`);
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(err.code) || /timeout/i.test(err.message)) {
    return new PrismaCodedError('P1001', `Can't reach database server at \`${describe(config)}\`\n\nPlease make sure your database server is running at \`${describe(config)}\`.`);
  }
  return err;
}
