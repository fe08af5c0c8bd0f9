import { z } from "zod";
import type { Scope } from "../tenancy/scope";
import { pageArgs, pageQuery, toPage } from "../pagination";
import { randomBase62 } from "../crypto";
import { db } from "../db";
import { ConditionFailed, runAtomically } from "../db-raw";
import { ApiError, notFound } from "../errors";
import { microsToUnits as units, toMicros } from "../money";

const amount = z.number().finite().refine((v) => Math.abs(v) <= 1e9, "must be within ±1,000,000,000");
export const topupSchema = z
  .strictObject({ usd: amount.optional(), credits: amount.optional(), note: z.string().trim().max(500).optional() })
  .refine((b) => (b.usd ?? 0) !== 0 || (b.credits ?? 0) !== 0, { message: "give a non-zero usd or credits amount", path: ["usd"] });

export const billingQuery = z.strictObject({ ...pageQuery });

type LedgerRow = { id: string; createdAt: Date; currency: string; kind: string; amountMicros: bigint; auditLogId: string | null; note: string | null };

export function serializeLedgerEntry(e: LedgerRow) {
  return {
    id: e.id,
    object: "ledger_entry",
    created_at: e.createdAt.toISOString(),
    currency: e.currency,
    kind: e.kind,
    amount: units(e.amountMicros),
    audit_log_id: e.auditLogId,
    note: e.note,
  };
}

export async function getBilling(scope: Scope, query: z.infer<typeof billingQuery>) {
  const org = await db().organization.findUnique({ where: { id: scope.orgId } });
  if (!org) throw notFound("Organization", "org_id");
  const args = pageArgs(query);
  const rows = await db().ledgerEntry.findMany({ ...args, where: { ...args.where, orgId: org.id } });
  const page = toPage(rows, query.limit, serializeLedgerEntry);
  return {
    object: "billing",
    org_id: org.id,
    credits: units(org.creditsMicros),
    usd: units(org.usdMicros),
    reserved_credits: units(org.reservedCreditsMicros),
    reserved_usd: units(org.reservedUsdMicros),
    ledger: page.data,
    next_cursor: page.next_cursor,
  };
}

/** Operator top-up (positive) or adjustment (negative): balance and ledger change together. */
export async function topUp(scope: Scope, input: z.infer<typeof topupSchema>) {
  const createdById = scope.caller.userId;
  const now = new Date();
  const stmts = [];
  for (const currency of ["usd", "credits"] as const) {
    const value = input[currency];
    if (!value) continue;
    const delta = toMicros(value);
    const [balance, reserved] = currency === "usd" ? ["usdMicros", "reservedUsdMicros"] : ["creditsMicros", "reservedCreditsMicros"];
    stmts.push({
      // Money held by requests in flight is not available to an adjustment either.
      sql: `UPDATE "organizations" SET "${balance}" = "${balance}" + ? WHERE "id" = ? AND "${balance}" + ? - "${reserved}" >= 0`,
      params: [delta, scope.orgId, delta],
      mustChange: currency,
    });
    stmts.push({
      sql: `INSERT INTO "ledger_entries" ("id", "orgId", "auditLogId", "currency", "kind", "amountMicros", "note", "createdById", "createdAt") VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
      params: [`led_${randomBase62(24)}`, scope.orgId, currency, delta > 0n ? "topup" : "adjustment", delta, input.note ?? null, createdById, now],
    });
  }
  try {
    await runAtomically(stmts);
  } catch (err) {
    if (err instanceof ConditionFailed) {
      throw new ApiError("invalid_value", `The adjustment is larger than the available ${err.message} balance.`, { param: err.message });
    }
    throw err;
  }
  return getBilling(scope, { limit: 50 });
}
