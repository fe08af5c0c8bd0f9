import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The e2e suite runs the production build (`npm start`) on a fresh data directory, in Debian's
// chromium (never a downloaded browser). E2E_DATABASE_URL points it at PostgreSQL instead.
// E2E_CLUSTER=1 (what `npm test` uses when PostgreSQL is enabled): two instances sharing a fresh
// PostgreSQL database (on DATABASE_URL_TEST_PG's server) and Redis, behind the round-robin proxy of
// scripts/cluster.mjs on E2E_PORT (instances on the next two ports): every page load and API call
// may land on either instance.
const port = Number(process.env.E2E_PORT ?? 3107);
const cluster = process.env.E2E_CLUSTER === "1";
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "vecstruct-e2e-"));
process.env.E2E_DATA_DIR = dataDir; // workers re-evaluate this file: keep one directory
// The operator key (specs grant operator status with it: an email alone makes nobody operator).
process.env.E2E_ADMIN_KEY ??= `vs-admin-e2e-${Math.random().toString(36).slice(2)}${Date.now()}`;
// Every spec signs up from 127.0.0.1: the per-client sign-up/sign-in throttling is raised here.
const authLimits = { VECSTRUCT_SIGNUP_LIMIT_PER_IP: "200", VECSTRUCT_AUTH_LIMIT_PER_IP: "500" };

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: cluster
    ? {
        command: "node scripts/cluster.mjs",
        url: `http://127.0.0.1:${port}/api/health`,
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        // SIGTERM lets the cluster stop its instances and drop its database.
        gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
        env: {
          CLUSTER_PROXY_PORT: String(port),
          CLUSTER_INSTANCE_PORTS: `${port + 1},${port + 2}`,
          VECSTRUCT_ADMIN_EMAILS: "operator@e2e.test",
          // The specs' mock upstream listens on 127.0.0.2, which credentials added in the console may reach.
          VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: "127.0.0.2",
          VECSTRUCT_ADMIN_KEY: process.env.E2E_ADMIN_KEY,
          ...authLimits,
        },
      }
    : {
        command: "node scripts/start.mjs",
        url: `http://127.0.0.1:${port}/api/health`,
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          PORT: String(port),
          VECSTRUCT_HOST: "127.0.0.1",
          VECSTRUCT_DATA_DIR: dataDir,
          VECSTRUCT_ADMIN_EMAILS: "operator@e2e.test",
          // The specs' mock upstream listens on 127.0.0.2, which credentials added in the console may reach.
          VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: "127.0.0.2",
          VECSTRUCT_ADMIN_KEY: process.env.E2E_ADMIN_KEY,
          ...authLimits,
          ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { DATABASE_URL: "" }),
        },
      },
});
