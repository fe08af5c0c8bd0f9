import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration and gateway tests run once per database: SQLite always, PostgreSQL too (CI has both),
// plus the multi-instance suite (two instances over one PostgreSQL and Redis, behind a proxy) and the
// serverless suite (VERCEL=1).
// VECSTRUCT_TEST_DIALECTS=sqlite skips PostgreSQL on a machine without it.
const dialects = (process.env.VECSTRUCT_TEST_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim()).filter(Boolean);
const postgres = dialects.includes("postgres");

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts", "tests/*.test.ts", "lib/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "gateway", include: ["tests/gateway/**/*.test.ts"], globalSetup: ["tests/gateway/global-setup.ts"], testTimeout: 60_000 },
      },
      // Later groups run after the first (timing-sensitive fault tests never share the CPU with them);
      // all apps are started before any test runs (Vitest runs every global setup first).
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: "gateway-pg",
                include: ["tests/gateway/**/*.test.ts"],
                globalSetup: ["tests/gateway/global-setup.ts"],
                testTimeout: 60_000,
                sequence: { groupOrder: 1 },
              },
            },
            {
              extends: true as const,
              test: { name: "multi", include: ["tests/multi/**/*.test.ts"], globalSetup: ["tests/multi/global-setup.ts"], testTimeout: 60_000, sequence: { groupOrder: 2 } },
            },
            // VERCEL=1 on PostgreSQL, each request a fresh process killed once its invocation is over
            // (tests/vercel/serverless-host.mjs); reuses the gateway suites' build. Its cold starts
            // would skew the timing-sensitive groups, so it runs last.
            {
              extends: true as const,
              test: { name: "vercel", include: ["tests/vercel/**/*.test.ts"], globalSetup: ["tests/vercel/global-setup.ts"], testTimeout: 120_000, sequence: { groupOrder: 3 } },
            },
          ]
        : []),
      ...dialects.map((dialect) => ({
        extends: true as const,
        test: {
          name: dialect,
          include: ["tests/integration/**/*.test.ts"],
          setupFiles: ["tests/setup/database.ts"],
          env: { VECSTRUCT_TEST_DIALECT: dialect },
        },
      })),
    ],
  },
});
