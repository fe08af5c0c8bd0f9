// `npm run bench:rag`: the RAG retrieval benchmark runs under Vitest only because the retrieval code
// is TypeScript with the `@/` alias; nothing here is a test that can fail on timing.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["bench/rag/*.bench-run.ts"],
    // One process, one file at a time: the timings must not share the 2 cores with anything else.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60 * 60_000,
    hookTimeout: 10 * 60_000,
    // Print the tables as they are, without Vitest's "stdout | file > test" headers.
    disableConsoleIntercept: true,
    reporters: ["default"],
  },
});
