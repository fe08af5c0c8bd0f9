// Issue 14 (low): the SQLite database and ./data secrets were created with default permissions
// (0644 under a usual umask: readable by every local user). Now the data directory is created 0700,
// the database and its WAL files 0600 (an existing world-readable database is tightened), secrets 0600.
import { chmodSync, closeSync, mkdtempSync, openSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvForTests } from "@/lib/env";
import { migrate } from "../../scripts/migrate.mjs";

const mode = (p: string) => statSync(p).mode & 0o777;
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("data files are private to the server's user", () => {
  it("creates the database directory 0700 and the database (with its WAL files) 0600", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "vs-perm-")), "nested", "data");
    const file = path.join(dir, "vecstruct.db");
    await migrate(`file:${file}`, { log: () => {} });
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    for (const f of [`${file}-wal`, `${file}-shm`]) {
      try {
        expect(mode(f)).toBe(0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err; // checkpointed away: nothing to check
      }
    }
  });

  it("tightens an existing world-readable database to 0600", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vs-perm-"));
    const file = path.join(dir, "old.db");
    closeSync(openSync(file, "a", 0o644));
    chmodSync(file, 0o644);
    await migrate(`file:${file}`, { log: () => {} });
    expect(mode(file)).toBe(0o600);
  });

  it("writes generated secrets 0600 into a data directory it creates 0700", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "vs-perm-")), "data");
    process.env = { ...saved, VECSTRUCT_DATA_DIR: dir };
    delete process.env.DATABASE_URL;
    delete process.env.AUTH_SECRET;
    delete process.env.VECSTRUCT_ENCRYPTION_KEY;
    resetEnvForTests();
    env();
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, "secrets.json"))).toBe(0o600);
  });
});
