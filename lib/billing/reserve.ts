// Before an upstream call the worst-case cost is held on the organization (and the key's budget)
// with one guarded UPDATE each, atomically: concurrent requests can never overdraw a balance.
// Settlement (lib/billing/settle.ts, written by the audit writer in the transaction of the audit row)
// later moves what was charged into the balance and the ledger and releases the hold.
import { ConditionFailed, runAtomically } from "../db-raw";
import { ApiError } from "../errors";
import type { KeyContext } from "../wire/key";

export interface Reservation {
  orgId: string;
  apiKeyId: string | null;
  usd: bigint;
  credits: bigint;
}

export async function reserve(key: Pick<KeyContext, "id" | "orgId" | "budgetMicros">, usd: bigint, credits: bigint): Promise<Reservation> {
  const stmts = [
    {
      sql: `UPDATE "organizations" SET "reservedUsdMicros" = "reservedUsdMicros" + ?, "reservedCreditsMicros" = "reservedCreditsMicros" + ?
            WHERE "id" = ? AND "usdMicros" - "reservedUsdMicros" >= ? AND "creditsMicros" - "reservedCreditsMicros" >= ?`,
      params: [usd, credits, key.orgId, usd, credits],
      mustChange: "org",
    },
  ];
  if (key.budgetMicros !== null) {
    stmts.push({
      sql: `UPDATE "api_keys" SET "reservedMicros" = "reservedMicros" + ? WHERE "id" = ? AND "budgetMicros" - "spentMicros" - "reservedMicros" >= ?`,
      params: [usd, key.id, usd],
      mustChange: "key",
    });
  }
  try {
    await runAtomically(stmts);
  } catch (err) {
    if (err instanceof ConditionFailed && err.message === "key") {
      throw new ApiError("budget_exceeded", "This API key's budget cannot cover the request (worst case: prompt estimate plus max_tokens).");
    }
    if (err instanceof ConditionFailed) {
      throw new ApiError("insufficient_quota", "Your organization's balance cannot cover this request. Top up, or lower max_tokens.");
    }
    throw err;
  }
  return { orgId: key.orgId, apiKeyId: key.budgetMicros !== null ? key.id : null, usd, credits };
}
