#!/usr/bin/env node
// `npm run db:generate` (also the postinstall step):
//   1. writes prisma/postgres/schema.prisma from prisma/schema.prisma — same
//      models, provider "postgresql", client generated into lib/generated/postgres;
//   2. runs `prisma generate` for both schemas.
// Works offline: prisma.config.ts points the CLI at our schema-engine shim, so
// it never tries to download an engine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPaths = {
  sqlite: path.join(root, 'prisma/schema.prisma'),
  postgres: path.join(root, 'prisma/postgres/schema.prisma'),
};
export const prismaCli = path.join(root, 'node_modules/prisma/build/index.js');

const HEADER = `// GENERATED — edit prisma/schema.prisma, then run \`npm run db:generate\`.
// PostgreSQL twin of the SQLite schema; written by scripts/db-generate.mjs.

`;

/** The PostgreSQL schema text for a SQLite schema text. */
export function toPostgresSchema(sqliteSchema) {
  let sawProvider = false;
  let sawOutput = false;
  const text = sqliteSchema
    // datasource db { provider = "sqlite" }  ->  "postgresql"
    .replace(/(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/, (_, head) => {
      sawProvider = true;
      return `${head}"postgresql"`;
    })
    // generator output: the path is relative to the schema file, which sits one
    // directory deeper, and the client goes to a sibling .../postgres folder.
    .replace(/(generator\s+\w+\s*\{[^}]*?output\s*=\s*)"([^"]+)"/g, (_, head, output) => {
      const target = path.resolve(path.dirname(schemaPaths.sqlite), output);
      if (path.basename(target) !== 'sqlite') {
        throw new Error(`generator output "${output}" in prisma/schema.prisma should end in /sqlite`);
      }
      sawOutput = true;
      const pgTarget = path.join(path.dirname(target), 'postgres');
      return `${head}"${path.relative(path.dirname(schemaPaths.postgres), pgTarget).split(path.sep).join('/')}"`;
    });
  if (!sawProvider) throw new Error('prisma/schema.prisma: expected a datasource with provider = "sqlite"');
  if (!sawOutput) throw new Error('prisma/schema.prisma: expected a generator with an `output` path');
  return HEADER + text;
}

/** Writes prisma/postgres/schema.prisma if its content changed. Returns true when written. */
export function writePostgresSchema() {
  const next = toPostgresSchema(readFileSync(schemaPaths.sqlite, 'utf8'));
  if (existsSync(schemaPaths.postgres) && readFileSync(schemaPaths.postgres, 'utf8') === next) return false;
  mkdirSync(path.dirname(schemaPaths.postgres), { recursive: true });
  writeFileSync(schemaPaths.postgres, next);
  return true;
}

/**
 * Runs the Prisma CLI for one dialect. DATABASE_URL is replaced so that
 * prisma.config.ts selects that dialect's schema, migrations and database.
 */
export function runPrisma(dialect, args, { databaseUrl, stdio = 'inherit' } = {}) {
  const env = { ...process.env, VECSTRUCT_DB_DIALECT: dialect };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return spawnSync(process.execPath, [prismaCli, ...args], { cwd: root, env, stdio, encoding: 'utf8' });
}

function main() {
  if (!existsSync(prismaCli)) {
    // e.g. `npm ci --omit=dev`: the CLI is a devDependency. Don't fail the install.
    const msg = 'db-generate: prisma CLI not installed, skipping client generation';
    if (process.env.npm_lifecycle_event === 'postinstall') return console.warn(msg);
    throw new Error(msg);
  }
  if (!existsSync(schemaPaths.sqlite)) {
    if (process.env.npm_lifecycle_event === 'postinstall') return console.warn('db-generate: no prisma/schema.prisma yet');
    throw new Error('prisma/schema.prisma not found');
  }
  if (writePostgresSchema()) console.log('db-generate: wrote prisma/postgres/schema.prisma');
  for (const dialect of ['sqlite', 'postgres']) {
    const schema = path.relative(root, schemaPaths[dialect]);
    const { status, error } = runPrisma(dialect, ['generate', '--schema', schema]);
    if (error) throw error;
    if (status !== 0) process.exit(status ?? 1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
