import type { CatalogModel } from "../catalog/catalog";
import { divHalfUp } from "../money";
import type { Usage } from "../providers/types";

/** Prices are per million tokens. */
const MTOK = 1_000_000n;

/** USD micro-units for one request: uncached input, cached input and output at catalog prices. */
export function costMicros(model: Pick<CatalogModel, "inputMicrosPerMtok" | "outputMicrosPerMtok" | "cachedInputMicrosPerMtok">, usage: Usage | null): bigint {
  if (!usage) return 0n;
  const prompt = BigInt(Math.max(0, usage.prompt_tokens));
  const cached = BigInt(Math.min(Math.max(0, usage.prompt_tokens_details?.cached_tokens ?? 0), usage.prompt_tokens));
  const completion = BigInt(Math.max(0, usage.completion_tokens));
  const cachedPrice = model.cachedInputMicrosPerMtok ?? model.inputMicrosPerMtok;
  const numerator = (prompt - cached) * model.inputMicrosPerMtok + cached * cachedPrice + completion * model.outputMicrosPerMtok;
  return divHalfUp(numerator, MTOK);
}
