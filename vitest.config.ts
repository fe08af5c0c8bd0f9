import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration tests run once per database: SQLite always, PostgreSQL too (CI has both).
// VECSTRUCT_TEST_DIALECTS=sqlite skips PostgreSQL on a machine without it.
const dialects = (process.env.VECSTRUCT_TEST_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim()).filter(Boolean);

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
