// VERCEL=1 (docs/deploy.md, "Vercel"): what a serverless instance cannot keep on its own disk must come
// from the environment, and SQLite is refused with a message that says what to do.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/auth/client-address";
import { env, EnvError, resetEnvForTests } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function withEnv(vars: Record<string, string | undefined>) {
  process.env = { ...saved, ...vars };
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  resetEnvForTests();
}

const complete = {
  VERCEL: "1",
  DATABASE_URL: "postgresql://u@db.example.com:5432/vecstruct",
  CRON_SECRET: "cron-secret-0123456789abcdef",
  AUTH_SECRET: "a".repeat(44),
  VECSTRUCT_ENCRYPTION_KEY: "b".repeat(44),
};

describe("env with VERCEL=1", () => {
  it("accepts PostgreSQL with the shared secrets and CRON_SECRET, and writes nothing to a data directory", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "vs-env-vercel-")), "data");
    withEnv({ ...complete, VECSTRUCT_DATA_DIR: dir });
    const e = env();
    expect(e.VERCEL).toBe(true);
    expect(e.dialect).toBe("postgres");
    expect(e.CRON_SECRET).toBe(complete.CRON_SECRET);
    expect(e.VECSTRUCT_JOBS_AFTER_RESPONSE).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses SQLite, set or by default, naming PostgreSQL as the fix", () => {
    for (const DATABASE_URL of [undefined, "file:./data/vecstruct.db"]) {
      withEnv({ ...complete, DATABASE_URL });
      expect(() => env()).toThrow(EnvError);
      expect(() => env()).toThrow(/DATABASE_URL: .*cannot be used with VERCEL=1.*PostgreSQL with pgvector is required: set DATABASE_URL=postgresql:\/\//);
    }
  });

  it("requires CRON_SECRET, AUTH_SECRET and VECSTRUCT_ENCRYPTION_KEY, all named in one message", () => {
    withEnv({ ...complete, CRON_SECRET: undefined, AUTH_SECRET: undefined, VECSTRUCT_ENCRYPTION_KEY: undefined });
    let message = "";
    try {
      env();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("Invalid vecstruct configuration for Vercel (VERCEL=1)");
    for (const name of ["CRON_SECRET", "AUTH_SECRET", "VECSTRUCT_ENCRYPTION_KEY"]) expect(message).toContain(`${name}: required with VERCEL=1`);
  });

  it("refuses a short CRON_SECRET", () => {
    withEnv({ ...complete, CRON_SECRET: "short" });
    expect(() => env()).toThrow(/CRON_SECRET must be at least 16 characters/);
  });

  it("takes the client's address from Vercel's headers, never from x-vecstruct-client-address", () => {
    withEnv(complete);
    const req = new Request("http://x/", { headers: { "x-vecstruct-client-address": "6.6.6.6", "x-real-ip": "203.0.113.7", "x-forwarded-for": "203.0.113.7" } });
    expect(clientAddress(req)).toBe("203.0.113.7");
    withEnv({ VERCEL: undefined });
    expect(clientAddress(req)).toBe("6.6.6.6");
  });
});
