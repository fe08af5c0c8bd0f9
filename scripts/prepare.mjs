// Runs before `next dev` and `next build` (package.json): what the app needs that Next does not do.
//   - the generated Prisma clients (lib/generated, gitignored; normally written by `npm install`'s
//     postinstall, regenerated here when missing, e.g. after a clean checkout with node_modules kept);
//   - with --migrate (`npm run dev`): the data directory and the database migrations, as `npm start`
//     applies them. `next build` (also what Vercel runs) touches no database.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "./migrate.mjs";
import { dataDir, databaseUrl } from "./runtime-config.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  const generated = ["sqlite", "postgres"].every((d) => existsSync(path.join(root, "lib", "generated", d)));
  if (!generated) {
    const r = spawnSync(process.execPath, [path.join(root, "scripts", "db-generate.mjs")], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  if (process.argv.includes("--migrate")) {
    mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
    await migrate(databaseUrl());
  }
}

main().catch((err) => {
  console.error(`[vecstruct] ${err.message}`);
  process.exit(1);
});
