// A Chinese ↔ English word bridge for cross-lingual keyword search (issue 19): the offline embedding
// model is English-only, so an English question about a Chinese passage (or the reverse) shares no
// word and no vector neighbourhood with it. Looking the question's words up in a dictionary and
// searching the passage's language for them finds it by keywords (docs/rag.md, "Cross-lingual").
//
// The lists are lib/text/data/{zh-en,en-zh}.tsv.gz, derived from CC-CEDICT (CC BY-SA 4.0; see the
// README there) by scripts/build-glossary.mjs: "key \t words" lines sorted by the key's UTF-8 bytes.
// They stay one unzipped Buffer each (~16 MB outside the JavaScript heap; as Maps they took 78 MB of
// heap and 1.6 s to build) and a lookup is a binary search over line starts. Loaded on the first
// question that needs them, never at start: read and unzipped off the event loop; finding the line
// starts is a byte scan of a few milliseconds.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

// From the app's root, as the embedding model's packages are (lib/rag/embeddings/local.ts): bundlers leave them alone.
const DIR = "lib/text/data";

export interface Glossary {
  /** English content words of the first senses of a Chinese headword (either script); [] when unknown. */
  english(word: string): string[];
  /** Chinese headwords (both scripts) one of whose leading senses is exactly this English word or phrase. */
  chinese(phrase: string): string[];
  /** Length in characters of the longest headword starting at `text[i]` (for runs the segmenter left whole), or 0. */
  longestAt(text: string, i: number): number;
}

/** A sorted "key \t words \n" list: binary search by the key's bytes. */
export class SortedList {
  private readonly starts: Int32Array;
  constructor(private readonly buf: Buffer) {
    let n = 0;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
    this.starts = new Int32Array(n);
    let at = 0;
    for (let k = 0; k < n; k++) {
      this.starts[k] = at;
      at = buf.indexOf(10, at) + 1;
    }
  }

  get size(): number {
    return this.starts.length;
  }

  /** The words after `key`'s tab, or [] when the list has no such key. */
  get(key: string): string[] {
    const k = Buffer.from(key);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.starts[mid]!;
      const tab = this.buf.indexOf(9, start);
      const c = this.buf.compare(k, 0, k.length, start, tab);
      if (c === 0) {
        const end = this.buf.indexOf(10, tab);
        return this.buf.toString("utf8", tab + 1, end).split(" ").filter(Boolean);
      }
      // buf.compare(target, …) compares the buffer's slice with the target: < 0 means the line's key sorts first.
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return [];
  }
}

/** The glossary over two unzipped lists (exported for tests). */
export function glossaryOf(zhEn: Buffer, enZh: Buffer): Glossary {
  const toEnglish = new SortedList(zhEn);
  const toChinese = new SortedList(enZh);
  const MAX_HEADWORD = 6; // scripts/build-glossary.mjs keeps headwords of 1–6 characters
  return {
    english: (word) => toEnglish.get(word),
    chinese: (phrase) => toChinese.get(phrase),
    longestAt(text, i) {
      const chars = Array.from(text.slice(i, i + MAX_HEADWORD * 2)).slice(0, MAX_HEADWORD);
      for (let n = chars.length; n > 0; n--) if (toEnglish.get(chars.slice(0, n).join("")).length > 0) return n;
      return 0;
    },
  };
}

const unzip = promisify(gunzip);
let loading: Promise<Glossary> | undefined;

/** The glossary, loaded once per process (a failed load is retried by the next caller). */
export function glossary(): Promise<Glossary> {
  loading ??= (async () => {
    const read = (name: string) => readFile(path.join(process.cwd(), DIR, name)).then((gz) => unzip(gz));
    const [zhEn, enZh] = await Promise.all([read("zh-en.tsv.gz"), read("en-zh.tsv.gz")]);
    return glossaryOf(zhEn, enZh);
  })().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
