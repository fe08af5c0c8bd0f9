import Database from "better-sqlite3";
import OpenAI from "openai";
import pg from "pg";
import { inject } from "vitest";

export const baseURL = inject("baseURL");
export const upstreamOrigin = inject("upstreamOrigin");

export async function admin<T = any>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseURL}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

export async function adminPatch<T = any>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseURL}${path}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** A fresh organization (its own balance and ledger) with a project and an API key. */
export async function orgWithKey(name: string, keyExtra: Record<string, unknown> = {}) {
  const org = await admin("/api/orgs", { name });
  const project = await admin("/api/projects", { name: "p", org_id: org.id });
  const key = await admin("/api/keys", { name: "k", project_id: project.id, org_id: org.id, ...keyExtra });
  return { orgId: org.id as string, projectId: project.id as string, key: key.key as string, keyId: key.id as string };
}

export const billingOf = (orgId: string) => admin(`/api/billing?org_id=${orgId}&limit=200`);

/** Polls until a condition holds (writes after the response are batched). */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The suite's database is SQLite or PostgreSQL (GATEWAY_DB=postgres). Assertions are written against
// SQLite's shapes, so PostgreSQL's values are normalized to them: booleans 1/0, BIGINT numbers, JSON
// columns as their JSON text (assertions JSON.parse them), timestamps as text.
const PG_TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === 16) return (v: string) => (v === "t" ? 1 : 0); // bool
    if (oid === 20) return (v: string) => Number(v); // int8
    if (oid === 114 || oid === 3802 || oid === 1114 || oid === 1184) return (v: string) => v; // json, jsonb, timestamps
    return pg.types.getTypeParser(oid, format as "text");
  },
};
let pgPool: pg.Pool | undefined;

/** `?` placeholders (SQLite) as $1, $2… (PostgreSQL); the suite's SQL has no `?` inside literals. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** Read-only SQL against the suite's database, whichever dialect it runs on (see above). */
export async function dbQuery<T = Record<string, any>>(sql: string, ...params: unknown[]): Promise<T[]> {
  const url = inject("dbUrl");
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  pgPool ??= new pg.Pool({ connectionString: url, max: 2, types: PG_TYPES });
  return (await pgPool.query(numbered(sql), params)).rows as T[];
}

/** POST /v1/chat/completions with fetch: status, headers and the parsed JSON body. */
export async function chatRaw(apiKey: string, body: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A fresh project and API key in the operator's organization. */
export async function newKey(extra: Record<string, unknown> = {}) {
  const project = await admin("/api/projects", { name: `gw-${Date.now()}` });
  const key = await admin("/api/keys", { name: "gw", project_id: project.id, ...extra });
  return { key: key.key as string, keyId: key.id as string, projectId: project.id as string };
}

export function client(apiKey: string) {
  return new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0, timeout: 20_000 });
}

/** What the mock upstream received, newest last. */
export async function upstreamRequests(): Promise<{ path: string; headers: Record<string, string>; body: any }[]> {
  return (await fetch(`${upstreamOrigin}/__requests`)).json() as Promise<any[]>;
}

/**
 * The newest upstream request whose JSON contains `marker` (test files run in parallel against one
 * mock, so "the last request" alone may be another file's).
 */
export async function lastUpstreamRequest(marker?: string) {
  const all = await upstreamRequests();
  const found = marker === undefined ? all[all.length - 1] : [...all].reverse().find((r) => JSON.stringify(r.body).includes(marker));
  if (!found) throw new Error(`no upstream request containing ${marker}`);
  return found;
}

/** Audit rows are written in batches after the response: poll until the row is there. */
export async function auditRow(id: string, timeoutMs = 5_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await dbQuery(`SELECT * FROM audit_logs WHERE id = ?`, id);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`audit row ${id} not written within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function auditCount(apiKeyId: string): Promise<number> {
  const [row] = await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_logs WHERE "apiKeyId" = ?`, apiKeyId);
  return Number(row!.n);
}

/** Raw SSE: the lines a client receives, for checks an SDK would hide. */
export async function rawStream(apiKey: string, body: unknown): Promise<{ status: number; headers: Headers; text: string; events: { event?: string; data: string }[] }> {
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const events = text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      const ev: { event?: string; data: string } = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) ev.event = line.slice(7);
        else if (line.startsWith("data: ")) ev.data += line.slice(6);
      }
      return ev;
    });
  return { status: res.status, headers: res.headers, text, events };
}

export const MODELS = ["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash", "local/llama-3"] as const;

/**
 * One write behind the app's back (e.g. a row as an older version or a DNS change would leave it),
 * whichever dialect the suite runs on. Follow it with a management write so the app reloads.
 */
export async function dbWrite(sql: string, ...params: unknown[]): Promise<void> {
  const url = inject("dbUrl");
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { fileMustExist: true, timeout: 5_000 });
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  pgPool ??= new pg.Pool({ connectionString: url, max: 2, types: PG_TYPES });
  await pgPool.query(numbered(sql), params);
}
