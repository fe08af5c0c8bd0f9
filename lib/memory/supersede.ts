// Raw mode without a model: does a new statement of an end user replace one of their stored memories?
// "I moved to Kaohsiung" replaces "I live in Taipei"; "我的手機號碼換成0987654321了" replaces
// "我的手機號碼是0912345678"; "I also adopted a cat called Tofu" replaces nothing ("I have a dog named
// Pepper" is still true). Stored both, raw mode injected the stale statement next to the new one for
// 28 of 31 corrected facts of issue 19's held-out set.
//
// A statement supersedes an old memory of the same user when one of three rules holds, each only for
// statements about the user themselves (not "my sister lives in …") and never when the new one says
// it adds ("also", "as well", "還", "也"):
// 1. Same single-valued attribute: both state the user's city, job, name, age, phone number, car,
//    budget, diet, drink, marital status or "favourite X", and the old one states no attribute the
//    new one doesn't (so "I'm Emre, from Istanbul, living in Amsterdam" is not replaced by "I live in
//    Utrecht now": that would lose the name and the origin). Attributes are many-valued otherwise
//    (pets, siblings, allergies, languages, hobbies) and two such facts are both kept.
// 2. A change said in so many words ("no longer", "stopped", "quit", "sold", "instead", "anymore",
//    "不再", "不…了", "改成") about something the old memory names (a content word in common), when
//    the old one states at most the one attribute being changed.
// 3. A restatement: most content words the same (Jaccard ≥ 0.5, at least two shared) and, where the
//    local embedding model can read the language (it is English-only), cosine ≥ 0.6.
// When the old statement says more than the corrected attribute ("Hi, I'm Grace and I live in
// Taipei."), the clauses about that attribute are cut out of it and the rest stays ("Hi, I'm Grace").
// The thresholds come from bench:memory's sets (bench/memory/script*.ts); see docs/memory notes in
// README "RAG and agent memory".
import { cosineSimilarity } from "../vector-codec";
import { hasCjk } from "../text/segment";
import { contentWords } from "./words";

export interface StoredMemory {
  id: string;
  content: string;
  vector: Float32Array | null;
}

const RESTATE_JACCARD = 0.5;
const RESTATE_SHARED = 2;
const RESTATE_COSINE = 0.6;

type Attr = string;

// Single-valued attributes of the user, English and Chinese (Traditional and Simplified) cues.
// Tested on the NFKC, lower-cased text except where a capital letter is the cue (a name).
const ATTRIBUTES: { attr: Attr; re: RegExp; cased?: boolean }[] = [
  { attr: "name", re: /\bmy name(?:'s| is)\b|\b(?:call me|i'm called|i am called)\b|我叫|我的名字|名字(?:是|叫)/ },
  { attr: "name", re: /(?:^|[,.!] ?)(?:hi|hello|hey)?[,!. ]*(?:I'm|I am) [A-Z][a-z]+\b/, cased: true },
  { attr: "name", re: /(?:^|[，。！,.!])我是[\u4e00-\u9fff]{2,3}(?=[，。！,.!]|$)(?<![生師师員员家者人])/ },
  { attr: "age", re: /\b\d{1,3} years? old\b|\bi(?:'m| am) \d{1,3}\b|\bturned \d{1,3}\b|\bmy age\b|\d{1,3} ?[歲岁]|年齡|年龄/ },
  {
    attr: "city",
    re: /\b(?:i|we)\b[^.,;!?]{0,20}\b(?:live|living|lives|moved|moving|relocated|reside|based in|rent (?:a|an) (?:room|flat|apartment|house))\b|\bmy (?:home|address) is\b|(?:我|我們|我们|全家)[^，。！？,.!?]{0,6}?(?:住在|住|搬到|搬去|搬回|搬家|定居)/,
  },
  {
    attr: "job",
    re: /\bwork(?:s|ed|ing)? (?:[a-z]+ )?(?:as|at|for)\b|\bmy job\b|\bjob (?:at|as)\b|\bpromoted\b|\bgraduated\b|\bi(?:'m| am| have| just)? retired\b|\bstarted working\b|\bi teach\b|(?:^|\bi'm|\bi am|\bas|,) ?(?:now )?(?:a|an) [a-z -]{0,20}(?:teacher|engineer|nurse|doctor|student|accountant|analyst|designer|developer|programmer|chef|lawyer|manager|consultant|writer|artist|driver|pilot|scientist|researcher)\b|\bquit (?:my job|the job|accounting|teaching|nursing)|工作|上班|(?:是|當|当)[^，。]{0,4}?(?:老師|老师|護士|护士|工程師|工程师|會計|会计|醫生|医生|學生|学生|研究生|分析師|分析师|設計師|设计师)|畢業|毕业|退休|辭職|辞职/,
  },
  { attr: "phone", re: /\b(?:phone|mobile|cell) number\b|\bmy number\b|手機號|手机号|電話號|电话号/ },
  { attr: "email", re: /\be-?mail address\b|郵箱|邮箱|電子郵件|电子邮件/ },
  { attr: "car", re: /\bi(?:'m| am)? (?:now )?driv(?:e|ing)\b|\bmy car\b|\bsold (?:the|my) (?:car|\w+)[;,.] i drive|[開开](?:一[台輛辆部])?[^，。始心]{0,4}[車车]|(?:現在|现在|我)[開开](?![始心])/ },
  { attr: "budget", re: /\bbudget\b|預算|预算/ },
  { attr: "food", re: /\bvegan\b|\bvegetarian\b|\bno longer eats? (?:meat|fish)\b|吃素|素食/ },
  { attr: "drink", re: /\bi\b[^.;!?]{0,20}\b(?:drink|prefer (?:tea|coffee))\b|\b(?:tea|coffee) over\b|\bcaffeine\b|喜[歡欢]喝|改喝|只喝|[喝飲饮](?:咖啡|茶)/ },
  { attr: "marital", re: /\bmarried\b|\bdivorced\b|\bengaged\b|\bi(?:'m| am) single\b|結婚|结婚|離婚|离婚|單身|单身|訂婚|订婚/ },
];

const FAVOURITE_EN = /\bfavou?rite ([a-z]+)/;
const FAVOURITE_ZH = /最喜[歡欢]的?([\u4e00-\u9fff]{0,3}?)的?是/;
// "favourite food" and "最喜歡吃的是" are the food attribute; "colour" and "顏色" the same one too.
const FAVOURITE_ALIASES: Record<string, string> = { food: "food", dish: "food", meal: "food", 吃: "food", color: "colour", 顏色: "colour", 颜色: "colour" };

// Someone else is the subject: "my sister Lea lives in …", "她搬到…".
const OTHER_PERSON =
  /\bmy (?:wife|husband|partner|sister|brother|mom|mum|mother|dad|father|son|daughter|friend|boyfriend|girlfriend|boss|colleague|cousin|aunt|uncle|grandmother|grandfather|kids?|child|children|neighbou?r)\b(?:,? [a-z]+)?,? (?:is|was|lives|works|moved|has|just|will|likes|loves|turned|drives)\b|^(?:he|she|they)\b|(?:姊姊|姐姐|妹妹|哥哥|弟弟|媽媽|妈妈|爸爸|老婆|老公|太太|丈夫|妻子|朋友|兒子|儿子|女兒|女儿|同事|老闆|老板)[\u4e00-\u9fff]{0,3}?(?:住|搬|在|是|當|当|開|开|工作)|^(?:他|她)/;
// The user adds to what they said before rather than replacing it.
const ADDITIVE = /\b(?:also|as well|too|another|second)\b|[也還还另]/;
// A change said in so many words.
const CHANGE =
  /\bno longer\b|\banymore\b|\bstopped\b|\bquit\b|\bgave up\b|\bgiven up\b|\bswitched\b|\binstead\b|\bfrom now on\b|\bcut out\b|\bsold\b|\bcancell?ed\b|\bpassed away\b|\bdied\b|不再|再也不|不[\u4e00-\u9fff]{1,4}了|改成|改[喝吃用開开]|戒[了掉]|辭掉|辞掉/;

// The cue words themselves (as contentWords stems them): two changes share "instead", not a topic.
const CUE_WORDS = new Set(["instead", "anymor", "longer", "stopp", "quit", "gave", "given", "switch", "sold", "cancel", "cancell", "pass", "away", "di", "cut", "不再", "再也", "改成"]);

export interface Statement {
  text: string;
  attrs: Set<Attr>;
  words: Set<string>;
  aboutOther: boolean;
  additive: boolean;
  change: boolean;
}

export function analyse(text: string): Statement {
  const lower = text.normalize("NFKC").toLowerCase();
  const cased = text.normalize("NFKC");
  const aboutOther = OTHER_PERSON.test(lower);
  const attrs = new Set<Attr>();
  if (!aboutOther) {
    for (const a of ATTRIBUTES) if (a.re.test(a.cased ? cased : lower)) attrs.add(a.attr);
    const fav = FAVOURITE_EN.exec(lower)?.[1] ?? FAVOURITE_ZH.exec(lower)?.[1];
    if (fav !== undefined) attrs.add(FAVOURITE_ALIASES[fav] ?? `favourite:${fav}`);
  }
  return { text, attrs, words: contentWords(text), aboutOther, additive: ADDITIVE.test(lower), change: CHANGE.test(lower) };
}

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

/** Which rule (if any) lets `next` supersede `old`; `cosine` is null when the vectors are missing or unusable for the language. */
export function supersedes(next: Statement, old: Statement, cosine: number | null): "attribute" | "change" | "restatement" | null {
  if (next.aboutOther || old.aboutOther || next.additive) return null;
  const shared = [...next.words].filter((w) => old.words.has(w) && !CUE_WORDS.has(w)).length;
  // A change in so many words about what the old memory names ("I sold the Corolla" → "I drive a
  // 2012 Toyota Corolla"): the old one may carry one attribute, the one being changed.
  if (next.change && shared > 0 && (subset(old.attrs, next.attrs) || (old.attrs.size === 1 && next.attrs.size === 0))) return "change";
  // Never by losing a fact: the old statement may name no attribute the new one does not.
  if (!subset(old.attrs, next.attrs)) return null;
  if (old.attrs.size > 0) return "attribute"; // old ⊆ next and non-empty: same single-valued attribute
  const union = new Set([...next.words, ...old.words]).size;
  if (shared >= RESTATE_SHARED && shared / union >= RESTATE_JACCARD && (cosine === null || cosine >= RESTATE_COSINE)) return "restatement";
  return null;
}

// Clause boundaries: after a comma or a sentence end (either width), and before "and I" / "but I".
const CLAUSES = /(?<=[,，;；。!！.])\s*|\s+(?=(?:and|but|so) (?:i|i'm|i am|we)\b)/i;

/**
 * What is left of `old` once the clauses stating `next`'s attributes are cut out ("Hi, I'm Grace and
 * I live in Taipei." → "Hi, I'm Grace" after "I moved to Kaohsiung"), or null when the statement
 * cannot be cut cleanly: a clause that states a changed attribute and another one too, or nothing of
 * substance left.
 */
export function remainderAfter(next: Statement, old: Statement): string | null {
  if (next.aboutOther || old.aboutOther || next.additive) return null;
  if (![...old.attrs].some((a) => next.attrs.has(a)) || subset(old.attrs, next.attrs)) return null;
  const kept: string[] = [];
  let cut = false;
  for (const clause of old.text.split(CLAUSES)) {
    if (clause.trim() === "") continue;
    const c = analyse(clause);
    const changed = [...c.attrs].filter((a) => next.attrs.has(a));
    if (changed.length === 0) kept.push(clause.trim());
    else if (changed.length === c.attrs.size) cut = true;
    else return null; // one clause, two attributes, one of them changed: no clean cut
  }
  const rest = kept.join(" ").replace(/[\s,，;；]+$/u, "");
  if (!cut || contentWords(rest).size === 0) return null;
  // The cut must not leave the changed attribute behind (a clause split missed it).
  return [...analyse(rest).attrs].some((a) => next.attrs.has(a)) ? null : rest;
}

/**
 * The memories among `stored` (one user's) that the new statement replaces, the closest first, and
 * those it corrects only in part (`keep`: what stays of them). The local embedding model only reads
 * English, so cosine counts only when neither text has CJK.
 */
export function supersededMemories(text: string, vector: Float32Array | null, stored: StoredMemory[]): { id: string; rule: string; keep?: string }[] {
  const next = analyse(text);
  if (next.aboutOther || next.additive) return [];
  const out: { id: string; rule: string; cosine: number; keep?: string }[] = [];
  for (const m of stored) {
    if (m.content === text) continue;
    const usable = vector && m.vector && !hasCjk(text) && !hasCjk(m.content);
    const cosine = usable ? cosineSimilarity(vector, m.vector!) : null;
    const old = analyse(m.content);
    const rule = supersedes(next, old, cosine);
    if (rule) out.push({ id: m.id, rule, cosine: cosine ?? 0 });
    else {
      const keep = remainderAfter(next, old);
      if (keep !== null) out.push({ id: m.id, rule: "part", cosine: -1, keep });
    }
  }
  return out.sort((a, b) => b.cosine - a.cosine).map(({ id, rule, keep }) => (keep === undefined ? { id, rule } : { id, rule, keep }));
}

// How questions name the same attributes ("How old am I?", "我今年幾歲？"): recall adds the attributes a
// question asks about to its words, so "我住在哪個城市？" finds "我搬到高雄了。" with no word in common.
const QUESTION_CUES: { attr: Attr; re: RegExp }[] = [
  { attr: "city", re: /\bwhere do i live\b|\b(?:which|what) city\b|\bbased in\b|城市|住在哪|住哪/ },
  { attr: "job", re: /\bfor a living\b|\bmy job\b|\bwhat do i do\b|\bwork\b|\bmy role\b|\boccupation\b|工作|職業|职业/ },
  { attr: "age", re: /\bhow old\b|\bmy age\b|幾歲|几岁|多大|年紀|年纪/ },
  { attr: "phone", re: /\bphone\b|\bmobile\b|手機|手机|電話|电话/ },
  { attr: "car", re: /\bcar\b|\bdrive\b|[車车]/ },
  { attr: "name", re: /\bmy name\b|\bwhat i'm called\b|^我叫什[麼么]|我的名字/ },
  { attr: "drink", re: /\bdrink\b|\bcoffee\b|\btea\b|喝/ },
  { attr: "food", re: /\beat\b|\bmeals?\b|\bdinner\b|\bfood\b|吃/ },
  { attr: "colour", re: /\bcolou?r\b|顏色|颜色/ },
];

// Topics that may hold several facts at once (never a reason to supersede), named the same way in
// statements and questions, so "我平常做什麼運動？" finds "…改成游泳。".
const TOPICS: { attr: Attr; re: RegExp }[] = [
  { attr: "sport", re: /\b(?:sports?|exercise|running|run|swim(?:ming)?|gym|yoga|basketball|football|tennis|cycling|marathon|climbing)\b|運動|运动|跑步|游泳|籃球|篮球|瑜伽|健身|足球|網球|网球|騎車|骑车|爬山/ },
  { attr: "pet", re: /\b(?:pets?|dogs?|cats?|parrot|hamster|rabbit|puppy|kitten)\b|寵物|宠物|狗|貓|猫|鸚鵡|鹦鹉|兔子/ },
  { attr: "transport", re: /\b(?:get around|commute|bike|bicycle|train|bus|subway|metro)\b|通勤|捷運|地铁|地鐵|公車|公交|腳踏車|自行车|火車|火车/ },
];

/** The attributes and topics a text states or asks about, as pseudo-words for recall's word overlap ("@city"). */
export function attributeWords(text: string, question: boolean): string[] {
  const s = analyse(text);
  const lower = s.text.normalize("NFKC").toLowerCase();
  const attrs = new Set(s.attrs);
  if (!s.aboutOther) for (const t of TOPICS) if (t.re.test(lower)) attrs.add(t.attr);
  if (question) for (const c of QUESTION_CUES) if (c.re.test(lower)) attrs.add(c.attr);
  return [...attrs].map((a) => `@${a}`);
}
