// `npm test`: the whole suite — Vitest (unit; integration and gateway on SQLite and PostgreSQL; the
// two-instance suite; the serverless suite, VERCEL=1: vitest.config.ts project "vercel"), then the
// Playwright e2e suite against the production build (two instances over PostgreSQL + Redis when
// PostgreSQL is enabled). Ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);
const vitestJson = path.join(results, "vitest.json");
const e2eJson = path.join(results, "e2e.json");
rmSync(vitestJson, { force: true });
rmSync(e2eJson, { force: true });

const extra = process.argv.slice(2);
const vitestStatus = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`, ...extra]);
// Read now: Playwright empties test-results/ when it starts.
const v = readJson(vitestJson);
// With PostgreSQL enabled (CI), the e2e suite runs against two instances behind a proxy (E2E_CLUSTER).
const dialects = (process.env.VECSTRUCT_TEST_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim());
const e2eCluster = process.env.E2E_CLUSTER ?? (dialects.includes("postgres") ? "1" : "0");
const e2eStatus = process.env.VECSTRUCT_SKIP_E2E === "1" ? 0 : run(bin("playwright"), ["test"], { CI: "1", E2E_CLUSTER: e2eCluster });

let passed = 0;
let failed = 0;
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
} else if (vitestStatus !== 0) failed += 1;
const e = readJson(e2eJson);
if (e) {
  passed += e.stats.expected;
  failed += e.stats.unexpected + (e.stats.flaky ?? 0);
} else if (e2eStatus !== 0) failed += 1;

const status = vitestStatus !== 0 || e2eStatus !== 0 ? 1 : 0;
if (status !== 0 && failed === 0) failed = 1;
console.log(`\ntotal: ${passed} passed, ${failed} failed`);
process.exit(status);
