// Words of any language, for the lexical sides of retrieval and memory. Chinese and Japanese are written
// without spaces, so splitting on non-letters makes a whole sentence one "word" and nothing matches;
// ICU's word segmenter (Intl.Segmenter, in Node's full ICU) splits them with its CJ dictionary and
// leaves space-separated scripts as they were. NFKC first, so full-width Latin and digits ("３天",
// "ＡＰＩ") read as the ASCII a user types.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** True when the text has Chinese, Japanese or Korean characters. */
export const hasCjk = (text: string): boolean => CJK.test(text);

/**
 * True when the text is mostly Chinese, Japanese or Korean, counting a CJK character as a word and a
 * Latin letter as a fifth of one (a Chinese passage keeps product codes and English terms; an English
 * one may name a Chinese city): which side of an English-only model's blind spot it is on. Reads the
 * first 2,000 characters.
 */
export function mostlyCjk(text: string): boolean {
  let letters = 0;
  let cjk = 0;
  for (const ch of text.slice(0, 2000)) {
    if (CJK.test(ch)) cjk++;
    else if (/\p{L}/u.test(ch)) letters++;
  }
  return cjk > 0 && cjk * 5 >= letters;
}

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

const HAN_WORD = /^\p{Script=Han}+$/u;

/**
 * What a lexical index stores and a lexical query looks for: the words of `segmentWords`, and for each
 * run of Han characters (consecutive Han words) the overlapping character pairs that are not already a
 * two-character word there. The segmenter splits names it has no entry for ("小鯨", "雲朵") into single
 * characters, and may split the same phrase differently in a question and in a passage; the pairs match
 * either way, as character bigrams do in CJK search engines.
 */
export function lexicalTerms(text: string): string[] {
  const words = segmentWords(text);
  if (!words.some((w) => HAN_WORD.test(w))) return words;
  const out: string[] = [];
  let run: string[] = []; // the run's words
  const flush = () => {
    if (run.length === 0) return;
    const chars = Array.from(run.join(""));
    const twoCharWordAt = new Set<number>();
    let at = 0;
    for (const w of run) {
      const n = Array.from(w).length;
      if (n === 2) twoCharWordAt.add(at);
      at += n;
    }
    for (let i = 0; i + 1 < chars.length; i++) if (!twoCharWordAt.has(i)) out.push(chars[i]! + chars[i + 1]!);
    run = [];
  };
  for (const w of words) {
    out.push(w);
    if (HAN_WORD.test(w)) run.push(w);
    else flush();
  }
  flush();
  return out;
}
