// Money is kept exact as integers of micro-units (1e-6 USD or 1e-6 credit, DESIGN.md §2); numbers
// in units exist only at the edges (API bodies, env, prices per million tokens). Every conversion
// goes through this module. Core layer: it imports nothing from the app.

/**
 * Units (USD, credits, USD per million tokens) to micro-units, rounded half-up at the micro-unit on
 * the magnitude, so a negative amount mirrors its positive one (an adjustment of -x undoes a top-up
 * of x). It rounds the number's decimal form (what the client wrote), not `units * 1e6` in floating
 * point, which misrounds ties such as 518.8558155 and loses the sixth decimal past about 1e9.
 */
export function toMicros(units: number): bigint {
  if (!Number.isFinite(units)) throw new RangeError("money amount must be a finite number");
  const [mantissa = "0", exp = "0"] = Math.abs(units).toString().split("e");
  const [whole = "0", frac = ""] = mantissa.split(".");
  const digits = whole + frac;
  // Digits that stay left of the decimal point once the value is counted in micro-units.
  const cut = whole.length + Number(exp) + 6;
  const kept = cut <= 0 ? "0" : cut >= digits.length ? digits.padEnd(cut, "0") : digits.slice(0, cut);
  const next = cut < 0 ? "0" : (digits[cut] ?? "0");
  const magnitude = BigInt(kept) + (next >= "5" ? 1n : 0n);
  return units < 0 ? -magnitude : magnitude;
}

/** Micro-units to a number of units, for API bodies and metrics (exact up to 2^53 micro-units). */
export const microsToUnits = (micros: bigint | number): number => Number(micros) / 1e6;

/** A sum of unit amounts (numbers) back on the micro-unit grid, without float dust (0.1 + 0.2). */
export const roundToMicro = (units: number): number => Math.round(units * 1e6) / 1e6;

/** As `microsToUnits`, keeping null (e.g. a price that is not set). */
export const microsToUnitsOrNull = (micros: bigint | null): number | null => (micros === null ? null : microsToUnits(micros));

/** Integer division rounded half-up on the magnitude (d > 0): exact to the micro-unit (DESIGN.md §2). */
export function divHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("divisor must be positive");
  return n < 0n ? -((-n + d / 2n) / d) : (n + d / 2n) / d;
}
