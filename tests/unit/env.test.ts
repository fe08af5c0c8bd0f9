import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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

describe("env", () => {
  it("works with zero configuration: SQLite in the data dir and generated, persisted secrets", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vs-env-"));
    withEnv({ VECSTRUCT_DATA_DIR: dir, DATABASE_URL: undefined, AUTH_SECRET: undefined, VECSTRUCT_ENCRYPTION_KEY: undefined, PORT: undefined });
    const e = env();
    expect(e.DATABASE_URL).toBe(`file:${path.join(dir, "vecstruct.db")}`);
    expect(e.dialect).toBe("sqlite");
    expect(e.PORT).toBe(3000);
    expect(e.VECSTRUCT_SIGNUP_USD).toBe(5);
    const secrets = JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8"));
    expect(e.AUTH_SECRET).toBe(secrets.authSecret);
    resetEnvForTests();
    expect(env().AUTH_SECRET).toBe(secrets.authSecret);
  });

  it("selects PostgreSQL from DATABASE_URL", () => {
    withEnv({ DATABASE_URL: "postgresql://u@localhost:5432/db" });
    expect(env().dialect).toBe("postgres");
  });

  it("keeps stored responses 30 days unless VECSTRUCT_RESPONSES_RETENTION_DAYS says otherwise (whole days, at least 1)", () => {
    withEnv({ VECSTRUCT_RESPONSES_RETENTION_DAYS: undefined });
    expect(env().VECSTRUCT_RESPONSES_RETENTION_DAYS).toBe(30);
    withEnv({ VECSTRUCT_RESPONSES_RETENTION_DAYS: "7" });
    expect(env().VECSTRUCT_RESPONSES_RETENTION_DAYS).toBe(7);
    for (const bad of ["0", "1.5", "a week"]) {
      withEnv({ VECSTRUCT_RESPONSES_RETENTION_DAYS: bad });
      expect(() => env(), bad).toThrow(/VECSTRUCT_RESPONSES_RETENTION_DAYS must be/);
    }
  });

  it("explains bad values", () => {
    withEnv({ PORT: "eighty", DATABASE_URL: "mysql://x" });
    expect(() => env()).toThrow(EnvError);
    try {
      env();
    } catch (err) {
      expect((err as Error).message).toContain("PORT must be a whole number");
      expect((err as Error).message).toContain("DATABASE_URL must start with file:");
      expect((err as Error).message).toContain(".env.example");
    }
  });
});
