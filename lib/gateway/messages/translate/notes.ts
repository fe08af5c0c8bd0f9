// Warnings for hints that have no counterpart upstream: one per kind, however many blocks carry it.
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
  | "parallel";

export class Notes {
  private readonly seen = new Set<HintKind>();
  constructor(readonly warnings: string[]) {}

  once(kind: HintKind, text: string): void {
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    this.warnings.push(text);
  }
}
