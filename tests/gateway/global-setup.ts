// Starts the mock upstreams and the production build of vecstruct (scripts/start.mjs, which builds
// when sources changed) on a fresh SQLite data directory, for the HTTP-level gateway suite.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";

export const ADMIN_KEY = "vs-admin-gateway-suite-0123456789";
let app: ChildProcess | undefined;
let mock: MockUpstream | undefined;
let dataDir: string | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    upstreamOrigin: string;
    adminKey: string;
    dbFile: string;
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

export default async function setup(project: TestProject) {
  mock = await startMockUpstream();
  dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-gw-"));
  const port = Number(process.env.GATEWAY_TEST_PORT ?? 3111);
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
      DATABASE_URL: "",
      VECSTRUCT_ADMIN_KEY: ADMIN_KEY,
      // Limits go through Redis (the multi-instance path); unreachable Redis falls back to memory.
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      OPENAI_API_KEY: "sk-upstream-openai",
      OPENAI_BASE_URL: `${mock.origin}/v1`,
      ANTHROPIC_API_KEY: "sk-upstream-anthropic",
      ANTHROPIC_BASE_URL: mock.origin,
      GEMINI_API_KEY: "upstream-gemini",
      GEMINI_BASE_URL: mock.origin,
      VECSTRUCT_PROVIDER_LOCAL_BASE_URL: `${mock.origin}/v1`,
      VECSTRUCT_PROVIDER_LOCAL_MODELS: "llama-3:chat,memory-bot:chat,bge-m3:embedding,jina-reranker:rerank,down-model:chat,busy-model:chat",
      // Two credentials of one provider; the mock refuses the second (routing tests).
      VECSTRUCT_PROVIDER_POOL_BASE_URL: `${mock.origin}/v1`,
      VECSTRUCT_PROVIDER_POOL_API_KEY: "sk-pool-good,sk-pool-refused",
      VECSTRUCT_PROVIDER_POOL_MODELS: "llama-3:chat",
      VECSTRUCT_RETRY_BASE_MS: "20",
      // The mock also plays the OTLP collector: traces of the pipeline land in its request log.
      OTEL_EXPORTER_OTLP_ENDPOINT: mock.origin,
      VECSTRUCT_RETRY_MAX_MS: "1500",
      VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS: "8000",
      COHERE_API_KEY: "upstream-cohere",
      COHERE_BASE_URL: mock.origin,
      VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: "2000",
      VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS: "2000",
      VECSTRUCT_MAX_BODY_BYTES: String(1024 * 1024),
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
  project.provide("dbFile", path.join(dataDir, "vecstruct.db"));

  return async () => {
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (app && app.exitCode === null) app.kill("SIGKILL");
    await mock?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (process.env.GATEWAY_TEST_LOGS === "1") console.log(logs.join(""));
  };
}
