// Shared by the benchmarks: child processes (the mock upstream, vecstruct's production server)
// and memory readings of a process tree.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/**
 * The checkout whose built server is measured; default this one. BENCH_APP_ROOT=<another built
 * checkout> runs the same benchmark code against another version (before/after comparisons).
 */
export const appRoot = process.env.BENCH_APP_ROOT ? path.resolve(process.env.BENCH_APP_ROOT) : root;

export function startChild(args, env, cwd = root) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return child;
}

/**
 * The bench mock upstream and vecstruct's production server on a fresh SQLite data directory, with
 * the mock as provider `openai` (key `sk-bench`). Returns the processes, the ports and the data dir.
 */
export async function startStack({ port, adminKey, mockEnv = {}, appEnv = {} }) {
  const mock = startChild(["bench/mock-upstream.mjs"], mockEnv);
  const upstreamPort = await mockPort(mock);
  const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-bench-"));
  const app = startChild(["scripts/start.mjs"], {
    NODE_ENV: "production",
    PORT: String(port),
    VECSTRUCT_HOST: "127.0.0.1",
    VECSTRUCT_DATA_DIR: dataDir,
    DATABASE_URL: "",
    VECSTRUCT_ADMIN_KEY: adminKey,
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
    // A function when the app needs the mock's port (more providers on the same mock).
    ...(typeof appEnv === "function" ? appEnv(upstreamPort) : appEnv),
  }, appRoot);
  app.stdout.on("data", () => {});
  return { mock, app, upstreamPort, dataDir };
}

export async function mockPort(child) {
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
    child.once("exit", (code) => reject(new Error(`mock exited ${code}`)));
  });
}

export async function waitHealthy(url, ms = 600_000, anyStatus = false) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok || anyStatus) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

function processTree(rootPid) {
  const parent = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** The largest value of a /proc/<pid>/status field (kB) over a process tree, in MB. */
function maxStatusMb(rootPid, field) {
  let kb = 0;
  for (const pid of processTree(rootPid)) {
    try {
      kb = Math.max(kb, Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0));
    } catch {
      // exited
    }
  }
  return Math.round(kb / 1024);
}

/** Peak resident memory (VmHWM) of a process tree, in MB. */
export const peakRssMb = (rootPid) => maxStatusMb(rootPid, "VmHWM");

/** Current resident memory (VmRSS) of the largest process in a tree, in MB. */
export const currentRssMb = (rootPid) => maxStatusMb(rootPid, "VmRSS");
