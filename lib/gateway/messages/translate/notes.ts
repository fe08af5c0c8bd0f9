import { Notes as SharedNotes } from "../../translation-notes";

// The hints this dialect warns about when translating (one warning per kind).
export type HintKind =
  | "cache_control"
  | "context_management"
  | "betas"
  | "metadata.user_id"
  | "effort"
  | "thinking"
  | "redacted_thinking"
  | "defer_loading"
  | "tool_search"
  | "citations"
  | "reasoning_history"
  | "tool_result_images"
  | "prefill";

export class Notes extends SharedNotes<HintKind> {}
