// Settlement: what a finished call charged moves into the ledger, the organization's balances and
// the key's spend, and what lib/billing/reserve.ts held for it is released. The audit writer
// (lib/audit/writer.ts) runs these statements in the same transaction as the audit rows they
// belong to, so a row and its money are written together or not at all.
import { randomBase62 } from "../crypto";
import { insertStmts, type Stmt } from "../db-raw";
import type { Reservation } from "./reserve";

/** One settled call: its audit row's id, who pays, what was charged and what was held. */
export interface Charge {
  id: string;
  orgId: string;
  apiKeyId: string | null;
  costMicros: bigint;
  creditsMicros: bigint;
  createdAt: Date;
  reservation?: Reservation | null;
}

function add<K>(map: Map<K, bigint[]>, key: K, values: bigint[]) {
  const cur = map.get(key);
  if (cur) values.forEach((v, i) => (cur[i] = (cur[i] ?? 0n) + v));
  else map.set(key, [...values]);
}

/**
 * Ledger entries (linked to their audit rows unless `linkAudit` is false, for charges whose row
 * could not be stored), then one balance update per organization and one spend update per key.
 */
export function settleStatements(charges: readonly Charge[], opts: { linkAudit?: boolean } = {}): Stmt[] {
  const link = opts.linkAudit ?? true;
  const ledger: Record<string, unknown>[] = [];
  const orgs = new Map<string, bigint[]>(); // [usd charged, credits charged, usd released, credits released]
  const keys = new Map<string, bigint[]>(); // [usd charged, usd released]
  for (const r of charges) {
    for (const [currency, amount] of [["usd", r.costMicros], ["credits", r.creditsMicros]] as const) {
      if (amount > 0n) {
        ledger.push({ id: `led_${randomBase62(24)}`, orgId: r.orgId, auditLogId: link ? r.id : null, currency, kind: "usage", amountMicros: -amount, note: null, createdById: null, createdAt: r.createdAt });
      }
    }
    const res = r.reservation;
    if (r.costMicros > 0n || r.creditsMicros > 0n || res) add(orgs, r.orgId, [r.costMicros, r.creditsMicros, res?.usd ?? 0n, res?.credits ?? 0n]);
    if (r.apiKeyId && (r.costMicros > 0n || res?.apiKeyId)) add(keys, r.apiKeyId, [r.costMicros, res?.apiKeyId ? res.usd : 0n]);
  }
  const stmts = insertStmts("ledger_entries", ledger);
  for (const [orgId, [usd, credits, relUsd, relCredits]] of orgs) {
    stmts.push({
      sql: `UPDATE "organizations" SET "usdMicros" = "usdMicros" - ?, "creditsMicros" = "creditsMicros" - ?,
            "reservedUsdMicros" = "reservedUsdMicros" - ?, "reservedCreditsMicros" = "reservedCreditsMicros" - ? WHERE "id" = ?`,
      params: [usd, credits, relUsd, relCredits, orgId],
    });
  }
  for (const [keyId, [usd, released]] of keys) {
    stmts.push({ sql: `UPDATE "api_keys" SET "spentMicros" = "spentMicros" + ?, "reservedMicros" = "reservedMicros" - ? WHERE "id" = ?`, params: [usd, released, keyId] });
  }
  return stmts;
}
