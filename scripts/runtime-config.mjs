// What the start scripts need before the app (and lib/env.ts) runs: where data lives.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

export function dataDir() {
  return path.resolve(process.env.VECSTRUCT_DATA_DIR || "./data");
}

/** Same default as lib/env.ts: SQLite in the data directory. */
export function databaseUrl() {
  return process.env.DATABASE_URL || `file:${path.join(dataDir(), "vecstruct.db")}`;
}

/**
 * The data directory holds the database and generated secrets: only the server's user may enter it
 * (0700 when we create it). Existing directories are left as the operator set them.
 */
export function ensurePrivateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * The SQLite database (and its -wal/-shm files, which SQLite creates with the database's mode) holds
 * prompts, hashed keys and encrypted credentials: created 0600, and tightened to 0600 when found
 * readable by others.
 */
export function ensurePrivateDatabaseFile(file) {
  ensurePrivateDir(path.dirname(path.resolve(file)));
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(f)) chmodSync(f, 0o600);
    } catch {
      // not ours to change (another owner): leave it, the operator decides
    }
  }
}
