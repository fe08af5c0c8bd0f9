// A real tokenizer (o200k_base, as GPT-4o) for upstreams that report no usage: loaded in the
// background on first use, so no request waits for the ranks to parse.
import type { Tiktoken } from "js-tiktoken/lite";

let encoder: Tiktoken | null = null;
let loading: Promise<void> | null = null;

export function warmTokenizer(): Promise<void> {
  loading ??= (async () => {
    const [{ Tiktoken }, { default: ranks }] = await Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]);
    encoder = new Tiktoken(ranks);
  })().catch((err) => {
    loading = null;
    console.error("[vecstruct] tokenizer failed to load", err);
  });
  return loading;
}

/** Token count; until the tokenizer is loaded, a chars/4 approximation. */
export function countTokens(text: string): number {
  if (!text) return 0;
  if (!encoder) {
    void warmTokenizer();
    return Math.ceil(text.length / 4);
  }
  return encoder.encode(text, "all").length;
}
