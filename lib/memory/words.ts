// The content words of a memory or a question, for the word-overlap side of recall and for telling
// whether a new statement restates an old one. Any language: lib/text/segment.ts splits Chinese and
// Japanese into words (splitting on non-letters made a whole Chinese sentence one "word", so a Chinese
// question shared no word with anything); stopwords and particles are dropped, English words lose one
// common suffix.
import { segmentWords } from "../text/segment";
import { stem } from "../text/stem";

export { stem };

// Words that say nothing about a fact ("what", "have", "the"): counted as overlap, they ranked stored
// questions and small talk for every "What …?" and let them past the similarity threshold
// (bench:memory: 59% of raw-mode injections were such noise). PostgreSQL's english.stop, plus greetings.
const ENGLISH = (
  "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their " +
  "theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the " +
  "and but if or because as until while of at by for with about against between into through during before after above below to from up down in " +
  "out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only " +
  "own same so than too very s t can will just don should now i'm i've i'd i'll it's hi hello hey thanks thank please ok okay"
).split(" ");

// The same for Chinese (Traditional and Simplified): pronouns, particles, copulas, measure words and
// question words, as the segmenter returns them. "我住在哪裡？" keeps 住在, not 我 / 哪裡.
const CHINESE = (
  "的 了 是 我 你 您 他 她 它 我們 我们 你們 你们 他們 他们 她們 她们 咱們 咱们 嗎 吗 呢 吧 啊 呀 哦 喔 嗯 啦 哈 " +
  "在 有 和 跟 與 与 及 也 都 就 還 还 很 太 更 最 這 这 那 這個 这个 那個 那个 這些 这些 那些 個 个 隻 只 台 輛 辆 位 本 件 條 条 一 一個 一个 " +
  "什麼 什么 甚麼 哪 哪個 哪个 哪裡 哪里 哪兒 哪儿 怎麼 怎么 怎樣 怎样 多少 幾 几 誰 谁 為什麼 为什么 " +
  "不 去 把 被 對 对 給 给 讓 让 會 会 要 想 能 可以 請 请 幫 帮 告訴 告诉 知道 現在 现在 目前 一下 " +
  "一隻 一只 一台 一輛 一辆 一位 一本 一件 一條 一条 的是 就是 也是 還是 还是 不是 " +
  "你好 您好 謝謝 谢谢 好的 好 嗨"
).split(" ");

const STOPWORDS = new Set([...ENGLISH, ...CHINESE]);

const LATIN = /^[\p{Script=Latin}\p{N}'’]+$/u;


/**
 * The content words of `text`: segmented (any script), lower-cased, without stopwords; Latin words
 * stemmed and kept from 3 letters (numbers at any length: "35", "0912"); CJK words at any length
 * (one Chinese character is often a whole word: 狗, 車).
 */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of segmentWords(text)) {
    const w = raw.replace(/['’]s$/u, "");
    if (STOPWORDS.has(raw) || STOPWORDS.has(w)) continue;
    if (LATIN.test(w)) {
      if (/^\p{N}+$/u.test(w)) out.add(w);
      else if (w.length >= 3) out.add(stem(w));
    } else {
      // ICU keeps a pronoun or particle glued to its neighbour ("我的", "我在", "狗叫"): off it comes.
      const core = w.replace(/^[我你您他她它]+(?=.)/u, "").replace(/(?<=.)[的了嗎吗呢吧啊呀叫]+$/u, "");
      if (!STOPWORDS.has(core)) out.add(core);
    }
  }
  return out;
}
