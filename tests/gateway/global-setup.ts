// Starts the mock upstreams and the production build of vecstruct (scripts/start.mjs, which builds
// when sources changed) on a fresh database, for the HTTP-level gateway suite: a fresh SQLite data
// directory for the project "gateway", a fresh PostgreSQL database (on DATABASE_URL_TEST_PG's
// server) for "gateway-pg". Helpers read that database with either driver (helpers.ts dbQuery).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../../scripts/cluster.mjs";
import { startSmtpSink } from "../mocks/smtp-sink";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";

export const ADMIN_KEY = "vs-admin-gateway-suite-0123456789";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    upstreamOrigin: string;
    adminKey: string;
    /** The app's database: `file:…` (SQLite) or `postgresql://…`. */
    dbUrl: string;
    /** Where the SMTP sink writes the app's mails (one .eml file each). */
    mailDir: string;
    /** The app's data directory (its generated secrets): a second server of the same deployment. */
    dataDir: string;
    /** /v1 is served through Next's router (`next start`) instead of scripts/server.mjs. */
    nextRouter: boolean;
  }
}

async function waitForHealth(url: string, child: ChildProcess, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vecstruct exited with ${child.exitCode} before it was healthy`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vecstruct did not become healthy within ${ms} ms`);
}

/** What the app under test is configured with (also the multi-instance suite's instances). */
export function appEnv(mockOrigin: string): Record<string, string> {
  return {
    // Credentials created through /api may reach the mock's own host:port and 127.0.0.2 (any port);
    // any other loopback port stays refused (tests/gateway/upstream-security.test.ts).
    VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: `${new URL(mockOrigin).host},127.0.0.2`,
    VECSTRUCT_MAX_UPSTREAM_BODY_BYTES: String(4 * 1024 * 1024),
    VECSTRUCT_MAX_UPSTREAM_EVENT_BYTES: String(1024 * 1024),
    // Limits go through Redis (the multi-instance path); unreachable Redis falls back to memory.
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    OPENAI_API_KEY: "sk-upstream-openai",
    OPENAI_BASE_URL: `${mockOrigin}/v1`,
    ANTHROPIC_API_KEY: "sk-upstream-anthropic",
    ANTHROPIC_BASE_URL: mockOrigin,
    GEMINI_API_KEY: "upstream-gemini",
    GEMINI_BASE_URL: mockOrigin,
    VECSTRUCT_PROVIDER_LOCAL_BASE_URL: `${mockOrigin}/v1`,
    VECSTRUCT_PROVIDER_LOCAL_MODELS: "llama-3:chat,memory-bot:chat,bge-m3:embedding,jina-reranker:rerank,down-model:chat,busy-model:chat",
    // Two credentials of one provider; the mock refuses the second (routing tests).
    VECSTRUCT_PROVIDER_POOL_BASE_URL: `${mockOrigin}/v1`,
    VECSTRUCT_PROVIDER_POOL_API_KEY: "sk-pool-good,sk-pool-refused",
    VECSTRUCT_PROVIDER_POOL_MODELS: "llama-3:chat",
    VECSTRUCT_RETRY_BASE_MS: "20",
    // The mock also plays the OTLP collector: traces of the pipeline land in its request log.
    OTEL_EXPORTER_OTLP_ENDPOINT: mockOrigin,
    VECSTRUCT_RETRY_MAX_MS: "1500",
    VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS: "8000",
    COHERE_API_KEY: "upstream-cohere",
    COHERE_BASE_URL: mockOrigin,
    VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "2000",
    VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS: "2000",
    VECSTRUCT_MAX_BODY_BYTES: String(1024 * 1024),
  };
}

export default async function setup(project: TestProject) {
  // Per call: each gateway project (SQLite, PostgreSQL) runs its own app, mock and database.
  let app: ChildProcess | undefined = undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  const postgres = project.name.endsWith("-pg");
  const mock: MockUpstream = await startMockUpstream();
  const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-gw-"));
  const smtp = await startSmtpSink(path.join(dataDir, "mail"));
  let databaseUrl = `file:${path.join(dataDir, "vecstruct.db")}`;
  if (postgres) {
    const database = await createDatabase(process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres", "vs_gateway");
    databaseUrl = database.url;
    dropDatabase = database.drop;
  }
  // The PostgreSQL run listens on the next port: both apps are up while the projects run.
  const port = Number(process.env.GATEWAY_TEST_PORT ?? 3111) + (postgres ? 1 : 0);
  // One suite, both ways of serving /v1: the SQLite run through scripts/server.mjs (the default, /v1
  // straight to the route handlers), the PostgreSQL run through Next's own router (`next start`, as
  // `next dev` and Vercel serve the same route files).
  const nextRouter = postgres;
  const root = path.resolve(import.meta.dirname, "../..");
  const logs: string[] = [];
  app = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      VECSTRUCT_HOST: "127.0.0.1",
      VECSTRUCT_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      VECSTRUCT_ADMIN_KEY: ADMIN_KEY,
      ...appEnv(mock.origin),
      // Operator by verified email (tests/gateway/accounts.test.ts); mails go to the sink.
      VECSTRUCT_ADMIN_EMAILS: "ops@gateway.test",
      VECSTRUCT_SMTP_URL: smtp.url,
      VECSTRUCT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Tests pose as distinct clients with X-Forwarded-For (one trusted proxy hop).
      VECSTRUCT_TRUSTED_PROXY_HOPS: "1",
      VECSTRUCT_NEXT_ROUTER: nextRouter ? "1" : "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const s of [app.stdout, app.stderr]) s?.on("data", (d: Buffer) => logs.push(d.toString()));
  try {
    await waitForHealth(`http://127.0.0.1:${port}/api/health`, app, 600_000);
  } catch (err) {
    console.error(logs.join("").slice(-5000));
    throw err;
  }
  project.provide("baseURL", `http://127.0.0.1:${port}`);
  project.provide("upstreamOrigin", mock.origin);
  project.provide("adminKey", ADMIN_KEY);
  project.provide("dbUrl", databaseUrl);
  project.provide("mailDir", smtp.dir);
  project.provide("dataDir", dataDir);
  project.provide("nextRouter", nextRouter);

  return async () => {
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (app && app.exitCode === null) app.kill("SIGKILL");
    await mock?.close();
    await smtp.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase?.().catch((err) => console.error(`could not drop the gateway database: ${err.message}`));
    if (process.env.GATEWAY_TEST_LOGS === "1") console.log(logs.join(""));
  };
}
