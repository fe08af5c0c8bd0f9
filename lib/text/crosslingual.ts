// The words of a question in the other language (Chinese ↔ English), for the cross-lingual keyword
// list of hybrid retrieval (lib/rag/retrieve.ts). Dictionary lookups only (lib/text/glossary.ts): no
// model, no network. A Chinese question gives the English words of its words' first senses; an
// English question gives the Chinese words (both scripts) whose first senses are its words or
// two- and three-word phrases ("factory reset", "power button").
import { glossary, type Glossary } from "./glossary";
import { hasCjk, lexicalTerms, segmentWords } from "./segment";

const HAN = /^\p{Script=Han}+$/u;
const STOP = new Set(
  ("i me my we our you your he she it its they them their what which who whom this that these those am is are was were be been being have has had " +
    "do does did a an the and but if or because as until while of at by for with about to from in out on off up down then once here there when where " +
    "why how all any both each few more most other some such no nor not only own same so than too very can will just should now may might must " +
    "would could get got please tell know need want " +
    // Question words whose dictionary senses are something else ("how long" is not 悠久, "how many" not 多个).
    "many much long often take make run full mean means does").split(" "),
);

/** English inflections back to the dictionary's base forms, most likely first. */
function baseForms(w: string): string[] {
  const out = [w];
  if (w.endsWith("ies")) out.push(w.slice(0, -3) + "y");
  if (w.endsWith("es")) out.push(w.slice(0, -2));
  if (w.endsWith("s") && !w.endsWith("ss")) out.push(w.slice(0, -1));
  if (w.endsWith("ing")) out.push(w.slice(0, -3), w.slice(0, -3) + "e");
  if (w.endsWith("ed")) out.push(w.slice(0, -2), w.slice(0, -1));
  return out;
}

function toEnglish(g: Glossary, query: string): string[][] {
  // Runs of Han text, re-split by longest dictionary match: ICU's dictionary splits 实体门店 into
  // 实体 门 店, where CC-CEDICT has 门店 (store).
  const runs: string[] = [];
  let run = "";
  for (const word of segmentWords(query)) {
    if (HAN.test(word)) {
      run += word;
    } else if (run) {
      runs.push(run);
      run = "";
    }
  }
  if (run) runs.push(run);
  const out: string[][] = [];
  for (const text of runs) {
    for (let i = 0; i < text.length; ) {
      const n = g.longestAt(text, i);
      const piece = Array.from(text.slice(i)).slice(0, Math.max(1, n)).join("");
      // A single character's senses are many and loose: its first word only.
      if (n > 0) out.push(g.english(piece).slice(0, n === 1 ? 1 : 6));
      i += piece.length;
    }
  }
  return out;
}

function toChinese(g: Glossary, query: string): string[][] {
  const words = segmentWords(query).filter((w) => !HAN.test(w));
  const out: string[][] = [];
  const used = new Set<number>();
  // Phrases first, so "factory reset" is one term rather than "factory" and "reset".
  for (const n of [3, 2]) {
    for (let i = 0; i + n <= words.length; i++) {
      const slice = words.slice(i, i + n);
      if (slice.some((w, j) => STOP.has(w) || used.has(i + j))) continue;
      const hits = g.chinese(slice.join(" "));
      if (hits.length === 0) continue;
      out.push(hits);
      for (let j = 0; j < n; j++) used.add(i + j);
    }
  }
  words.forEach((w, i) => {
    if (used.has(i) || STOP.has(w) || /\d/.test(w)) return;
    // The word as written and its first base form the dictionary has ("minutes": 纪要, and "minute": 分钟).
    const [asIs, ...bases] = baseForms(w);
    const group = g.chinese(asIs!);
    const base = bases.map((form) => g.chinese(form)).find((hits) => hits.length > 0) ?? [];
    if (group.length + base.length > 0) out.push([...group, ...base]);
  });
  return out.map((group) => group.flatMap((w) => lexicalTerms(w)));
}

/**
 * The question's words in the other language, one group of alternatives per word or phrase of the
 * question ("refund" → [退款, 退还, 退還]; none when no word is in the dictionary, or the language is
 * not one it bridges), and its codes and numbers ("A5", "E47"), which are the same in every language
 * and tell near-duplicate products apart. Retrieval ranks passages by how many of them they match
 * (lib/rag/store.ts, crossLingualSearch).
 */
export async function crossLingualGroups(query: string): Promise<{ translated: string[][]; codes: string[] }> {
  const g = await glossary();
  const translated = (hasCjk(query) ? toEnglish(g, query) : toChinese(g, query)).filter((group) => group.length > 0).map((group) => [...new Set(group)]);
  const codes = [...new Set(segmentWords(query).filter((w) => /\d/.test(w) && /^[\p{L}\p{N}]+$/u.test(w)))];
  return { translated, codes };
}
