// What the start scripts need before the app (and lib/env.ts) runs: where data lives.
import path from "node:path";

export function dataDir() {
  return path.resolve(process.env.VECSTRUCT_DATA_DIR || "./data");
}

/** Same default as lib/env.ts: SQLite in the data directory. */
export function databaseUrl() {
  return process.env.DATABASE_URL || `file:${path.join(dataDir(), "vecstruct.db")}`;
}
