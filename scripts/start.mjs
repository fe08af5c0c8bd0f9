// `npm start`: zero-config production start. Creates ./data, applies migrations, builds the app when
// the sources changed since the last build, then serves API and console (scripts/server.mjs).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { migrate } from "./migrate.mjs";
import { dataDir, databaseUrl, ensurePrivateDir } from "./runtime-config.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const stampFile = path.join(root, ".next", "vecstruct-build-stamp");

function sourceFingerprint() {
  const hash = createHash("sha256");
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        hash.update(`${path.relative(root, full)}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const dir of ["app", "components", "lib", "public"]) walk(path.join(root, dir));
  for (const file of ["next.config.mjs", "package.json", "postcss.config.mjs", "tsconfig.json"]) {
    if (existsSync(path.join(root, file))) hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest("hex");
}

function ensureBuilt() {
  const fingerprint = sourceFingerprint();
  const built = existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint;
  if (!built || process.env.VECSTRUCT_FORCE_BUILD === "1") {
    console.log("[vecstruct] building the app (first start or sources changed)…");
    const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: process.env });
    if (result.status !== 0) process.exit(result.status ?? 1);
    writeFileSync(stampFile, fingerprint);
  }
}

async function main() {
  // `--build-only` (Docker image builds): compile and stamp, touch no database.
  if (process.argv.includes("--build-only")) return ensureBuilt();
  ensurePrivateDir(dataDir());
  await migrate(databaseUrl());
  ensureBuilt();

  const port = process.env.PORT || "3000";
  // VECSTRUCT_NODE_ARGS: extra flags for the server process, e.g. "--cpu-prof --cpu-prof-dir=prof".
  const nodeArgs = (process.env.VECSTRUCT_NODE_ARGS ?? "").split(" ").filter(Boolean);
  // A heap sized for a gateway (VECSTRUCT_HEAP_MB, default 256; 0 = V8's own default, a quarter of
  // the machine's memory or so): without a limit V8 grows the heap to ~600 MB under load for garbage it
  // could have collected; with it the server stays near 300 MB RSS at the same throughput (README,
  // Performance). Large bodies queue for their share of it (lib/http/body-admission.ts).
  const heapMb = Number(process.env.VECSTRUCT_HEAP_MB ?? 256);
  const sized = [...nodeArgs, ...(process.env.NODE_OPTIONS ?? "").split(" ")].some((a) => a.startsWith("--max-old-space-size"));
  if (heapMb > 0 && !sized) nodeArgs.push(`--max-old-space-size=${heapMb}`);
  // client-address.mjs: the throttling of sign-in / sign-up needs the socket's peer (see there).
  // scripts/server.mjs serves /v1 straight from the route handlers and the rest through Next;
  // VECSTRUCT_NEXT_ROUTER=1 serves everything through `next start` instead (the same handlers).
  const entry = process.env.VECSTRUCT_NEXT_ROUTER === "1" ? [nextBin, "start"] : [path.join(root, "scripts", "server.mjs")];
  const args = [...nodeArgs, "--import", pathToFileURL(path.join(root, "scripts", "client-address.mjs")).href, ...entry, "--port", port];
  // VECSTRUCT_HOST, else HOSTNAME (Next's own convention, e.g. HOSTNAME=0.0.0.0 in a container);
  // neither: every interface.
  const host = process.env.VECSTRUCT_HOST || process.env.HOSTNAME;
  if (host) args.push("--hostname", host);
  const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  console.error(`[vecstruct] ${err.message}`);
  process.exit(1);
});
