import type { Block } from "./extract/types";

export type Chunk = {
  /** 0-based position in the document. */
  ordinal: number;
  /** The section's heading path, outermost first ("Install > Linux"); null before the first heading. */
  heading: string | null;
  /** The chunk text, without any heading prefix. */
  content: string;
  /** `countTokens(content)`. */
  tokenCount: number;
};

export type CountTokens = (text: string) => number;

export type ChunkOptions = {
  /** Hard upper bound of `tokenCount` per chunk. Default 400. */
  maxTokens?: number;
  /** How much of the previous chunk of the same section is repeated at the start of the next. Default 60, at most maxTokens / 2. */
  overlapTokens?: number;
  /** Token counter; defaults to `estimateTokens` (about 4 characters per token). Pass a real tokenizer for exact sizes. */
  countTokens?: CountTokens;
};

export const DEFAULT_MAX_TOKENS = 400;
export const DEFAULT_OVERLAP_TOKENS = 60;

/** A tokenizer-free estimate: one token per 4 characters, rounded up. */
export const estimateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

/** A piece of a section that is never split further: a whole block, or one sentence/line of an oversized one. */
type Unit = { text: string; tokens: number; sep: string };

type Context = {
  max: number;
  overlap: number;
  count: CountTokens;
  sepTokens: (sep: string) => number;
};

/**
 * Splits extracted blocks into retrieval chunks, following the document's structure.
 *
 * - A heading starts a new section; every chunk carries its heading path in `heading`.
 * - Blocks are packed whole into chunks of at most `maxTokens`; a block that is larger on its
 *   own is split on sentence boundaries (lines for code), then between words, and only for a
 *   single overlong "word" (a URL, base64…) between characters.
 * - Consecutive chunks of one section overlap: the next chunk starts with the last sentences
 *   of the previous one, up to `overlapTokens` (one last sentence may take up to 1.5×; a
 *   sentence longer than that contributes its last words). The overlap shrinks, or is left
 *   out, when the next block would not fit in `maxTokens` otherwise.
 *
 * Deterministic and pure. `tokenCount <= maxTokens` holds for every chunk unless the token
 * counter gives a single character more than `maxTokens`.
 */
export function chunkBlocks(blocks: readonly Block[], opts: ChunkOptions = {}): Chunk[] {
  const max = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxTokens must be a positive integer, got ${max}`);
  const requestedOverlap = opts.overlapTokens ?? DEFAULT_OVERLAP_TOKENS;
  if (!Number.isFinite(requestedOverlap) || requestedOverlap < 0) {
    throw new RangeError(`overlapTokens must be a non-negative number, got ${requestedOverlap}`);
  }
  const count = opts.countTokens ?? estimateTokens;
  const sepCache = new Map<string, number>();
  const ctx: Context = {
    max,
    overlap: Math.min(Math.floor(requestedOverlap), Math.floor(max / 2)),
    count,
    sepTokens: (sep) => {
      let n = sepCache.get(sep);
      if (n === undefined) sepCache.set(sep, (n = count(sep)));
      return n;
    },
  };

  const chunks: Chunk[] = [];
  const path: Array<{ level: number; text: string }> = [];
  const headings: string[] = [];
  let units: Unit[] = [];
  const flushSection = () => {
    if (units.length > 0) packSection(units, path.length > 0 ? path.map((h) => h.text).join(" > ") : null, ctx, chunks);
    units = [];
  };

  for (const block of blocks) {
    if (block.kind === "heading") {
      const text = block.text.replace(/\s+/g, " ").trim();
      if (!text) continue;
      flushSection();
      while (path.length > 0 && (path.at(-1)?.level ?? 0) >= block.level) path.pop();
      path.push({ level: block.level, text });
      headings.push(text);
      continue;
    }
    units.push(...blockUnits(block, ctx));
  }
  flushSection();

  // A document made only of headings still yields its text.
  if (chunks.length === 0 && headings.length > 0) {
    packSection(blockUnits({ kind: "paragraph", text: headings.join("\n") }, ctx), null, ctx, chunks);
  }
  return chunks;
}

function blockUnits(block: Exclude<Block, { kind: "heading" }>, ctx: Context): Unit[] {
  const code = block.kind === "code";
  const text = code ? block.text.replace(/^(?:[ \t]*\n)+/, "").trimEnd() : block.text.trim();
  if (!text) return [];
  const tokens = ctx.count(text);
  if (tokens <= ctx.max) return [{ text, tokens, sep: "\n\n" }];

  const units: Unit[] = [];
  for (const seg of code ? lineSegments(text) : sentenceSegments(text)) {
    const t = ctx.count(seg.text);
    if (t <= ctx.max) {
      units.push({ text: seg.text, tokens: t, sep: seg.sep });
      continue;
    }
    splitLong(seg.text, ctx).forEach((piece, k) => {
      units.push({ text: piece, tokens: ctx.count(piece), sep: k === 0 ? seg.sep : " " });
    });
  }
  const first = units[0];
  if (first) first.sep = "\n\n";
  return units;
}

/** Greedily packs a section's units into chunks, each next chunk opening with the tail of the previous one. */
function packSection(units: readonly Unit[], heading: string | null, ctx: Context, out: Chunk[]): void {
  const join = (overlap: string, from: number, to: number) => {
    let text = overlap;
    for (let k = from; k < to; k++) {
      const u = units[k];
      if (u) text = text ? text + u.sep + u.text : u.text;
    }
    return text;
  };

  let prev: string | null = null;
  let i = 0;
  while (i < units.length) {
    const first = units[i];
    if (!first) break;
    let overlap = "";
    if (prev !== null && ctx.overlap > 0) {
      const room = ctx.max - first.tokens - ctx.sepTokens(first.sep);
      const budget = Math.min(ctx.overlap, room);
      // Cut inside a sentence only when the sentence itself is too long, not when the next
      // block leaves little room (then it is whole sentences or nothing).
      const words = budget === ctx.overlap;
      if (budget > 0) overlap = overlapTail(prev, budget, Math.min(Math.floor(ctx.overlap * 1.5), room), words, ctx.count);
    }

    // Additive estimates decide quickly (an upper bound for subadditive counters like the
    // default). When the estimate is just over the limit, the real count of the candidate
    // decides; a clear overshoot is not worth counting (with a real tokenizer, counting is
    // what costs).
    const slack = Math.max(4, Math.ceil(ctx.max * 0.05));
    let text = overlap;
    let estimate = overlap ? ctx.count(overlap) : 0;
    let j = i;
    while (j < units.length) {
      const u = units[j];
      if (!u) break;
      const candidate = text ? text + u.sep + u.text : u.text;
      const add = text ? ctx.sepTokens(u.sep) + u.tokens : u.tokens;
      if (estimate + add <= ctx.max) {
        estimate += add;
      } else {
        if (estimate + add > ctx.max + slack) break;
        const exact = ctx.count(candidate);
        if (exact > ctx.max) break;
        estimate = exact;
      }
      text = candidate;
      j++;
    }
    if (j === i) {
      overlap = "";
      text = first.text;
      j = i + 1;
    }

    // Tokenizers that are not subadditive can make the estimate too low: verify, and give back.
    let tokenCount = ctx.count(text);
    while (tokenCount > ctx.max && j > i + 1) {
      j--;
      text = join(overlap, i, j);
      tokenCount = ctx.count(text);
    }
    if (tokenCount > ctx.max && overlap) {
      text = join("", i, j);
      tokenCount = ctx.count(text);
    }

    out.push({ ordinal: out.length, heading, content: text, tokenCount });
    prev = text;
    i = j;
  }
}

/**
 * The tail of the previous chunk to repeat: the longest run of whole trailing sentences (or
 * lines) within `budget`; if even the last sentence is longer, that sentence when it stays
 * within `stretch`; else (if `words`) the trailing words within `budget`; else "".
 */
function overlapTail(text: string, budget: number, stretch: number, words: boolean, count: CountTokens): string {
  const tail = (start: number) => text.slice(start).replace(/^\n+/, "").trimEnd();
  const fits = (start: number) => count(tail(start)) <= budget;
  const firstFitting = (starts: readonly number[]): number | undefined => {
    // Tails grow as the start moves left. Gallop leftwards from the last start, then binary
    // search: only tails up to about twice the answer are ever counted.
    const at = (k: number) => starts[k] ?? text.length;
    let good = starts.length - 1;
    if (good < 0 || !fits(at(good))) return undefined;
    let bad = -1;
    for (let step = 1; good - step > bad; step *= 2) {
      const k = good - step;
      if (fits(at(k))) good = k;
      else bad = k;
    }
    while (good - bad > 1) {
      const mid = (good + bad) >>> 1;
      if (fits(at(mid))) good = mid;
      else bad = mid;
    }
    return at(good);
  };
  const sentences = sentenceStarts(text);
  const bySentence = firstFitting(sentences);
  if (bySentence !== undefined) return tail(bySentence);
  const lastSentence = sentences.at(-1);
  if (lastSentence !== undefined && count(tail(lastSentence)) <= stretch) return tail(lastSentence);
  if (!words) return "";
  const byWord = firstFitting(wordStarts(text).filter((p) => p > (lastSentence ?? 0)));
  return byWord !== undefined ? tail(byWord) : "";
}

// ---------------------------------------------------------------------------- segmentation

// A sentence ends with . ! ? … (and closing quotes/brackets) followed by spaces; a line break
// always ends a segment (the next one starts at its line, indentation included); CJK full
// stops need no space.
const BOUNDARY = /[.!?…]+["'”’»)\]]*[ \t\u00a0]+(?=\S)|[ \t]*\n(?:[ \t]*\n)*|(?<=[。！？])(?=\S)/gu;
// Not a sentence end: common abbreviations and initials ("e.g. Foo", "J. Smith").
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|al|approx|mr|mrs|ms|dr|prof|st|no|fig|inc|ltd|jr|sr|[A-Z])\.$/i;

/** Start offsets (> 0) of the second and later sentences/lines of `text` (which has no trailing whitespace). */
function sentenceStarts(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(BOUNDARY)) {
    const pos = m.index + m[0].length;
    if (pos <= 0 || pos >= text.length) continue;
    if (m[0].length > 0 && !m[0].includes("\n")) {
      if (/\p{Ll}/u.test(text[pos] ?? "")) continue;
      if (ABBREVIATION.test(text.slice(Math.max(0, m.index - 12), m.index + 1))) continue;
    }
    if (out.at(-1) !== pos) out.push(pos);
  }
  return out;
}

/** Start offsets (> 0) of the second and later words of `text`. */
function wordStarts(text: string): number[] {
  const out: number[] = [];
  const re = /\s+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const pos = m.index + m[0].length;
    if (pos > 0 && pos < text.length) out.push(pos);
  }
  return out;
}

type Segment = { text: string; sep: string };

/** Separator to re-join two segments: the kind of whitespace that was between them. */
function separatorOf(whitespace: string): string {
  return whitespace.includes("\n\n") ? "\n\n" : whitespace.includes("\n") ? "\n" : " ";
}

function sentenceSegments(text: string): Segment[] {
  const starts = [0, ...sentenceStarts(text)];
  const out: Segment[] = [];
  let sep = "\n\n";
  starts.forEach((start, k) => {
    const raw = text.slice(start, starts[k + 1] ?? text.length);
    const content = raw.trimEnd(); // a line keeps its indentation (nested list items)
    if (content.trim()) out.push({ text: content, sep });
    sep = separatorOf(/\s*$/.exec(raw)?.[0] ?? " ");
  });
  return out;
}

/** Code: one segment per non-blank line, indentation kept, blank lines folded into the separator. */
function lineSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let sep = "\n\n";
  for (const line of text.split("\n")) {
    const content = line.trimEnd();
    if (!content.trim()) {
      if (out.length > 0) sep += "\n";
      continue;
    }
    out.push({ text: content, sep });
    sep = "\n";
  }
  return out;
}

/** Splits one overlong sentence/line between words (then characters) into pieces that leave room for the overlap. */
function splitLong(text: string, ctx: Context): string[] {
  const target = Math.max(1, ctx.max - ctx.overlap);
  const cuts = wordStarts(text);
  const out: string[] = [];
  const ranges = packRanges(
    text.length,
    cuts.length + 1,
    (j) => cuts[j] ?? text.length,
    (a, b) => ctx.count(text.slice(a, b).trim()) <= target,
  );
  for (const { a, b, fits } of ranges) {
    const piece = text.slice(a, b).trim();
    if (!piece) continue;
    if (fits) out.push(piece);
    else out.push(...splitChars(piece, target, ctx.count));
  }
  return out;
}

/** Last resort for a single overlong word: cut between characters (never inside a surrogate pair). */
function splitChars(text: string, target: number, count: CountTokens): string[] {
  const isLowSurrogate = (p: number) => {
    const c = text.charCodeAt(p);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  const ranges = packRanges(
    text.length,
    text.length,
    (j) => (j + 1 < text.length && isLowSurrogate(j + 1) ? j + 2 : j + 1),
    (a, b) => count(text.slice(a, b)) <= target,
  );
  return ranges.map(({ a, b }) => text.slice(a, b)).filter(Boolean);
}

/**
 * Greedy packing over candidate cut positions `pos(0) <= … <= pos(n - 1) === len`: from each
 * start, the farthest cut whose range still `fits` (galloping, then binary search; `fits` is
 * assumed monotone). A range that cannot fit even up to the nearest cut is returned with
 * `fits: false` for the caller to split further.
 */
function packRanges(
  len: number,
  n: number,
  pos: (j: number) => number,
  fits: (a: number, b: number) => boolean,
): Array<{ a: number; b: number; fits: boolean }> {
  const out: Array<{ a: number; b: number; fits: boolean }> = [];
  let from = 0;
  let k = 0;
  while (from < len) {
    while (k < n - 1 && pos(k) <= from) k++;
    const nearest = pos(k);
    if (nearest <= from) break;
    if (!fits(from, nearest)) {
      out.push({ a: from, b: nearest, fits: false });
      from = nearest;
      k++;
      continue;
    }
    let good = k;
    let bad = n;
    for (let step = 1; good + step < bad; step *= 2) {
      const j = good + step;
      if (fits(from, pos(j))) good = j;
      else bad = j;
    }
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      if (fits(from, pos(mid))) good = mid;
      else bad = mid;
    }
    const end = pos(good);
    out.push({ a: from, b: end, fits: true });
    from = end;
    k = good + 1;
  }
  return out;
}
