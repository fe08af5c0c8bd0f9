import { describe, expect, it } from "vitest";
import {
  assertUsableVector,
  bufferToVector,
  cosine,
  cosineSimilarity,
  l2Norm,
  maxDistanceFor,
  normalize,
  similarityFromCosine,
  similarityFromDistance,
  vectorToBuffer,
} from "./vector-codec";

describe("vector codec", () => {
  it("encodes little-endian float32 and decodes back exactly", () => {
    const v = Float32Array.from([1, -2.5, 0.1, 3.4e38, -0]);
    const buf = vectorToBuffer(v);
    expect(buf.byteLength).toBe(20);
    expect(buf.readFloatLE(4)).toBe(-2.5);
    expect([...bufferToVector(buf)]).toEqual([...v]);
  });

  it("handles views and unaligned slices", () => {
    const big = Float32Array.from([9, 1, 2, 9]);
    const view = big.subarray(1, 3);
    expect([...bufferToVector(vectorToBuffer(view))]).toEqual([1, 2]);
    const padded = Buffer.concat([Buffer.from([0xff]), vectorToBuffer(Float32Array.from([0.5, 4]))]).subarray(1);
    expect(padded.byteOffset % 4).not.toBe(0);
    expect([...bufferToVector(padded, 2)]).toEqual([0.5, 4]);
  });

  it("refuses BLOBs of the wrong size", () => {
    expect(() => bufferToVector(Buffer.alloc(6))).toThrow(/multiple of 4/);
    expect(() => bufferToVector(Buffer.alloc(8), 3)).toThrow(/3-dimension/);
  });

  it("computes cosine and the API similarity (cosine clipped to 0..1)", () => {
    const a = Float32Array.from([1, 0]);
    expect(cosine(a, Float32Array.from([2, 0]))).toBeCloseTo(1);
    expect(cosine(a, Float32Array.from([0, 3]))).toBeCloseTo(0);
    expect(cosine(a, Float32Array.from([-1, 0]))).toBeCloseTo(-1);
    expect(cosine(a, Float32Array.from([0, 0]))).toBe(0);
    expect(cosineSimilarity(a, Float32Array.from([1, 1]))).toBeCloseTo(Math.SQRT1_2);
    expect(cosineSimilarity(a, Float32Array.from([-1, 0.1]))).toBe(0);
    expect(similarityFromCosine(1.0000001)).toBe(1);
    expect(similarityFromDistance(0.25)).toBeCloseTo(0.75);
    expect(similarityFromDistance(1.7)).toBe(0);
    expect(similarityFromDistance(Number.NaN)).toBe(0);
    expect(maxDistanceFor(0.8)).toBeCloseTo(0.2);
    expect(() => cosine(a, Float32Array.from([1, 2, 3]))).toThrow(/dimensions differ/);
  });

  it("normalises and validates vectors", () => {
    expect(l2Norm(normalize([3, 4]))).toBeCloseTo(1, 6);
    expect(() => normalize([0, 0])).toThrow();
    expect(() => assertUsableVector(Float32Array.from([0, 0]), 2)).toThrow(/all zeros/);
    expect(() => assertUsableVector(Float32Array.from([1, Number.POSITIVE_INFINITY]), 2)).toThrow(/non-finite/);
    expect(() => assertUsableVector(Float32Array.from([1]), 2)).toThrow(/1 dimensions/);
    expect(() => assertUsableVector(Float32Array.from([1, 0]), 2)).not.toThrow();
  });
});
