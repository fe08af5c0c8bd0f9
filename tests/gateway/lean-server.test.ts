// A second server of the same deployment (same database and secrets), started as `npm start` starts
// it: scripts/server.mjs under a 256 MB heap. It answers /v1 and the health probe without loading the
// console (Next is loaded on the first other request), and a flood of maximum-size bodies, which
// would exhaust that heap, queues or gets 503s instead of taking the process down.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appEnv } from "./global-setup";
import { admin, newKey, upstreamOrigin, until } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
let server: ChildProcess;
let origin: string;
const logs: string[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["--max-old-space-size=256", path.join(root, "scripts/server.mjs"), "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      ...appEnv(upstreamOrigin),
      NODE_ENV: "production",
      DATABASE_URL: inject("dbUrl"),
      VECSTRUCT_DATA_DIR: inject("dataDir"),
      VECSTRUCT_MAX_BODY_BYTES: String(10 * 1024 * 1024),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const s of [server.stdout, server.stderr]) s?.on("data", (d: Buffer) => logs.push(d.toString()));
  await until(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status === 200, 60_000);
}, 90_000);

afterAll(() => {
  server?.kill("SIGTERM");
});

const consoleLoaded = () => logs.join("").includes("console loaded");

describe("scripts/server.mjs on its own", () => {
  it("serves /v1 and the health probe without loading the console, and loads it on the first console request", async () => {
    const { key } = await newKey();
    const models = await fetch(`${origin}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect((await models.json()).data.length).toBeGreaterThan(0);
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
    expect(consoleLoaded()).toBe(false);
    const page = await fetch(`${origin}/sign-in`);
    expect(page.status).toBe(200);
    expect(consoleLoaded()).toBe(true);
  });

  it("survives a flood of 10 MB bodies under a 256 MB heap: each one answered or refused with a 503, never a crash", async () => {
    // Its own organization, funded for 24 requests of ~2M input tokens each, in a metadata-only project:
    // 24 stored 9 MB prompts would be written to the database this suite shares (and slowed every file).
    const org = await admin("/api/orgs", { name: "flood" });
    const project = await admin("/api/projects", { name: "flood", org_id: org.id, keep_metadata_only: true });
    const { key } = await admin("/api/keys", { name: "flood", project_id: project.id, org_id: org.id });
    await admin("/api/billing/topup", { usd: 10_000, credits: 10_000, org_id: org.id });
    const body = JSON.stringify({ model: "openai/gpt-4o", messages: Array.from({ length: 40 }, () => ({ role: "user", content: "word ".repeat(45_000) })) });
    expect(body.length).toBeGreaterThan(8 * 1024 * 1024);
    const answers = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const res = await fetch(`${origin}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body });
        return { status: res.status, body: await res.json() };
      }),
    );
    for (const a of answers) {
      if (a.status === 200) expect(a.body.object).toBe("chat.completion");
      else expect(a).toMatchObject({ status: 503, body: { error: { type: "api_error", code: "service_unavailable" } } });
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(server.exitCode).toBeNull();
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
  }, 120_000);
});
