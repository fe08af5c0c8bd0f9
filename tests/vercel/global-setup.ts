// The serverless suite (tests/vercel): the production build (the one the gateway suites use; built
// only when sources changed) run as Vercel runs it — VERCEL=1 on a fresh PostgreSQL database migrated
// beforehand (as a deployment's CI step does), each request a fresh process that is SIGKILLed once its
// invocation is over (tests/vercel/serverless-host.mjs). Only set up when PostgreSQL is enabled.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase, ensureBuilt } from "../../scripts/cluster.mjs";
import { migrate } from "../../scripts/migrate.mjs";
import { appEnv } from "../gateway/global-setup";
import { startMockUpstream } from "../mocks/upstream";

declare module "vitest" {
  export interface ProvidedContext {
    /** The environment of every serverless process (VERCEL=1, the database, secrets, the mock upstreams). */
    serverlessEnv: Record<string, string>;
    serverlessPort: number;
    cronSecret: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMockUpstream();
  const database = await createDatabase(
    process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    process.env.VERCEL_TEST_DB_PREFIX ?? "vs_vercel",
  );
  try {
    await migrate(database.url, { log: () => {} });
    ensureBuilt();
  } catch (err) {
    await mock.close();
    await database.drop();
    throw err;
  }
  const adminKey = `vs-admin-vercel-${randomBytes(12).toString("hex")}`;
  const cronSecret = randomBytes(24).toString("hex");
  const env: Record<string, string> = {
    ...appEnv(mock.origin),
    NODE_ENV: "production",
    VERCEL: "1",
    CRON_SECRET: cronSecret,
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    VECSTRUCT_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    VECSTRUCT_ADMIN_KEY: adminKey,
    // Nothing may be written to a data directory on Vercel: point it where writing would fail loudly.
    VECSTRUCT_DATA_DIR: path.join("/proc", "vecstruct-no-data-dir"),
  };
  project.provide("serverlessEnv", env);
  project.provide("serverlessPort", Number(process.env.VERCEL_TEST_PORT ?? 3160));
  project.provide("cronSecret", cronSecret);
  project.provide("adminKey", adminKey);
  project.provide("dbUrl", database.url);
  project.provide("upstreamOrigin", mock.origin);
  return async () => {
    await mock.close();
    await database.drop().catch((err: Error) => console.error(`could not drop the serverless suite's database: ${err.message}`));
  };
}
