// A real tokenizer (o200k_base, as GPT-4o) for reservations and for upstreams that report no usage:
// loaded in the background by the first count, so no request waits for it (that first count, and
// any until it is loaded, is chars/4), and a process that never counts never holds it. gpt-tokenizer rather than js-tiktoken: the same
// counts for ~60 MB of memory instead of ~160 MB (its rank table is stored compactly).
import { log } from "../log";

type Encode = (text: string) => number;

let count: Encode | null = null;
let loading: Promise<void> | null = null;

export function warmTokenizer(): Promise<void> {
  loading ??= (async () => {
    const { countTokens: encode } = await import("gpt-tokenizer/encoding/o200k_base");
    // Special-token text in a prompt is counted as the tokens it would be: never a throw.
    count = (text) => encode(text, { allowedSpecial: "all" });
  })().catch((err) => {
    loading = null;
    log.error("tokenizer failed to load", {}, err);
  });
  return loading;
}

/** Token count; until the tokenizer is loaded, a chars/4 approximation. */
export function countTokens(text: string): number {
  if (!text) return 0;
  if (!count) {
    void warmTokenizer();
    return Math.ceil(text.length / 4);
  }
  return count(text);
}
