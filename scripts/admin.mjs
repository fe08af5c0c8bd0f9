// `npm run admin -- grant <email> | revoke <email> | list`: operator grants from a shell on the
// server (the other way is POST /api/operators with VECSTRUCT_ADMIN_KEY). Works on the database
// DATABASE_URL names, resolved as `npm start` does (default file:./data/vecstruct.db). The account
// must exist: a grant for an address nobody has registered would go to whoever registers it first.
import { parseArgs } from "node:util";
import { connect } from "./org-transfer.mjs";
import { databaseUrl } from "./runtime-config.mjs";

const USAGE = `usage:
  npm run admin -- grant <email|user id>    make this existing account an operator
  npm run admin -- revoke <email|user id>   remove its grant
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
    if (!emailArg) throw new Error(`${command} needs an email address or a user id\n${USAGE}`);
    // A user id (GET /api/me → user.id) names exactly the account you signed up with, even if a
    // stranger registered your address before you; an email names whoever holds it.
    const byEmail = emailArg.includes("@");
    const target = byEmail ? emailArg.trim().toLowerCase() : emailArg.trim();
    const column = byEmail ? `"email"` : `"id"`;
    const now = new Date().toISOString();
    const value = command === "revoke" ? null : conn.dialect === "sqlite" ? now.replace("Z", "+00:00") : now;
    // Only an unset grant is stamped, so a repeated grant keeps its first date.
    const sql =
      command === "grant"
        ? `UPDATE "users" SET "operatorGrantedAt" = COALESCE("operatorGrantedAt", ?) WHERE ${column} = ?`
        : `UPDATE "users" SET "operatorGrantedAt" = ? WHERE ${column} = ?`;
    const changed = await conn.run(sql, [value, target]);
    if (changed === 0) throw new Error(`no account with ${byEmail ? "the email" : "the id"} ${target}: it must sign up (or sign in once with SSO) first`);
    const [row] = await conn.all(`SELECT "id", "email", "createdAt" FROM "users" WHERE ${column} = ?`, [target]);
    console.error(`[vecstruct] operator grant ${command === "grant" ? "made" : "removed"}: ${row.email} (user ${row.id}, signed up ${row.createdAt})`);
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  console.error(`[vecstruct] ${err.message}`);
  process.exit(1);
});
