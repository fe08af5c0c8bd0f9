// Words of any language, for the lexical sides of retrieval and memory. Chinese and Japanese are written
// without spaces, so splitting on non-letters makes a whole sentence one "word" and nothing matches;
// ICU's word segmenter (Intl.Segmenter, in Node's full ICU) splits them with its CJ dictionary and
// leaves space-separated scripts as they were. NFKC first, so full-width Latin and digits ("３天",
// "ＡＰＩ") read as the ASCII a user types.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** True when the text has Chinese, Japanese or Korean characters. */
export const hasCjk = (text: string): boolean => CJK.test(text);

/** The word-like segments of `text`, NFKC-normalised and lower-cased, in order (duplicates kept). */
export function segmentWords(text: string): string[] {
  const normalized = text.normalize("NFKC").toLowerCase();
  // Latin-only text: the segmenter would give the same words, at several times the cost.
  if (!hasCjk(normalized)) return normalized.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
  const out: string[] = [];
  for (const s of segmenter.segment(normalized)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** `text` with its words separated by single spaces: what a whitespace tokenizer (FTS5, to_tsvector 'simple') can index. */
export const spacedWords = (text: string): string => segmentWords(text).join(" ");
