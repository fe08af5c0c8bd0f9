import { Notes as SharedNotes } from "../../translation-notes";

// The hints this dialect warns about when translating (one warning per kind).
export type HintKind =
  | "truncation"
  | "prompt_cache_key"
  | "client_metadata"
  | "verbosity"
  | "effort"
  | "summary"
  | "reasoning_history"
  | "foreign_reasoning"
  | "annotations"
  | "user";

export class Notes extends SharedNotes<HintKind> {}
