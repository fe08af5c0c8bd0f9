// Warnings for hints that have no counterpart upstream: one per kind, however many items carry it.
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

export class Notes {
  private readonly seen = new Set<HintKind>();
  constructor(readonly warnings: string[]) {}

  once(kind: HintKind, text: string): void {
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    this.warnings.push(text);
  }
}
