// A local multi-instance setup for tests: N production instances (`scripts/start.mjs`) sharing one
// PostgreSQL database and one Redis, behind a small round-robin reverse proxy. Each instance has its
// own data directory, so nothing is shared through the disk: only the database, Redis and the
// secrets every instance of a deployment must share (AUTH_SECRET, VECSTRUCT_ENCRYPTION_KEY,
// VECSTRUCT_ADMIN_KEY).
//
// The proxy streams both ways (SSE passes through chunk by chunk), passes the Host header on, and
// answers with `x-vecstruct-instance: <index>`. A request may pin an instance with the header
// `x-cluster-instance: <index>` (tests: "revoke on A, call B").
//
// CLI (Playwright's webServer): `node scripts/cluster.mjs` with CLUSTER_PROXY_PORT,
// CLUSTER_INSTANCE_PORTS (comma separated) and DATABASE_URL_TEST_PG (the server; a fresh database is
// created on it and dropped on SIGTERM/SIGINT). Everything else comes from the environment.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A fresh, empty PostgreSQL database (pgvector enabled) on the server `base` names. */
export async function createDatabase(base, prefix = "vs_cluster") {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query("CREATE EXTENSION IF NOT EXISTS vector").finally(() => c.end());
  return {
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
    },
  };
}

/** Builds the app once (when sources changed), so instances never build concurrently. */
export function ensureBuilt(env = process.env) {
  const r = spawnSync(process.execPath, [path.join(root, "scripts/start.mjs"), "--build-only"], { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`build failed (${r.status})`);
}

async function waitForHealth(url, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance exited with ${child.exitCode} before it was healthy (${url})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not healthy within ${ms} ms`);
}

/** Round-robin reverse proxy over `targets` (origins); streaming in both directions. */
export function startProxy(port, targets) {
  let next = 0;
  const server = http.createServer((req, res) => {
    const pinned = Number(req.headers["x-cluster-instance"]);
    const index = Number.isInteger(pinned) && pinned >= 0 && pinned < targets.length ? pinned : next++ % targets.length;
    const target = new URL(targets[index]);
    const headers = { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "", "x-forwarded-proto": "http" };
    delete headers["x-cluster-instance"];
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, "x-vecstruct-instance": String(index) });
      res.flushHeaders();
      upRes.pipe(res);
      upRes.on("error", () => res.destroy());
    });
    up.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `proxy: ${err.message}` } }));
    });
    // A client that goes away (an aborted stream) aborts the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/**
 * Starts `instancePorts.length` instances on DATABASE_URL (must be PostgreSQL) and the proxy on
 * `proxyPort`. Returns the proxy origin, the instances' origins and `stop()`.
 * @param {{ proxyPort: number, instancePorts: number[], env: Record<string, string | undefined>, healthTimeoutMs?: number, onLog?: (instance: number, text: string) => void }} options
 */
export async function startCluster({ proxyPort, instancePorts, env, healthTimeoutMs = 600_000, onLog = () => {} }) {
  if (!env.DATABASE_URL?.startsWith("postgres")) throw new Error("a cluster needs a PostgreSQL DATABASE_URL");
  const shared = {
    AUTH_SECRET: env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
    VECSTRUCT_ENCRYPTION_KEY: env.VECSTRUCT_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
    VECSTRUCT_ADMIN_KEY: env.VECSTRUCT_ADMIN_KEY ?? process.env.VECSTRUCT_ADMIN_KEY ?? `vs-admin-${randomBytes(16).toString("hex")}`,
  };
  ensureBuilt({ ...process.env, ...env });
  const instances = instancePorts.map((port, i) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `vecstruct-cluster-${i}-`));
    const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
      cwd: root,
      env: { ...process.env, ...env, ...shared, NODE_ENV: "production", PORT: String(port), VECSTRUCT_HOST: "127.0.0.1", VECSTRUCT_DATA_DIR: dataDir, VECSTRUCT_INSTANCE: String(i) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const s of [child.stdout, child.stderr]) s.on("data", (d) => onLog(i, d.toString()));
    return { index: i, origin: `http://127.0.0.1:${port}`, child, dataDir };
  });
  const stopInstances = async () => {
    for (const inst of instances) inst.child.kill("SIGTERM");
    await Promise.all(
      instances.map(
        (inst) =>
          new Promise((resolve) => {
            if (inst.child.exitCode !== null) return resolve(undefined);
            const t = setTimeout(() => {
              inst.child.kill("SIGKILL");
              resolve(undefined);
            }, 6_000);
            inst.child.once("exit", () => {
              clearTimeout(t);
              resolve(undefined);
            });
          }),
      ),
    );
    for (const inst of instances) rmSync(inst.dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(instances.map((inst) => waitForHealth(`${inst.origin}/api/health`, inst.child, healthTimeoutMs)));
  } catch (err) {
    await stopInstances();
    throw err;
  }
  const proxy = await startProxy(proxyPort, instances.map((i) => i.origin));
  return {
    origin: `http://127.0.0.1:${proxyPort}`,
    instances: instances.map((i) => i.origin),
    adminKey: shared.VECSTRUCT_ADMIN_KEY,
    async stop() {
      await new Promise((r) => proxy.close(r));
      proxy.closeAllConnections?.();
      await stopInstances();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const proxyPort = Number(process.env.CLUSTER_PROXY_PORT ?? 3520);
  const instancePorts = (process.env.CLUSTER_INSTANCE_PORTS ?? "3521,3522").split(",").map(Number);
  const base = process.env.DATABASE_URL_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabase(base, "vs_e2e");
  let cluster;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await cluster?.stop().catch(() => {});
    await database.drop().catch((err) => console.error(`[cluster] could not drop the database: ${err.message}`));
    process.exit(code);
  };
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void stop(0));
  try {
    cluster = await startCluster({
      proxyPort,
      instancePorts,
      env: { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
      onLog: (i, text) => process.stdout.write(text.replace(/^(?=.)/gm, `[${i}] `)),
    });
    console.log(`[cluster] ${instancePorts.length} instances behind ${cluster.origin}`);
  } catch (err) {
    console.error(`[cluster] ${err.message}`);
    await stop(1);
  }
}
