// Kept for the surfaces: the helpers live in lib/pagination.ts (below every layer that lists rows).
export * from "../pagination";
