import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "data/**", "lib/generated/**", "prisma/shim/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  { files: ["tests/**", "e2e/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  // Per-process state goes through lib/process-state.ts (Next evaluates a module once per bundle).
  {
    files: ["lib/**", "app/**", "instrumentation.ts"],
    ignores: ["lib/process-state.ts"],
    rules: { "no-restricted-globals": ["error", { name: "globalThis", message: "Use processState() from lib/process-state.ts: one value per process, shared by Next's bundles." }] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
]);
