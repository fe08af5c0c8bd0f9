// Synthetic memories for the latency runs: short first-person facts like the ones raw mode stores,
// drawn deterministically (seeded PRNG) from templates, all distinct.

/** mulberry32 (as in bench/rag/corpus.ts, copied so the two benchmarks stay independent). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ["Paris", "Berlin", "Lisbon", "Toronto", "Osaka", "Leeds", "Utrecht", "Nairobi", "Denver", "Krakow", "Seville", "Hanoi", "Perth", "Oslo", "Quito"];
const NAMES = ["Mia", "Noah", "Lea", "Sam", "Kiwi", "Bolt", "Mochi", "Ravi", "Ines", "Tomas", "Yuki", "Omar", "Zoe", "Hugo", "Nia"];
const FOODS = ["ramen", "tacos", "lentil soup", "sushi", "paella", "dumplings", "falafel", "risotto", "pho", "curry", "pierogi", "shakshuka"];
const JOBS = ["nurse", "plumber", "data analyst", "architect", "teacher", "chef", "lawyer", "pilot", "translator", "electrician", "librarian", "vet"];
const HOBBIES = ["pottery", "chess", "bouldering", "knitting", "salsa dancing", "birdwatching", "sailing", "photography", "gardening", "running", "baking", "cycling"];
const PETS = ["dog", "cat", "rabbit", "parrot", "hamster", "tortoise", "ferret", "goldfish"];
const RELATIVES = ["sister", "brother", "cousin", "aunt", "uncle", "grandmother", "best friend", "neighbour"];
const DAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "weekends"];
const THINGS = ["a blue bicycle", "an old laptop", "a vintage camera", "a small sailboat", "a guitar", "an e-reader", "a campervan", "a sewing machine"];

const TEMPLATES: ((p: <T>(xs: readonly T[]) => T) => string)[] = [
  (p) => `I live in ${p(CITIES)} near the ${p(["river", "station", "park", "old town", "harbour"])}.`,
  (p) => `My favourite food is ${p(FOODS)} with ${p(["rice", "bread", "extra chilli", "lemon", "salad"])}.`,
  (p) => `I work as a ${p(JOBS)} in ${p(CITIES)}.`,
  (p) => `I have a ${p(PETS)} called ${p(NAMES)}.`,
  (p) => `My ${p(RELATIVES)} ${p(NAMES)} lives in ${p(CITIES)}.`,
  (p) => `I go ${p(HOBBIES)} on ${p(DAYS)}.`,
  (p) => `I'm learning ${p(["Spanish", "Japanese", "German", "Italian", "Korean", "Arabic", "Portuguese"])} for a trip to ${p(CITIES)}.`,
  (p) => `I own ${p(THINGS)} that I bought in ${p(CITIES)}.`,
  (p) => `I don't like ${p(FOODS)} because of the ${p(["smell", "texture", "spice", "price"])}.`,
  (p) => `My ${p(RELATIVES)} and I are planning a ${p(HOBBIES)} weekend in ${p(CITIES)}.`,
  (p) => `Can you remind me to call ${p(NAMES)} about the ${p(["rent", "party", "car", "holiday", "wedding"])}?`,
  (p) => `What's a good ${p(["book", "podcast", "film", "recipe"])} about ${p(HOBBIES)}?`,
];

export function syntheticMemories(n: number, seed = 7): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out = new Set<string>();
  for (let tries = 0; out.size < n; tries++) {
    if (tries > n * 50) throw new Error(`could not draw ${n} distinct synthetic memories`);
    out.add(pick(TEMPLATES)(pick));
  }
  return [...out];
}

// The same for Chinese users (Traditional and Simplified mixed): what a zh user's raw memories look like.
const ZH_CITIES = ["台北", "高雄", "台中", "新竹", "北京", "上海", "广州", "深圳", "成都", "杭州", "台南", "香港"];
const ZH_NAMES = ["小白", "咪咪", "旺财", "花花", "阿福", "豆豆", "雅婷", "志明", "王芳", "李娜"];
const ZH_FOODS = ["牛肉麵", "火锅", "小籠包", "拉面", "饺子", "滷肉飯", "麻婆豆腐", "烤鸭", "珍珠奶茶", "粤菜"];
const ZH_JOBS = ["會計", "护士", "老師", "工程师", "醫生", "设计师", "律師", "厨师", "分析師", "司机"];
const ZH_HOBBIES = ["跑步", "游泳", "瑜伽", "篮球", "爬山", "畫畫", "钢琴", "攝影", "钓鱼", "下棋"];
const ZH_PETS = ["狗", "貓", "兔子", "鹦鹉", "仓鼠", "乌龟"];
const ZH_TEMPLATES: ((p: <T>(xs: readonly T[]) => T) => string)[] = [
  (p) => `我住在${p(ZH_CITIES)}，离${p(["公园", "车站", "海边", "夜市", "学校"])}很近。`,
  (p) => `我最喜歡吃${p(ZH_FOODS)}，尤其是${p(["晚上", "週末", "冬天", "下雨天"])}。`,
  (p) => `我在${p(ZH_CITIES)}當${p(ZH_JOBS)}。`,
  (p) => `我養了一隻${p(ZH_PETS)}，叫${p(ZH_NAMES)}。`,
  (p) => `我每週${p(["一", "二", "三", "四", "五", "六"])}去${p(ZH_HOBBIES)}。`,
  (p) => `我的${p(["姊姊", "哥哥", "妹妹", "弟弟", "表哥"])}${p(ZH_NAMES)}住在${p(ZH_CITIES)}。`,
  (p) => `我正在学${p(["日文", "英文", "韩文", "法文", "德文"])}，准备去${p(ZH_CITIES)}旅行。`,
  (p) => `我不喜歡${p(ZH_FOODS)}，因為${p(["太辣", "太油", "太贵", "味道太重"])}。`,
];

export function syntheticMemoriesZh(n: number, seed = 11): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out = new Set<string>();
  for (let tries = 0; out.size < n; tries++) {
    if (tries > n * 50) throw new Error(`could not draw ${n} distinct synthetic memories`);
    out.add(`${pick(ZH_TEMPLATES)(pick)}${tries % 7 === 0 ? "" : ` (${out.size})`}`);
  }
  return [...out];
}
