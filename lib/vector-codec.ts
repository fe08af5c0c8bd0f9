// Vector encoding shared by both dialects, and the one definition of vector similarity the API exposes.
//
// Storage: a vector is a little-endian float32 BLOB (Chunk.embedding / Memory.embedding, and the
// format sqlite-vec takes for `float[N]` columns), 4 bytes per dimension, no header.
//
// Vector similarity (a RAG hit's `cosine`, memory similarity; a RAG hit's `similarity` is the ranking's
// relevance instead, lib/rag/retrieve.ts): the cosine similarity
// clipped to [0, 1], i.e. clamp(1 − cosine distance, 0, 1). Chosen over (1 + cos) / 2 because it is
// the number users already know: what numpy, OpenAI's cookbook, pgvector's `1 - (a <=> b)` and
// LangChain's cosine relevance give, so a threshold copied from elsewhere (0.75, 0.8) means the same
// here. (1 + cos) / 2 would squash every real-world score into 0.5..1 (unrelated texts score ~0.6)
// and make such thresholds silently match far too much. Clipping only merges negative cosines
// (texts pointing "away" from the query) into 0, which no sensible threshold distinguishes anyway;
// the ranking of everything above 0 is unchanged.
import { endianness } from "node:os";

const LITTLE_ENDIAN = endianness() === "LE";

/** Float32Array → little-endian float32 BLOB (a copy; the input may be a view into a larger buffer). */
export function vectorToBuffer(vector: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  const out = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i] ?? 0, i * 4);
  return out;
}

/** Little-endian float32 BLOB → Float32Array (a copy, so an unaligned Buffer slice is fine). */
export function bufferToVector(bytes: Uint8Array, expectedDimensions?: number): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`a float32 vector BLOB must be a multiple of 4 bytes, got ${bytes.byteLength}`);
  const dims = bytes.byteLength / 4;
  if (expectedDimensions !== undefined && dims !== expectedDimensions) {
    throw new Error(`expected a ${expectedDimensions}-dimension vector, got ${dims} dimensions`);
  }
  const out = new Float32Array(dims);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < dims; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Euclidean norm. */
export function l2Norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] ?? 0;
    sum += x * x;
  }
  return Math.sqrt(sum);
}

/** A unit-length copy. Throws on a zero, NaN or infinite vector (it has no direction to compare). */
export function normalize(vector: ArrayLike<number>): Float32Array {
  const norm = l2Norm(vector);
  if (!Number.isFinite(norm) || norm === 0) throw new Error("cannot normalise a zero or non-finite vector");
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] ?? 0) / norm;
  return out;
}

/** Raw cosine of the angle between a and b, in [-1, 1]; 0 when either is a zero vector. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vector dimensions differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

const clamp01 = (x: number) => (Number.isNaN(x) ? 0 : Math.max(0, Math.min(1, x)));

/** The API's similarity (see the top of this file) from a raw cosine. */
export function similarityFromCosine(cos: number): number {
  return clamp01(cos);
}

/** The API's similarity from a cosine distance (sqlite-vec `distance_metric=cosine`, pgvector `<=>`): 1 − d, clipped. */
export function similarityFromDistance(distance: number): number {
  return clamp01(1 - distance);
}

/** The API's similarity between two vectors (memories and other small sets compared in process). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return similarityFromCosine(cosine(a, b));
}

/** The largest cosine distance a hit may have to reach `minSimilarity` (for SQL-side filtering). */
export function maxDistanceFor(minSimilarity: number): number {
  return 1 - clamp01(minSimilarity);
}

/** Throws unless every component is finite and the vector is not all zeros (both backends reject or misrank those). */
export function assertUsableVector(vector: Float32Array, dimensions: number, what = "vector"): void {
  if (vector.length !== dimensions) throw new Error(`${what} has ${vector.length} dimensions, the index expects ${dimensions}`);
  let nonZero = false;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] ?? 0;
    if (!Number.isFinite(x)) throw new Error(`${what} has a non-finite component at index ${i}`);
    if (x !== 0) nonZero = true;
  }
  if (!nonZero) throw new Error(`${what} is all zeros: cosine distance is undefined for it`);
}
