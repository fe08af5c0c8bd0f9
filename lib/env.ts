// The only reader of process.env. Validated once, with messages that say how to fix a value.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseAllowList } from "./net/address-policy";

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
  VECSTRUCT_ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean)),
  // Email verification links (and sign-up notices) go out only when SMTP is configured. The link's
  // origin comes from VECSTRUCT_PUBLIC_URL, never from a request's Host (a forged Host would send
  // the token to another site).
  VECSTRUCT_SMTP_URL: z.string().regex(/^smtps?:\/\//, "VECSTRUCT_SMTP_URL must start with smtp:// or smtps://").optional(),
  VECSTRUCT_MAIL_FROM: z.string().min(3).default("vecstruct <no-reply@localhost>"),
  VECSTRUCT_PUBLIC_URL: url("VECSTRUCT_PUBLIC_URL").optional(),
  // Sign-in and sign-up attempts per minute (sliding), per client address and per email address.
  VECSTRUCT_AUTH_LIMIT_PER_IP: positiveInt("VECSTRUCT_AUTH_LIMIT_PER_IP").default(20),
  VECSTRUCT_AUTH_LIMIT_PER_EMAIL: positiveInt("VECSTRUCT_AUTH_LIMIT_PER_EMAIL").default(10),
  // Reverse proxies in front of the app that append to X-Forwarded-For (scripts/client-address.mjs
  // reads it where the socket is known). 0: the socket's peer is the client; a client's own
  // X-Forwarded-For is ignored.
  VECSTRUCT_TRUSTED_PROXY_HOPS: z.coerce.number({ error: "VECSTRUCT_TRUSTED_PROXY_HOPS must be a whole number" }).int().min(0).max(10).default(0),
  VECSTRUCT_SIGNUP_LIMIT_PER_IP: positiveInt("VECSTRUCT_SIGNUP_LIMIT_PER_IP").default(5),
  VECSTRUCT_SIGNUP_USD: nonNegative("VECSTRUCT_SIGNUP_USD").default(5),
  VECSTRUCT_SIGNUP_CREDITS: nonNegative("VECSTRUCT_SIGNUP_CREDITS").default(100),
  VECSTRUCT_CREDITS_RAG: nonNegative("VECSTRUCT_CREDITS_RAG").default(0.03),
  VECSTRUCT_CREDITS_MEMORY: nonNegative("VECSTRUCT_CREDITS_MEMORY").default(0.02),
  VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: positiveInt("VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS").default(60_000),
  VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS: positiveInt("VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS").default(60_000),
  VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS: positiveInt("VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS").default(600_000),
  VECSTRUCT_RETRIES: z.coerce.number({ error: "VECSTRUCT_RETRIES must be a whole number" }).int().min(0).max(10).default(2),
  VECSTRUCT_RETRY_BASE_MS: positiveInt("VECSTRUCT_RETRY_BASE_MS").default(200),
  VECSTRUCT_RETRY_MAX_MS: positiveInt("VECSTRUCT_RETRY_MAX_MS").default(5_000),
  VECSTRUCT_COOLDOWN_MS: positiveInt("VECSTRUCT_COOLDOWN_MS").default(30_000),
  VECSTRUCT_MAX_BODY_BYTES: positiveInt("VECSTRUCT_MAX_BODY_BYTES").default(10 * 1024 * 1024),
  // How long a large /v1 body may wait for memory before a 503 (lib/http/body-admission.ts).
  VECSTRUCT_BODY_QUEUE_TIMEOUT_MS: positiveInt("VECSTRUCT_BODY_QUEUE_TIMEOUT_MS").default(30_000),
  // Upstream address policy and answer caps (docs/security.md).
  VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseAllowList(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: ${(err as Error).message}` });
      }
    }),
  VECSTRUCT_MAX_UPSTREAM_BODY_BYTES: positiveInt("VECSTRUCT_MAX_UPSTREAM_BODY_BYTES").default(32 * 1024 * 1024),
  VECSTRUCT_MAX_UPSTREAM_EVENT_BYTES: positiveInt("VECSTRUCT_MAX_UPSTREAM_EVENT_BYTES").default(8 * 1024 * 1024),
  VECSTRUCT_MAX_MESSAGES: positiveInt("VECSTRUCT_MAX_MESSAGES").default(2_048),
  VECSTRUCT_MAX_IMAGES: positiveInt("VECSTRUCT_MAX_IMAGES").default(100),
  VECSTRUCT_MAX_IMAGE_BYTES: positiveInt("VECSTRUCT_MAX_IMAGE_BYTES").default(8 * 1024 * 1024),
  // Documents: what one DOCX may inflate to, pages of one PDF, documents ingested at once (one per organization).
  VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES: positiveInt("VECSTRUCT_MAX_DOCUMENT_INFLATED_BYTES").default(20 * 1024 * 1024),
  VECSTRUCT_MAX_DOCUMENT_PAGES: positiveInt("VECSTRUCT_MAX_DOCUMENT_PAGES").default(2_000),
  VECSTRUCT_INGEST_CONCURRENCY: positiveInt("VECSTRUCT_INGEST_CONCURRENCY").default(2),
  // A background job (ingestion, memory learning) is leased this long and renewed while it runs: an
  // instance that dies hands its job to another once the lease is over.
  VECSTRUCT_JOB_LEASE_MS: positiveInt("VECSTRUCT_JOB_LEASE_MS").min(1_000, "VECSTRUCT_JOB_LEASE_MS must be at least 1000").default(60_000),
  // Serverless (Vercel sets VERCEL=1): nothing is left in process memory past a response (lib/invocation.ts).
  VERCEL: bool.default(false),
  // The cron route (GET /api/cron/jobs) answers only `Authorization: Bearer <CRON_SECRET>`; Vercel's cron sends it.
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters (try: openssl rand -hex 24)").optional(),
  // How long one cron run (or one request's after()) starts background jobs; a job started runs to its end.
  VECSTRUCT_JOBS_BUDGET_MS: positiveInt("VECSTRUCT_JOBS_BUDGET_MS").default(30_000),
  // VERCEL=1: the jobs a request queued (ingestion, learning) run in that request's after(), right after
  // its response, instead of waiting for the next cron run. 0 leaves them to the cron route.
  VECSTRUCT_JOBS_AFTER_RESPONSE: bool.default(true),
  VECSTRUCT_AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: "VECSTRUCT_AUDIT_RETENTION_DAYS must be a whole number of days (0 = keep forever)" })
    .int("VECSTRUCT_AUDIT_RETENTION_DAYS must be a whole number of days (0 = keep forever)")
    .nonnegative()
    .default(0),
  // Stored /v1/responses (`store`, the default): readable and continuable this many days, then purged hourly.
  VECSTRUCT_RESPONSES_RETENTION_DAYS: positiveInt("VECSTRUCT_RESPONSES_RETENTION_DAYS").max(36_500, "VECSTRUCT_RESPONSES_RETENTION_DAYS must be <= 36500").default(30),
  VECSTRUCT_MEMORY_MODEL: z.string().min(1).optional(),
  VECSTRUCT_METRICS_TOKEN: z.string().min(16, "VECSTRUCT_METRICS_TOKEN must be at least 16 characters").optional(),
  VECSTRUCT_LOG_FORMAT: z.enum(["json", "text"]).default("json"),
  VECSTRUCT_LOG_REQUESTS: bool.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: url("OTEL_EXPORTER_OTLP_ENDPOINT").optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default("vecstruct"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://").optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url("OPENAI_BASE_URL").default("https://api.openai.com/v1"),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: url("ANTHROPIC_BASE_URL").default("https://api.anthropic.com"),
  GEMINI_API_KEY: z.string().min(1).optional(),
  GEMINI_BASE_URL: url("GEMINI_BASE_URL").default("https://generativelanguage.googleapis.com"),
  COHERE_API_KEY: z.string().min(1).optional(),
  COHERE_BASE_URL: url("COHERE_BASE_URL").default("https://api.cohere.com"),
});

/** `VECSTRUCT_PROVIDER_<SLUG>_BASE_URL` / `_API_KEY` / `_MODELS`: any OpenAI-compatible upstream. */
export interface CustomProviderEnv {
  slug: string;
  baseUrl: string;
  apiKey: string | undefined;
  models: { name: string; kind: "chat" | "embedding" | "rerank" }[];
}

const modelEntry = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:@/+-]*?(:(chat|embedding|rerank))?$/, "each entry is model[:chat|embedding|rerank]");

function readCustomProviders(raw: Record<string, string | undefined>): CustomProviderEnv[] {
  const out: CustomProviderEnv[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(raw).sort()) {
    const m = /^VECSTRUCT_PROVIDER_([A-Z0-9_]+?)_BASE_URL$/.exec(key);
    if (!m?.[1]) continue;
    const prefix = `VECSTRUCT_PROVIDER_${m[1]}`;
    const slug = m[1].toLowerCase().replace(/_/g, "-");
    const baseUrl = url(key).safeParse(raw[key]);
    if (!baseUrl.success) problems.push(`  - ${key}: must be an absolute URL such as http://127.0.0.1:8000/v1`);
    const models: CustomProviderEnv["models"] = [];
    for (const entry of (raw[`${prefix}_MODELS`] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      if (!modelEntry.safeParse(entry).success) {
        problems.push(`  - ${prefix}_MODELS: "${entry}" — each entry is model[:chat|embedding|rerank]`);
        continue;
      }
      const kindMatch = /:(chat|embedding|rerank)$/.exec(entry);
      models.push({ name: kindMatch ? entry.slice(0, -kindMatch[0].length) : entry, kind: (kindMatch?.[1] as "chat" | "embedding" | "rerank") ?? "chat" });
    }
    if (baseUrl.success) out.push({ slug, baseUrl: baseUrl.data, apiKey: raw[`${prefix}_API_KEY`], models });
  }
  if (problems.length > 0) throw new EnvError(`Invalid vecstruct configuration:\n${problems.join("\n")}\nSee .env.example.`);
  return out;
}

export type Env = z.infer<typeof schema> & {
  DATABASE_URL: string;
  AUTH_SECRET: string;
  VECSTRUCT_ENCRYPTION_KEY: string;
  dialect: "sqlite" | "postgres";
  dataDir: string;
  customProviders: CustomProviderEnv[];
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
  if (e.VECSTRUCT_SMTP_URL && !e.VECSTRUCT_PUBLIC_URL) {
    throw new EnvError("Invalid vecstruct configuration:\n  - VECSTRUCT_PUBLIC_URL: required with VECSTRUCT_SMTP_URL (the origin of emailed links, e.g. https://llm.example.com)\nSee .env.example.");
  }
  const dataDir = path.resolve(e.VECSTRUCT_DATA_DIR);
  if (e.VERCEL) checkServerless(e);
  // Serverless instances have no disk of their own to keep generated secrets on (checkServerless requires them).
  const secrets = e.VERCEL ? { authSecret: "", encryptionKey: "" } : loadGeneratedSecrets(dataDir);
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "vecstruct.db")}`;
  return {
    ...e,
    dataDir,
    DATABASE_URL: databaseUrl,
    dialect: databaseUrl.startsWith("file:") ? "sqlite" : "postgres",
    customProviders: readCustomProviders(raw),
    AUTH_SECRET: e.AUTH_SECRET ?? secrets.authSecret,
    VECSTRUCT_ENCRYPTION_KEY: e.VECSTRUCT_ENCRYPTION_KEY ?? secrets.encryptionKey,
  };
}

/**
 * VERCEL=1: every instance is short-lived and has no persistent disk, so what a lone server keeps in
 * its data directory must come from the environment: PostgreSQL instead of SQLite, the secrets every
 * instance shares, and the cron route's secret (docs/deploy.md, "Vercel").
 */
function checkServerless(e: z.infer<typeof schema>) {
  const problems: string[] = [];
  if (!e.DATABASE_URL || e.DATABASE_URL.startsWith("file:")) {
    problems.push(
      `  - DATABASE_URL: ${e.DATABASE_URL ? "SQLite" : "unset (SQLite)"} cannot be used with VERCEL=1: serverless instances have no persistent disk and many run at once. PostgreSQL with pgvector is required: set DATABASE_URL=postgresql://…`,
    );
  }
  if (!e.CRON_SECRET) problems.push("  - CRON_SECRET: required with VERCEL=1 (background jobs run from the cron route GET /api/cron/jobs, which answers only Authorization: Bearer <CRON_SECRET>; openssl rand -hex 24)");
  if (!e.AUTH_SECRET) problems.push("  - AUTH_SECRET: required with VERCEL=1 (all instances must share it; openssl rand -base64 32)");
  if (!e.VECSTRUCT_ENCRYPTION_KEY) problems.push("  - VECSTRUCT_ENCRYPTION_KEY: required with VERCEL=1 (all instances must share it; openssl rand -base64 32)");
  if (problems.length > 0) throw new EnvError(`Invalid vecstruct configuration for Vercel (VERCEL=1):\n${problems.join("\n")}\nSee docs/deploy.md (Vercel).`);
}

/** Secrets that zero-config installs generate once and keep in the data directory. */
function loadGeneratedSecrets(dataDir: string): { authSecret: string; encryptionKey: string } {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // only the server's user (see scripts/runtime-config.mjs)
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
