// `npm run admin -- grant <email> | revoke <email> | list`: operator grants from a shell on the
// server (the other way is POST /api/operators with VECSTRUCT_ADMIN_KEY). Works on the database
// DATABASE_URL names, resolved as `npm start` does (default file:./data/vecstruct.db). The account
// must exist: a grant for an address nobody has registered would go to whoever registers it first.
import { parseArgs } from "node:util";
import { connect } from "./org-transfer.mjs";
import { databaseUrl } from "./runtime-config.mjs";

const USAGE = `usage:
  npm run admin -- grant <email>    make this existing account an operator
  npm run admin -- revoke <email>   remove its grant
  npm run admin -- list             accounts with a grant, and verified VECSTRUCT_ADMIN_EMAILS accounts
Uses DATABASE_URL (default file:./data/vecstruct.db).`;

async function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h", default: false } } });
  const [command, emailArg] = positionals;
  if (values.help || !command) return console.log(USAGE);
  const conn = await connect(databaseUrl());
  try {
    if (command === "list") {
      const admins = (process.env.VECSTRUCT_ADMIN_EMAILS ?? "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean);
      const rows = await conn.all(`SELECT "id", "email", "emailVerified", "operatorGrantedAt" FROM "users" ORDER BY "createdAt"`);
      for (const r of rows) {
        const source = r.operatorGrantedAt != null ? "grant" : r.emailVerified != null && admins.includes(String(r.email)) ? "admin_emails" : null;
        if (source) console.log(`${r.email}\t${r.id}\t${source}`);
      }
      return;
    }
    if (command !== "grant" && command !== "revoke") throw new Error(`unknown command: ${command}\n${USAGE}`);
    if (!emailArg || !emailArg.includes("@")) throw new Error(`${command} needs an email address\n${USAGE}`);
    const email = emailArg.trim().toLowerCase();
    const now = new Date().toISOString();
    const value = command === "revoke" ? null : conn.dialect === "sqlite" ? now.replace("Z", "+00:00") : now;
    // Only an unset grant is stamped, so a repeated grant keeps its first date.
    const sql =
      command === "grant"
        ? `UPDATE "users" SET "operatorGrantedAt" = COALESCE("operatorGrantedAt", ?) WHERE "email" = ?`
        : `UPDATE "users" SET "operatorGrantedAt" = ? WHERE "email" = ?`;
    const changed = await conn.run(sql, [value, email]);
    if (changed === 0) throw new Error(`no account with the email ${email}: it must sign up (or sign in once with SSO) first`);
    console.error(`[vecstruct] ${email}: operator grant ${command === "grant" ? "made" : "removed"}`);
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(`[vecstruct] ${err.message}`);
  process.exit(1);
});
