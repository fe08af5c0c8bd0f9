import type { CatalogModel } from "../catalog/catalog";
import { divHalfUp } from "../money";
import type { Usage } from "../providers/types";

/** Prices are per million tokens. */
const MTOK = 1_000_000n;

type Prices = Pick<CatalogModel, "inputMicrosPerMtok" | "outputMicrosPerMtok" | "cachedInputMicrosPerMtok"> & Partial<Pick<CatalogModel, "cacheWriteMicrosPerMtok">>;

const clamp = (v: number | undefined, max: bigint) => {
  const n = BigInt(Math.max(0, Math.trunc(v ?? 0)));
  return n < max ? n : max;
};

/**
 * USD micro-units for one request: uncached input, cache reads, cache writes and output at catalog
 * prices. Cache reads and writes are both part of prompt_tokens; a missing cache price falls back to
 * the input price.
 */
export function costMicros(model: Prices, usage: Usage | null): bigint {
  if (!usage) return 0n;
  const prompt = BigInt(Math.max(0, usage.prompt_tokens));
  const cached = clamp(usage.prompt_tokens_details?.cached_tokens, prompt);
  const written = clamp(usage.prompt_tokens_details?.cache_write_tokens, prompt - cached);
  const completion = BigInt(Math.max(0, usage.completion_tokens));
  const cachedPrice = model.cachedInputMicrosPerMtok ?? model.inputMicrosPerMtok;
  const writePrice = model.cacheWriteMicrosPerMtok ?? model.inputMicrosPerMtok;
  const numerator = (prompt - cached - written) * model.inputMicrosPerMtok + cached * cachedPrice + written * writePrice + completion * model.outputMicrosPerMtok;
  return divHalfUp(numerator, MTOK);
}
