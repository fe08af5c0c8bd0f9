// VERCEL=1, tested the way serverless behaves: every request below is served by a fresh process that
// is SIGKILLed as soon as its invocation (the response plus what it handed to after()/waitUntil) is
// over (serverless-host.mjs), so no timer, queue or poller of a process ever runs past its response.
// Then nothing may be missing: audit rows and their settlement (ledger = balance, no reservation left
// held), ingested documents and learned memories — either done in the request's after() or, when that
// is off (VECSTRUCT_JOBS_AFTER_RESPONSE=0) or the invocation died mid-job, by the cron route.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Agent } from "undici";
import { describe, expect, inject, it } from "vitest";
import { dbQuery, dbWrite } from "../gateway/helpers";

const serverlessEnv = inject("serverlessEnv");
const port = inject("serverlessPort");
const origin = `http://127.0.0.1:${port}`;
const adminKey = inject("adminKey");
const cronSecret = inject("cronSecret");
const host = path.join(import.meta.dirname, "serverless-host.mjs");

interface Invocation {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** The process's output (the app's log lines). */
  log: string;
}

interface Instance {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log: () => string;
}

/** A cold start: a fresh process of the built app, resolved once it listens. */
async function start(env: Record<string, string>, exitAfterInvocation: boolean): Promise<Instance> {
  const child = spawn(process.execPath, [host], {
    env: { ...process.env, ...serverlessEnv, ...env, PORT: String(port), SERVERLESS_EXIT_AFTER_INVOCATION: exitAfterInvocation ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes("[serverless-host] listening")) resolve();
    });
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    void exited.then(({ code }) => reject(new Error(`the serverless process exited (${code}) before listening:\n${log.slice(-3000)}`)));
  });
  return { child, exited, log: () => log };
}

async function send(pathname: string, init: RequestInit & { json?: unknown }): Promise<Omit<Invocation, "log">> {
  // A fresh connection pool per request: a kept-alive socket of a previous (killed) process is dead.
  const dispatcher = new Agent({ keepAliveTimeout: 1 });
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  try {
    const res = await fetch(`${origin}${pathname}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body, dispatcher } as RequestInit);
    const text = await res.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      // a stream or plain text
    }
    return { status: res.status, headers: res.headers, body, text };
  } finally {
    await dispatcher.close().catch(() => {});
  }
}

/** One request to a fresh process, which kills itself (SIGKILL) once the invocation is over. */
async function invoke(pathname: string, init: RequestInit & { json?: unknown } = {}, env: Record<string, string> = {}): Promise<Invocation> {
  const instance = await start(env, true);
  try {
    const res = await send(pathname, init);
    const end = await Promise.race([instance.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    if (!end) throw new Error(`the invocation did not end within 60 s:\n${instance.log().slice(-3000)}`);
    // Killed by itself once the invocation was over: nothing ran after that.
    expect(end.signal, instance.log().slice(-3000)).toBe("SIGKILL");
    return { ...res, log: instance.log() };
  } finally {
    if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill("SIGKILL");
  }
}

/** Several requests to one warm process (set-up calls and refusals, which leave nothing behind), then SIGKILL. */
async function warm<T>(fn: (send: (pathname: string, init?: RequestInit & { json?: unknown }) => Promise<Omit<Invocation, "log">>) => Promise<T>): Promise<T> {
  const instance = await start({}, false);
  try {
    return await fn((pathname, init = {}) => send(pathname, init));
  } finally {
    instance.child.kill("SIGKILL");
    await instance.exited;
  }
}

const asAdmin = { authorization: `Bearer ${adminKey}` };
/** An organization with a project and an API key, made in one warm process. */
async function orgWithKey(name: string): Promise<{ orgId: string; projectId: string; key: string }> {
  return warm(async (call) => {
    const post = async (pathname: string, json: unknown) => {
      const r = await call(pathname, { method: "POST", headers: asAdmin, json });
      if (r.status !== 201) throw new Error(`${pathname}: ${r.status} ${r.text}`);
      return r.body;
    };
    const org = await post("/api/orgs", { name });
    const project = await post("/api/projects", { name: "p", org_id: org.id });
    const key = await post("/api/keys", { name: "k", project_id: project.id, org_id: org.id });
    return { orgId: org.id, projectId: project.id, key: key.key };
  });
}

const cron = () => invoke("/api/cron/jobs", { headers: { authorization: `Bearer ${cronSecret}` } });
const chat = (key: string, json: unknown, env: Record<string, string> = {}) =>
  invoke("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}` }, json }, env);
const upload = (projectId: string, title: string, content: string, env: Record<string, string> = {}) =>
  invoke(`/api/projects/${projectId}/documents`, { method: "POST", headers: asAdmin, json: { title, content } }, env);

const cronOnly = { VECSTRUCT_JOBS_AFTER_RESPONSE: "0" };
const docStatus = async (id: string) => (await dbQuery<{ status: string; chunkCount: number }>(`SELECT status, "chunkCount" FROM documents WHERE id = ?`, id))[0];
const jobsOf = (kind: string) => dbQuery<{ id: string; status: string }>(`SELECT id, status FROM jobs WHERE kind = ?`, kind);
const memoriesOf = (projectId: string, userId: string) =>
  dbQuery<{ content: string }>(`SELECT content FROM memories WHERE "projectId" = ? AND "userId" = ?`, projectId, userId);
const auditRows = (ids: string[]) => dbQuery<{ id: string; status: string; costMicros: number }>(`SELECT id, status, "costMicros" FROM audit_logs WHERE id = ANY(?)`, ids);

describe("VERCEL=1: start-up checks", () => {
  it("refuses SQLite (and a missing CRON_SECRET) at start with a clear message and a non-zero exit", async () => {
    for (const [env, expected] of [
      [{ DATABASE_URL: "" }, /DATABASE_URL: unset \(SQLite\) cannot be used with VERCEL=1.*PostgreSQL with pgvector is required/],
      [{ DATABASE_URL: "file:/tmp/vecstruct-vercel.db" }, /DATABASE_URL: SQLite cannot be used with VERCEL=1/],
      [{ CRON_SECRET: "" }, /CRON_SECRET: required with VERCEL=1/],
    ] as const) {
      const child = spawn(process.execPath, [host], { env: { ...process.env, ...serverlessEnv, ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      expect(code, out).not.toBe(0);
      expect(out).toMatch(expected);
      expect(out).toContain("Invalid vecstruct configuration for Vercel (VERCEL=1)");
      expect(out).not.toContain("[serverless-host] listening");
    }
  }, 120_000);
});

describe("VERCEL=1: the cron route", () => {
  it("answers 401 without the secret, with a wrong one (any length), and 200 with it", async () => {
    await warm(async (call) => {
      const wrong = [null, "wrong", cronSecret.replace(/.$/, (c) => (c === "0" ? "1" : "0")), `${cronSecret}x`, cronSecret.toUpperCase()];
      for (const secret of wrong) {
        const r = await call("/api/cron/jobs", { headers: secret === null ? {} : { authorization: `Bearer ${secret}` } });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe("unauthenticated");
        expect(r.text).not.toContain(cronSecret);
      }
      // The admin key is no cron secret, and the secret is not sent any other way.
      expect((await call("/api/cron/jobs", { headers: asAdmin })).status).toBe(401);
      expect((await call("/api/cron/jobs", { headers: { authorization: cronSecret } })).status).toBe(401);
      expect((await call(`/api/cron/jobs?secret=${cronSecret}`)).status).toBe(401);
    });
    const ok = await cron();
    expect(ok.status).toBe(200);
    expect(ok.body.ran).toEqual({ ingest: { done: 0, failed: 0, retried: 0 }, memory_extract: { done: 0, failed: 0, retried: 0 } });
  }, 120_000);
});

describe("VERCEL=1: nothing is lost when every process dies right after its response", () => {
  it("keeps every audit row, ledger entry, document and memory", async () => {
    const { orgId, projectId, key } = await orgWithKey("serverless");
    const org = { id: orgId };
    const project = { id: projectId };

    // Chat, plain and streamed: the audit rows and their settlement are written by after().
    const plain = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "serverless plain" }] });
    expect(plain.status).toBe(200);
    const streamed = await chat(key, { model: "openai/gpt-4o", stream: true, messages: [{ role: "user", content: "serverless stream" }], vecstruct: {} });
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain("data: [DONE]");
    const refused = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }], temperature: "hot" });
    expect(refused.status).toBe(400);
    const ids = [plain, streamed, refused].map((r) => r.headers.get("x-vecstruct-audit-id")!);
    // No cron run and no wait: the processes are gone, the rows are there.
    const rows = await auditRows(ids);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.find((r) => r.id === ids[0])!.status).toBe("success");
    expect(rows.find((r) => r.id === ids[2])!.status).toBe("error");
    const charged = await dbQuery<{ auditLogId: string }>(`SELECT "auditLogId" FROM ledger_entries WHERE "orgId" = ? AND kind = 'usage' AND currency = 'usd'`, org.id);
    expect(charged.map((c) => c.auditLogId).sort()).toEqual([ids[0], ids[1]].sort());
    // Read-your-writes from another invocation.
    const read = await invoke(`/api/audit-logs/${ids[0]}?org_id=${org.id}`, { headers: asAdmin });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(ids[0]);

    // A document ingested by the cron route (after() left it to the cron: VECSTRUCT_JOBS_AFTER_RESPONSE=0).
    const viaCron = await upload(project.id, "cron doc", "# Warranty\n\nThe serverless toaster's warranty lasts 7 years.", cronOnly);
    expect(viaCron.status).toBe(201);
    expect((await docStatus(viaCron.body.id))!.status).toBe("queued");
    expect((await jobsOf("ingest")).map((j) => j.status)).toEqual(["queued"]);
    // Memory learning left to the cron route too.
    const told = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "My name is Vera and I live in Oslo." }], vecstruct: { use_memory: true, metadata: { user_id: "vera" } } }, cronOnly);
    expect(told.status).toBe(200);
    expect(await memoriesOf(project.id, "vera")).toEqual([]);
    expect((await jobsOf("memory_extract")).map((j) => j.status)).toEqual(["queued"]);

    const run = await cron();
    expect(run.status).toBe(200);
    expect(run.body.ran.ingest.done).toBe(1);
    expect(run.body.ran.memory_extract.done).toBe(1);
    expect(run.body.remaining.ingest).toEqual({ queued: 0, running: 0, failed: 0 });
    expect(run.body.remaining.memory_extract).toEqual({ queued: 0, running: 0, failed: 0 });
    expect(await docStatus(viaCron.body.id)).toMatchObject({ status: "ready" });
    expect((await docStatus(viaCron.body.id))!.chunkCount).toBeGreaterThan(0);
    expect((await memoriesOf(project.id, "vera")).map((m) => m.content)).toEqual(["My name is Vera and I live in Oslo."]);
    // The ingestion's own (internal) audit row was written by the cron run, before it answered.
    const ingestRows = await dbQuery(`SELECT status FROM audit_logs WHERE endpoint = 'ingest:embeddings' AND CAST(metadata AS TEXT) LIKE ?`, `%${viaCron.body.id}%`);
    expect(ingestRows.map((r) => r.status)).toEqual(["success"]);

    // By default a request's jobs run in its own after(): ready without any cron run.
    const direct = await upload(project.id, "after doc", "# Returns\n\nReturns are accepted for 45 days.");
    expect(direct.status).toBe(201);
    expect(await docStatus(direct.body.id)).toMatchObject({ status: "ready" });
    const toldToo = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "My dog is called Pixel." }], vecstruct: { use_memory: true, metadata: { user_id: "vera" } } });
    expect(toldToo.status).toBe(200);
    expect((await memoriesOf(project.id, "vera")).map((m) => m.content)).toContain("My dog is called Pixel.");

    // What was learned and ingested is used by the next (fresh) process.
    const recall = await chat(key, {
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "Where do I live, and how long is the toaster's warranty?" }],
      vecstruct: { use_memory: true, rag: true, metadata: { user_id: "vera" } },
    });
    expect(recall.status).toBe(200);
    expect(recall.body.vecstruct.memory_used).toBe(true);
    expect(recall.body.vecstruct.rag_sources.map((s: { document_id: string }) => s.document_id)).toContain(viaCron.body.id);

    // Money: every request of this organization has its audit row; balance = ledger; nothing held.
    const [o] = await dbQuery<{ usdMicros: number; creditsMicros: number; reservedUsdMicros: number; reservedCreditsMicros: number }>(
      `SELECT "usdMicros", "creditsMicros", "reservedUsdMicros", "reservedCreditsMicros" FROM organizations WHERE id = ?`,
      org.id,
    );
    const sums = await dbQuery<{ currency: string; total: number }>(`SELECT currency, SUM("amountMicros") AS total FROM ledger_entries WHERE "orgId" = ? GROUP BY currency`, org.id);
    expect(Number(sums.find((s) => s.currency === "usd")!.total)).toBe(Number(o!.usdMicros));
    expect(Number(sums.find((s) => s.currency === "credits")!.total)).toBe(Number(o!.creditsMicros));
    expect(Number(o!.reservedUsdMicros)).toBe(0);
    expect(Number(o!.reservedCreditsMicros)).toBe(0);
    const apiRows = await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_logs WHERE "orgId" = ? AND origin = 'api'`, org.id);
    expect(Number(apiRows[0]!.n)).toBe(6); // plain, streamed, refused, told, toldToo, recall
    const unlinked = await dbQuery<{ n: number }>(`SELECT COUNT(*) AS n FROM ledger_entries WHERE "orgId" = ? AND kind = 'usage' AND "auditLogId" IS NULL`, org.id);
    expect(Number(unlinked[0]!.n)).toBe(0);
    expect(await jobsOf("ingest")).toEqual([]);
    expect(await jobsOf("memory_extract")).toEqual([]);
  }, 300_000);

  it("control: the same kill loses the audit row of a self-hosted process (its writer flushes on a timer)", async () => {
    // Proves the harness is as harsh as a discarded instance: without VERCEL=1 the row waits for the
    // writer's 100 ms timer, and the process is gone before it fires.
    const { orgId, key } = await orgWithKey("self-hosted-control");
    const r = await chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "control" }] }, { VERCEL: "", VECSTRUCT_DATA_DIR: mkdtempSync(path.join(tmpdir(), "vecstruct-control-")) });
    expect(r.status).toBe(200);
    expect(await auditRows([r.headers.get("x-vecstruct-audit-id")!])).toEqual([]);
    // …and its reservation stays held (docs/deploy.md, "What survives a restart or a crash").
    const [o] = await dbQuery<{ reservedUsdMicros: number }>(`SELECT "reservedUsdMicros" FROM organizations WHERE id = ?`, orgId);
    expect(Number(o!.reservedUsdMicros)).toBeGreaterThan(0);
  }, 120_000);

  it("takes over, from the cron route, a job whose invocation died mid-run once its lease is over", async () => {
    const project = { id: (await orgWithKey("serverless-dead-job")).projectId };
    const doc = await upload(project.id, "orphan", "# Orphan\n\nThis document's first invocation died.", cronOnly);
    expect(doc.status).toBe(201);
    // As an invocation killed mid-document leaves it: processing, its job running under a lease that ran out.
    await dbWrite(`UPDATE documents SET status = 'processing' WHERE id = ?`, doc.body.id);
    await dbWrite(`UPDATE jobs SET status = 'running', attempts = 1, "runAt" = now() - interval '1 second' WHERE kind = 'ingest'`);
    const run = await cron();
    expect(run.body.ran.ingest).toEqual({ done: 1, failed: 0, retried: 0 });
    expect(await docStatus(doc.body.id)).toMatchObject({ status: "ready" });
    expect(await jobsOf("ingest")).toEqual([]);
  }, 120_000);
});
