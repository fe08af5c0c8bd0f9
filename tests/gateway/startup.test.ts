// `npm start` (scripts/start.mjs) as an operator runs it: a bad configuration stops the server at start
// with its message and a non-zero exit (it used to stay up answering 500 everywhere), and the listening
// interface follows VECSTRUCT_HOST, else Next's HOSTNAME. Uses the build the suite's global setup made;
// runs in the SQLite project only (each start gets a fresh SQLite data directory of its own).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const port = Number(process.env.GATEWAY_TEST_PORT ?? 3111) + 5;

function start(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "vecstruct-start-"));
  const { HOSTNAME: _h, VECSTRUCT_HOST: _v, ...rest } = process.env;
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: { ...rest, NODE_ENV: "production", PORT: String(port), VECSTRUCT_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "v.db")}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  for (const s of [child.stdout, child.stderr]) s.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { child, exited, output: () => output, stop };
}

async function healthy(host: string): Promise<boolean> {
  try {
    return (await fetch(`http://${host}:${port}/api/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

describe.runIf(inject("dbUrl").startsWith("file:"))("npm start", () => {
  it("exits non-zero with the message when the configuration is invalid", async () => {
    const app = start({ VECSTRUCT_HOST: "127.0.0.1", VECSTRUCT_ADMIN_KEY: "too-short" });
    try {
      const code = await Promise.race([app.exited, new Promise<"running">((r) => setTimeout(() => r("running"), 45_000))]);
      expect(code).not.toBe("running");
      expect(code).not.toBe(0);
      expect(app.output()).toContain("VECSTRUCT_ADMIN_KEY must be at least 16 characters");
      expect(await healthy("127.0.0.1")).toBe(false);
    } finally {
      await app.stop();
    }
  });

  it("binds the interface HOSTNAME names when VECSTRUCT_HOST is unset", async () => {
    const app = start({ HOSTNAME: "127.0.0.2" });
    try {
      const deadline = Date.now() + 45_000;
      while (!(await healthy("127.0.0.2")) && Date.now() < deadline) {
        if (app.child.exitCode !== null) throw new Error(`exited: ${app.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await healthy("127.0.0.2")).toBe(true);
      expect(await healthy("127.0.0.1")).toBe(false);
    } finally {
      await app.stop();
    }
  });
});
