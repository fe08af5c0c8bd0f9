import { describe, expect, it } from "vitest";
import { costMicros } from "@/lib/billing/cost";
import { divHalfUp, microsToUnits, microsToUnitsOrNull, toMicros } from "@/lib/money";

describe("lib/money", () => {
  it("converts units to micro-units, rounding half-up at the micro-unit", () => {
    expect(toMicros(5)).toBe(5_000_000n);
    expect(toMicros(0.03)).toBe(30_000n);
    expect(toMicros(0.1 + 0.2)).toBe(300_000n);
    expect(toMicros(0)).toBe(0n);
    expect(toMicros(0.0000005)).toBe(1n); // exactly half a micro-unit rounds up
    expect(toMicros(0.00000049)).toBe(0n);
    expect(toMicros(1.0000015)).toBe(1_000_002n);
    expect(toMicros(1.00000149999)).toBe(1_000_001n);
    expect(toMicros(2.5e-6)).toBe(3n);
    expect(toMicros(5e-8)).toBe(0n);
    // A tie that floating point (518.8558155 * 1e6 = 518855815.49999994) would round down.
    expect(toMicros(518.8558155)).toBe(518_855_816n);
  });

  it("rounds negative values as the mirror of positive ones", () => {
    expect(toMicros(-5)).toBe(-5_000_000n);
    expect(toMicros(-0.0000005)).toBe(-1n);
    expect(toMicros(-0.0000015)).toBe(-2n);
    expect(toMicros(-0.00000149)).toBe(-1n);
    expect(toMicros(-0.0000004)).toBe(0n);
    for (const v of [0.0000015, 12.3456785, 999_999_999.999999]) expect(toMicros(-v)).toBe(-toMicros(v));
  });

  it("keeps large values exact", () => {
    expect(toMicros(1e9)).toBe(1_000_000_000_000_000n);
    expect(toMicros(-1e9)).toBe(-1_000_000_000_000_000n);
    expect(toMicros(999_999_999.999999)).toBe(999_999_999_999_999n);
    expect(toMicros(851_418_690.2094255)).toBe(851_418_690_209_425n); // the double is ...209425(4), below the tie
    expect(toMicros(1e21)).toBe(10n ** 27n);
    expect(microsToUnits(999_999_999_999_999n)).toBe(999_999_999.999999);
  });

  it("refuses what is not a finite amount", () => {
    expect(() => toMicros(Number.NaN)).toThrow(RangeError);
    expect(() => toMicros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("converts micro-units back to units", () => {
    expect(microsToUnits(1_500_000n)).toBe(1.5);
    expect(microsToUnits(-1n)).toBe(-0.000001);
    expect(microsToUnitsOrNull(null)).toBeNull();
    expect(microsToUnitsOrNull(250_000n)).toBe(0.25);
  });

  it("divides half-up on the magnitude", () => {
    expect(divHalfUp(5n, 10n)).toBe(1n);
    expect(divHalfUp(4n, 10n)).toBe(0n);
    expect(divHalfUp(15n, 10n)).toBe(2n);
    expect(divHalfUp(-15n, 10n)).toBe(-2n);
    expect(divHalfUp(-14n, 10n)).toBe(-1n);
    expect(divHalfUp(-4n, 2n)).toBe(-2n);
    expect(divHalfUp(10n ** 30n + 500_000n, 1_000_000n)).toBe(10n ** 24n + 1n);
    expect(() => divHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it("prices usage half-up at the micro-unit", () => {
    const model = { inputMicrosPerMtok: 1_000_000n, outputMicrosPerMtok: 3_000_000n, cachedInputMicrosPerMtok: null };
    // 1 input token at $1 / Mtok = 1 micro-unit; 1 output token at $3 / Mtok = 3.
    expect(costMicros(model, { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })).toBe(4n);
    // 0.5 micro-unit rounds up, 0.4999995 does not.
    const half = { inputMicrosPerMtok: 500_000n, outputMicrosPerMtok: 0n, cachedInputMicrosPerMtok: null };
    expect(costMicros(half, { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 })).toBe(1n);
    expect(costMicros({ ...half, inputMicrosPerMtok: 499_999n }, { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 })).toBe(0n);
  });
});
