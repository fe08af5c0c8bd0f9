// The only reader of process.env. Validated once, with messages that say how to fix a value.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");
const positiveInt = (name: string) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`).positive(`${name} must be > 0`);
const nonNegative = (name: string) =>
  z.coerce.number({ error: `${name} must be a number` }).nonnegative(`${name} must be >= 0`);
const url = (name: string) => z.url({ error: `${name} must be an absolute URL such as https://host/path` });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  VECSTRUCT_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)")
    .optional(),
  PORT: positiveInt("PORT").max(65535, "PORT must be <= 65535").default(3000),
  VECSTRUCT_ADMIN_KEY: z.string().min(16, "VECSTRUCT_ADMIN_KEY must be at least 16 characters").optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  VECSTRUCT_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}$/, "VECSTRUCT_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)")
    .optional(),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_ISSUER: url("AUTH_OIDC_ISSUER").optional(),
  AUTH_OIDC_ID: z.string().min(1).optional(),
  AUTH_OIDC_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).default("SSO"),
  VECSTRUCT_ALLOW_SIGNUP: bool.default(true),
  VECSTRUCT_SIGNUP_USD: nonNegative("VECSTRUCT_SIGNUP_USD").default(5),
  VECSTRUCT_SIGNUP_CREDITS: nonNegative("VECSTRUCT_SIGNUP_CREDITS").default(100),
  VECSTRUCT_CREDITS_RAG: nonNegative("VECSTRUCT_CREDITS_RAG").default(0.03),
  VECSTRUCT_CREDITS_MEMORY: nonNegative("VECSTRUCT_CREDITS_MEMORY").default(0.02),
  VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: positiveInt("VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS").default(60_000),
  VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS: positiveInt("VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS").default(60_000),
  VECSTRUCT_MAX_BODY_BYTES: positiveInt("VECSTRUCT_MAX_BODY_BYTES").default(10 * 1024 * 1024),
  VECSTRUCT_MEMORY_MODEL: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://").optional(),
});

export type Env = z.infer<typeof schema> & {
  DATABASE_URL: string;
  AUTH_SECRET: string;
  VECSTRUCT_ENCRYPTION_KEY: string;
  dialect: "sqlite" | "postgres";
  dataDir: string;
};

export class EnvError extends Error {}

function readEnv(source: NodeJS.ProcessEnv): Env {
  // Empty strings mean "unset": .env files often carry `KEY=` lines.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid vecstruct configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.VECSTRUCT_DATA_DIR);
  const secrets = loadGeneratedSecrets(dataDir);
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "vecstruct.db")}`;
  return {
    ...e,
    dataDir,
    DATABASE_URL: databaseUrl,
    dialect: databaseUrl.startsWith("file:") ? "sqlite" : "postgres",
    AUTH_SECRET: e.AUTH_SECRET ?? secrets.authSecret,
    VECSTRUCT_ENCRYPTION_KEY: e.VECSTRUCT_ENCRYPTION_KEY ?? secrets.encryptionKey,
  };
}

/** Secrets that zero-config installs generate once and keep in the data directory. */
function loadGeneratedSecrets(dataDir: string): { authSecret: string; encryptionKey: string } {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true });
  const secrets = { authSecret: randomBytes(32).toString("base64"), encryptionKey: randomBytes(32).toString("base64") };
  // wx: two processes starting at once must not overwrite each other's secrets.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch {
    return JSON.parse(readFileSync(file, "utf8"));
  }
  return secrets;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= readEnv(process.env);
  return cached;
}

/** Tests only: re-read the environment after changing it. */
export function resetEnvForTests(): void {
  cached = undefined;
}
