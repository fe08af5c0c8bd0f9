// `npm run org -- export|import …`: move organizations between vecstruct databases (e.g. the SQLite
// default → PostgreSQL). Works on the database DATABASE_URL names, resolved as `npm start` does
// (default: file:./data/vecstruct.db). See README "Moving organizations between databases".
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { exportOrgs, importOrgs } from "./org-transfer.mjs";
import { databaseUrl } from "./runtime-config.mjs";

const USAGE = `usage:
  npm run org -- export --org <id>[,<id>…]|all --out <file.vsx> [--release-reservations]
  npm run org -- import --in <file.vsx> [--replace]
Both use DATABASE_URL (default file:./data/vecstruct.db). Provider secrets stay encrypted; an import
whose VECSTRUCT_ENCRYPTION_KEY differs from the source's needs the old key in VECSTRUCT_SOURCE_ENCRYPTION_KEY.`;

const log = (m) => console.error(`[vecstruct] ${m}`);

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      org: { type: "string" },
      out: { type: "string" },
      in: { type: "string" },
      replace: { type: "boolean", default: false },
      "release-reservations": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) return console.log(USAGE);
  const url = databaseUrl();

  if (command === "export") {
    if (!values.org || !values.out) throw new Error(`export needs --org and --out\n${USAGE}`);
    const orgs = values.org === "all" ? "all" : values.org.split(",").map((s) => s.trim()).filter(Boolean);
    // Written beside the target and renamed at the end: an interrupted export never looks finished.
    const partial = `${values.out}.partial`;
    const stream = createWriteStream(partial, { mode: 0o600 });
    const write = async (line) => {
      if (!stream.write(line)) await once(stream, "drain");
    };
    try {
      const trailer = await exportOrgs({ url, orgs, write, releaseReservations: values["release-reservations"], log });
      stream.end();
      await once(stream, "finish");
      renameSync(partial, values.out);
      log(`wrote ${values.out}: ${trailer.rows} rows (${Object.entries(trailer.counts).map(([t, n]) => `${t} ${n}`).join(", ")})`);
    } catch (err) {
      stream.destroy();
      rmSync(partial, { force: true });
      throw err;
    }
    return;
  }
  if (command === "import") {
    if (!values.in) throw new Error(`import needs --in\n${USAGE}`);
    await importOrgs({ url, file: values.in, replace: values.replace, sourceEncryptionKey: process.env.VECSTRUCT_SOURCE_ENCRYPTION_KEY || null, log });
    return;
  }
  throw new Error(`unknown command ${command}\n${USAGE}`);
}

main().catch((err) => {
  log(err.message);
  process.exit(1);
});
