// The vector index API both dialects implement (lib/rag/vector/sqlite.ts, lib/rag/vector/postgres.ts).

/** One chunk's embedding, with what searches filter on. */
export interface VectorRow {
  chunkId: string;
  projectId: string;
  documentId: string;
  vector: Float32Array;
}

export interface VectorSearch {
  projectId: string;
  /** The query embedding; same dimensions as the table. */
  vector: Float32Array;
  /** How many nearest chunks to return (1..MAX_K). */
  k: number;
  /** Only chunks of these documents. `[]` matches nothing; undefined means the whole project. */
  documentIds?: readonly string[];
}

/** Nearest first. `distance` is the cosine distance (1 − cos, 0..2); similarityFromDistance() maps it to the API's 0..1. */
export interface VectorHit {
  chunkId: string;
  distance: number;
}

/** sqlite-vec refuses k > 4096; the same cap keeps both dialects interchangeable. */
export const MAX_K = 4096;

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new Error(`k must be a whole number in 1..${MAX_K}, got ${k}`);
}
