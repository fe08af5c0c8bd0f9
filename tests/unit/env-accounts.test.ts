import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { env, EnvError, resetEnvForTests } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function withEnv(vars: Record<string, string>) {
  process.env = { ...saved, VECSTRUCT_DATA_DIR: mkdtempSync(path.join(tmpdir(), "vs-env-acc-")), ...vars };
  resetEnvForTests();
}

describe("account settings", () => {
  it("SMTP needs VECSTRUCT_PUBLIC_URL: emailed links never take their origin from a request", () => {
    withEnv({ VECSTRUCT_SMTP_URL: "smtp://127.0.0.1:2525" });
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(/VECSTRUCT_PUBLIC_URL/);
    withEnv({ VECSTRUCT_SMTP_URL: "smtp://127.0.0.1:2525", VECSTRUCT_PUBLIC_URL: "https://llm.example.com" });
    expect(env().VECSTRUCT_PUBLIC_URL).toBe("https://llm.example.com");
  });

  it("throttling defaults and validation", () => {
    withEnv({});
    expect(env()).toMatchObject({ VECSTRUCT_AUTH_LIMIT_PER_IP: 20, VECSTRUCT_AUTH_LIMIT_PER_EMAIL: 10, VECSTRUCT_SIGNUP_LIMIT_PER_IP: 5, VECSTRUCT_TRUSTED_PROXY_HOPS: 0 });
    withEnv({ VECSTRUCT_AUTH_LIMIT_PER_IP: "0" });
    expect(() => env()).toThrow(/VECSTRUCT_AUTH_LIMIT_PER_IP/);
    withEnv({ VECSTRUCT_SMTP_URL: "http://mail" });
    expect(() => env()).toThrow(/VECSTRUCT_SMTP_URL/);
  });
});
