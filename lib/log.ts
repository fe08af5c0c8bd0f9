// Structured logs: one JSON object per line on stdout/stderr (VECSTRUCT_LOG_FORMAT=text for people),
// with the audit id whenever a line concerns a request. Never pass secrets or prompts here.
import { env } from "./env";

type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

function errorFields(err: unknown): Fields {
  if (err instanceof Error) return { error: err.message, error_name: err.name, stack: err.stack?.split("\n").slice(0, 6).join("\n") };
  return err === undefined ? {} : { error: String(err) };
}

function write(level: Level, msg: string, fields: Fields = {}, err?: unknown): void {
  let text: boolean;
  try {
    text = env().VECSTRUCT_LOG_FORMAT === "text";
  } catch {
    text = false; // configuration itself is broken: still log
  }
  const all = { ...fields, ...errorFields(err) };
  const line = text
    ? `[vecstruct] ${level} ${msg}${Object.keys(all).length ? ` ${JSON.stringify(all, bigints)}` : ""}`
    : JSON.stringify({ ts: new Date().toISOString(), level, msg, ...all }, bigints);
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

const bigints = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

export const log = {
  debug: (msg: string, fields?: Fields) => write("debug", msg, fields),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields, err?: unknown) => write("warn", msg, fields, err),
  error: (msg: string, fields?: Fields, err?: unknown) => write("error", msg, fields, err),
};

/**
 * An error's class and code without its message: database errors quote the values they refused, and
 * those may be prompts or secrets. For lines about rows whose contents must not reach the log.
 */
export function errorClass(err: unknown): Fields {
  if (!(err instanceof Error)) return { error_class: typeof err };
  const code = (err as { code?: unknown }).code;
  return { error_class: err.name, ...(typeof code === "string" || typeof code === "number" ? { error_code: code } : {}) };
}
