// The multilingual labelled set of `npm run bench:rag` (issue 19, item 6): customer-service and
// product-manual documents in English, Traditional Chinese and Simplified Chinese, written for this
// benchmark (no downloads, no randomness: every fact is in the tables below).
//
// - 25 product manuals (10 English, 8 zh-Hant, 7 zh-Hans) of five one-paragraph sections each
//   (battery, warranty, factory reset, error code, maintenance). 18 of them come in families of
//   near-duplicates ("Aurora X1" / "X2" / "X3"; 小鯨 S1 / S2 / S3) whose text differs only in the
//   model name and the numbers.
// - 7 store policies (returns, refunds, shipping), also near-duplicates per language (online store
//   vs. retail stores), and 6 distractors that share vocabulary with the manuals and policies but
//   answer nothing (battery recycling, opening hours, loyalty points, company news).
// - ~125 questions labelled by kind:
//     lexical     reuses the passage's own words, in the document's language;
//     confusable  the same, for a document with a near-duplicate (only the model name or store tells them apart);
//     numeric     the key is a number or a code ("What does error E47 mean?", "料號 NB-2231 是哪個零件?");
//     paraphrase  no content word (no shared Chinese word or character pair) in common with the passage besides the product name;
//     cross-lingual  an English question about a Chinese document (naming the product by its model
//                 code, as an English speaker would) or a Chinese question about an English one;
//     cross-script  a Simplified Chinese question about a Traditional Chinese document, or the reverse.
//   and by language (en, zh-Hant, zh-Hans). The label is (document, section key); a passage hit is
//   the answering chunk in the top 5, a document hit any chunk of the answering document.
import type { Block } from "@/lib/rag/extract/types";

export type Lang = "en" | "zh-Hant" | "zh-Hans";
export type MlKind = "lexical" | "confusable" | "numeric" | "paraphrase" | "cross-lingual" | "cross-script";
export const ML_KINDS: MlKind[] = ["lexical", "confusable", "numeric", "paraphrase", "cross-lingual", "cross-script"];
export const ML_LANGS: Lang[] = ["en", "zh-Hant", "zh-Hans"];

export interface MlDoc {
  title: string;
  lang: Lang;
  blocks: Block[];
  /** Section keys in order; with one chunk per section, the chunk ordinal is the index here. */
  sections: { key: string; title: string }[];
}

export interface MlQuestion {
  id: string;
  query: string;
  kind: MlKind;
  lang: Lang;
  /** The answering document (index into docs) and section key. */
  doc: number;
  section: string;
}

interface Product {
  lang: Lang;
  brand: string;
  model: string;
  /** How an English speaker names a Chinese product ("A5 air purifier"), and a Chinese speaker an English one (its name). */
  category: { en: string; zh: string };
  family: boolean;
  minutes: number;
  hours: number;
  years: number;
  seconds: number;
  button: { en: string; "zh-Hant": string; "zh-Hans": string };
  code: string;
  fault: number;
  part: { en: string; "zh-Hant": string; "zh-Hans": string };
  months: number;
  pn: string;
}

const B = {
  mode: { en: "mode", "zh-Hant": "模式", "zh-Hans": "模式" },
  timer: { en: "timer", "zh-Hant": "定時", "zh-Hans": "定时" },
  wifi: { en: "Wi-Fi", "zh-Hant": "Wi-Fi", "zh-Hans": "Wi-Fi" },
};
const PART = {
  brush: { en: "side brush", "zh-Hant": "邊刷", "zh-Hans": "边刷" },
  filter: { en: "HEPA filter", "zh-Hant": "HEPA 濾網", "zh-Hans": "HEPA 滤网" },
  burr: { en: "burr set", "zh-Hant": "刀盤", "zh-Hans": "刀盘" },
  grille: { en: "intake grille", "zh-Hant": "進風網", "zh-Hans": "进风网" },
  diffuser: { en: "light diffuser", "zh-Hant": "燈罩", "zh-Hans": "灯罩" },
  mesh: { en: "speaker mesh", "zh-Hant": "喇叭網", "zh-Hans": "喇叭网" },
};
const CAT = {
  vacuum: { en: "robot vacuum", zh: "掃地機器人", hans: "扫地机器人" },
  purifier: { en: "air purifier", zh: "空氣清淨機", hans: "空气净化器" },
  grinder: { en: "coffee grinder", zh: "磨豆機", hans: "磨豆机" },
  dryer: { en: "hair dryer", zh: "吹風機", hans: "吹风机" },
  lamp: { en: "desk lamp", zh: "檯燈", hans: "台灯" },
  speaker: { en: "Bluetooth speaker", zh: "藍牙喇叭", hans: "蓝牙音箱" },
};
const cat = (c: (typeof CAT)[keyof typeof CAT], lang: Lang) => ({ en: c.en, zh: lang === "zh-Hans" ? c.hans : c.zh });

// Faults: cause and fix per language, and a paraphrase of the symptom that shares no content word with either.
const FAULTS = [
  {
    en: ["the dust bin is full", "empty the dust bin and press start again"],
    "zh-Hant": ["集塵盒已滿", "清空集塵盒後再按啟動"],
    "zh-Hans": ["集尘盒已满", "清空集尘盒后再按启动"],
  },
  {
    en: ["the motor has overheated", "switch it off and let it cool down for 30 minutes"],
    "zh-Hant": ["馬達過熱", "關機並靜置三十分鐘散熱"],
    "zh-Hans": ["电机过热", "关机并静置三十分钟散热"],
  },
  {
    en: ["the filter is blocked", "rinse the filter under running water and let it dry"],
    "zh-Hant": ["濾網堵塞", "用清水沖洗濾網並晾乾"],
    "zh-Hans": ["滤网堵塞", "用清水冲洗滤网并晾干"],
  },
  {
    en: ["the battery is too low", "connect the charger for at least ten minutes"],
    "zh-Hant": ["電量過低", "接上充電器至少十分鐘"],
    "zh-Hans": ["电量过低", "接上充电器至少十分钟"],
  },
];

const P = (
  lang: Lang,
  brand: string,
  model: string,
  c: (typeof CAT)[keyof typeof CAT],
  family: boolean,
  minutes: number,
  hours: number,
  years: number,
  seconds: number,
  button: Product["button"],
  code: string,
  fault: number,
  part: Product["part"],
  months: number,
  pn: string,
): Product => ({ lang, brand, model, category: cat(c, lang), family, minutes, hours, years, seconds, button, code, fault, part, months, pn });

// Numbers (minutes), error codes and part numbers are unique across the corpus: numeric questions have one answer.
const PRODUCTS: Product[] = [
  P("en", "Aurora", "X1", CAT.vacuum, true, 90, 4, 1, 5, B.mode, "E12", 0, PART.brush, 3, "AU-1120"),
  P("en", "Aurora", "X2", CAT.vacuum, true, 120, 5, 2, 8, B.mode, "E21", 0, PART.brush, 4, "AU-2210"),
  P("en", "Aurora", "X3", CAT.vacuum, true, 150, 6, 3, 10, B.wifi, "E35", 3, PART.brush, 6, "AU-3350"),
  P("en", "Nimbus", "200", CAT.purifier, true, 45, 2, 2, 3, B.timer, "F04", 2, PART.filter, 6, "NB-2004"),
  P("en", "Nimbus", "300", CAT.purifier, true, 75, 3, 3, 6, B.timer, "F07", 2, PART.filter, 9, "NB-3007"),
  P("en", "Kestrel", "K5", CAT.grinder, true, 35, 2, 1, 4, B.mode, "H18", 1, PART.burr, 12, "KS-5181"),
  P("en", "Kestrel", "K7", CAT.grinder, true, 55, 3, 2, 7, B.mode, "H27", 1, PART.burr, 18, "KS-7272"),
  P("en", "Lumen", "L1", CAT.lamp, false, 480, 3, 2, 5, B.timer, "L09", 3, PART.diffuser, 24, "LM-1090"),
  P("en", "Breeze", "D2", CAT.dryer, false, 25, 1, 2, 6, B.mode, "D31", 1, PART.grille, 2, "BZ-2310"),
  P("en", "Echo", "S", CAT.speaker, false, 720, 4, 1, 12, B.wifi, "S44", 3, PART.mesh, 36, "EC-4400"),
  P("zh-Hant", "雲朵", "A5", CAT.purifier, true, 60, 2, 2, 5, B.timer, "A51", 2, PART.filter, 6, "YD-5510"),
  P("zh-Hant", "雲朵", "A7", CAT.purifier, true, 80, 3, 3, 8, B.timer, "A73", 2, PART.filter, 8, "YD-7730"),
  P("zh-Hant", "小鯨", "S1", CAT.vacuum, true, 100, 4, 1, 3, B.mode, "C11", 0, PART.brush, 3, "XJ-1110"),
  P("zh-Hant", "小鯨", "S2", CAT.vacuum, true, 130, 5, 2, 6, B.mode, "C22", 0, PART.brush, 4, "XJ-2220"),
  P("zh-Hant", "小鯨", "S3", CAT.vacuum, true, 160, 6, 3, 9, B.wifi, "C36", 3, PART.brush, 5, "XJ-3360"),
  P("zh-Hant", "暖風", "H1", CAT.dryer, false, 30, 1, 2, 4, B.mode, "R14", 1, PART.grille, 3, "NF-1140"),
  P("zh-Hant", "職人", "G2", CAT.grinder, false, 40, 2, 1, 7, B.mode, "G25", 1, PART.burr, 15, "ZR-2250"),
  P("zh-Hant", "星光", "M1", CAT.lamp, false, 600, 4, 2, 10, B.timer, "M08", 3, PART.diffuser, 30, "XG-1080"),
  P("zh-Hans", "云帆", "V8", CAT.vacuum, true, 110, 4, 1, 5, B.mode, "V81", 0, PART.brush, 3, "YF-8810"),
  P("zh-Hans", "云帆", "V9", CAT.vacuum, true, 140, 5, 2, 8, B.wifi, "V92", 3, PART.brush, 5, "YF-9920"),
  P("zh-Hans", "清风", "P3", CAT.purifier, true, 50, 2, 2, 4, B.timer, "P33", 2, PART.filter, 6, "QF-3330"),
  P("zh-Hans", "清风", "P5", CAT.purifier, true, 70, 3, 3, 7, B.timer, "P56", 2, PART.filter, 10, "QF-5560"),
  P("zh-Hans", "声浪", "B2", CAT.speaker, true, 540, 3, 1, 6, B.wifi, "B24", 3, PART.mesh, 24, "SL-2240"),
  P("zh-Hans", "声浪", "B3", CAT.speaker, true, 900, 4, 2, 9, B.wifi, "B37", 3, PART.mesh, 30, "SL-3370"),
  P("zh-Hans", "光影", "T1", CAT.lamp, false, 360, 2, 3, 5, B.timer, "T19", 3, PART.diffuser, 20, "GY-1190"),
];

// Chinese text names a product without a space ("雲朵A5"), as Chinese is written; English with one.
const nameOf = (p: Product) => (p.lang === "en" ? `${p.brand} ${p.model}` : `${p.brand}${p.model}`);

type T = (p: Product) => string;
interface SectionText {
  title: Record<Lang, string>;
  content: Record<Lang, T>;
  lexical?: Record<Lang, T>;
  paraphrase?: Record<Lang, T>;
  numeric?: Record<Lang, T>;
  /** An English question about a Chinese document names the product by model code and category. */
  crossEn?: T;
}

const en = (p: Product) => `the ${nameOf(p)}`;
const enCross = (p: Product) => `the ${p.model} ${p.category.en}`;

const SECTIONS: Record<string, SectionText> = {
  battery: {
    title: { en: "Battery", "zh-Hant": "電池續航", "zh-Hans": "电池续航" },
    content: {
      en: (p) => `On a full charge ${en(p)} runs for ${p.minutes} minutes. Recharging from empty takes ${p.hours} hours with the supplied adapter.`,
      "zh-Hant": (p) => `${nameOf(p)}充飽電後可連續運作 ${p.minutes} 分鐘。使用隨附的變壓器,從沒電到充飽需要 ${p.hours} 小時。`,
      "zh-Hans": (p) => `${nameOf(p)}充满电后可连续运行 ${p.minutes} 分钟。使用随附的适配器,从没电到充满需要 ${p.hours} 小时。`,
    },
    lexical: {
      en: (p) => `How many minutes does ${en(p)} run on a full charge?`,
      "zh-Hant": (p) => `${nameOf(p)}充飽電後可以運作幾分鐘?`,
      "zh-Hans": (p) => `${nameOf(p)}充满电后可以运行几分钟?`,
    },
    paraphrase: {
      en: (p) => `How long can I use ${en(p)} before it must be plugged in again?`,
      "zh-Hant": (p) => `${nameOf(p)}一次能撐多長時間才要再插插頭?`,
      "zh-Hans": (p) => `${nameOf(p)}一次能撑多长时间才要再插插头?`,
    },
    numeric: {
      en: (p) => `Which model runs for ${p.minutes} minutes on one charge?`,
      "zh-Hant": (p) => `哪一款充飽電可以運作 ${p.minutes} 分鐘?`,
      "zh-Hans": (p) => `哪一款充满电可以运行 ${p.minutes} 分钟?`,
    },
    crossEn: (p) => `How many minutes does ${enCross(p)} run on a full charge?`,
  },
  warranty: {
    title: { en: "Warranty", "zh-Hant": "保固", "zh-Hans": "保修" },
    content: {
      en: (p) => `${cap(en(p))} comes with a ${p.years}-year limited warranty from the date of purchase. Keep the receipt as proof of purchase.`,
      "zh-Hant": (p) => `${nameOf(p)}自購買日起享有 ${p.years} 年有限保固,請保留發票作為購買證明。`,
      "zh-Hans": (p) => `${nameOf(p)}自购买之日起享有 ${p.years} 年有限保修,请保留发票作为购买凭证。`,
    },
    lexical: {
      en: (p) => `How long is the limited warranty of ${en(p)}?`,
      "zh-Hant": (p) => `${nameOf(p)}的保固期是多久?`,
      "zh-Hans": (p) => `${nameOf(p)}的保修期是多久?`,
    },
    paraphrase: {
      en: (p) => `If ${en(p)} breaks, for how many years will the maker fix it at no cost?`,
      "zh-Hant": (p) => `${nameOf(p)}壞掉的話,廠商幾年內免費修理?`,
      "zh-Hans": (p) => `${nameOf(p)}坏掉的话,厂家几年内免费修理?`,
    },
    crossEn: (p) => `How long is the warranty of ${enCross(p)}?`,
  },
  reset: {
    title: { en: "Factory reset", "zh-Hant": "恢復原廠設定", "zh-Hans": "恢复出厂设置" },
    content: {
      en: (p) => `To restore factory settings on ${en(p)}, hold the power button and the ${p.button.en} button together for ${p.seconds} seconds until the light blinks.`,
      "zh-Hant": (p) => `要將${nameOf(p)}恢復原廠設定,請同時按住電源鍵和${p.button["zh-Hant"]}鍵 ${p.seconds} 秒,直到指示燈閃爍。`,
      "zh-Hans": (p) => `要将${nameOf(p)}恢复出厂设置,请同时按住电源键和${p.button["zh-Hans"]}键 ${p.seconds} 秒,直到指示灯闪烁。`,
    },
    lexical: {
      en: (p) => `How do I restore the factory settings of ${en(p)}?`,
      "zh-Hant": (p) => `${nameOf(p)}要怎麼恢復原廠設定?`,
      "zh-Hans": (p) => `${nameOf(p)}怎么恢复出厂设置?`,
    },
    paraphrase: {
      en: (p) => `${cap(en(p))} acts strangely; how can I wipe it back to the way it came out of the box?`,
      "zh-Hant": (p) => `${nameOf(p)}怪怪的,怎樣把它清回剛買來的狀態?`,
      "zh-Hans": (p) => `${nameOf(p)}怪怪的,怎样把它清回刚买来的状态?`,
    },
    crossEn: (p) => `How do I do a factory reset on ${enCross(p)}?`,
  },
  error: {
    title: { en: "Error codes", "zh-Hant": "錯誤代碼", "zh-Hans": "错误代码" },
    content: {
      en: (p) => `If ${en(p)} shows error ${p.code}, ${FAULTS[p.fault]!.en[0]}. To fix it, ${FAULTS[p.fault]!.en[1]}.`,
      "zh-Hant": (p) => `${nameOf(p)}顯示錯誤代碼 ${p.code} 時,表示${FAULTS[p.fault]!["zh-Hant"][0]}。處理方式:${FAULTS[p.fault]!["zh-Hant"][1]}。`,
      "zh-Hans": (p) => `${nameOf(p)}显示错误代码 ${p.code} 时,表示${FAULTS[p.fault]!["zh-Hans"][0]}。处理方法:${FAULTS[p.fault]!["zh-Hans"][1]}。`,
    },
    numeric: {
      en: (p) => `What does error ${p.code} mean?`,
      "zh-Hant": (p) => `錯誤代碼 ${p.code} 是什麼意思?`,
      "zh-Hans": (p) => `错误代码 ${p.code} 是什么意思?`,
    },
    crossEn: (p) => `What does error ${p.code} mean on the ${p.category.en}?`,
  },
  maintenance: {
    title: { en: "Maintenance", "zh-Hant": "保養與耗材", "zh-Hans": "保养与耗材" },
    content: {
      en: (p) => `Replace the ${p.part.en} of ${en(p)} every ${p.months} months. Replacement parts can be ordered with part number ${p.pn}.`,
      "zh-Hant": (p) => `${nameOf(p)}的${p.part["zh-Hant"]}每 ${p.months} 個月需更換一次,替換零件可用料號 ${p.pn} 訂購。`,
      "zh-Hans": (p) => `${nameOf(p)}的${p.part["zh-Hans"]}每 ${p.months} 个月需更换一次,替换零件可用料号 ${p.pn} 订购。`,
    },
    lexical: {
      en: (p) => `How often should the ${p.part.en} of ${en(p)} be replaced?`,
      "zh-Hant": (p) => `${nameOf(p)}的${p.part["zh-Hant"]}多久要更換?`,
      "zh-Hans": (p) => `${nameOf(p)}的${p.part["zh-Hans"]}多久要更换?`,
    },
    numeric: {
      en: (p) => `Which part has the part number ${p.pn}?`,
      "zh-Hant": (p) => `料號 ${p.pn} 是哪個零件?`,
      "zh-Hans": (p) => `料号 ${p.pn} 是哪个零件?`,
    },
    crossEn: (p) => `How often do I replace the ${p.part.en} of ${enCross(p)}?`,
  },
};
const SECTION_KEYS = ["battery", "warranty", "reset", "error", "maintenance"] as const;

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** Brand names in the other Chinese script, for the cross-script questions. */
const OTHER_SCRIPT: Record<string, string> = { 雲朵: "云朵", 小鯨: "小鲸", 暖風: "暖风", 職人: "职人", 星光: "星光", 云帆: "雲帆", 清风: "清風", 声浪: "聲浪", 光影: "光影" };

// ------------------------------------------------------------------------------ store policies

interface Store {
  lang: Lang;
  name: string;
  returnDays: number;
  refundDays: number;
  freeOver: string;
  shipDays: number;
}
const STORES: Store[] = [
  { lang: "en", name: "online store", returnDays: 30, refundDays: 5, freeOver: "$49", shipDays: 3 },
  { lang: "en", name: "retail stores", returnDays: 14, refundDays: 10, freeOver: "$99", shipDays: 6 },
  { lang: "zh-Hant", name: "台灣官方網路商店", returnDays: 7, refundDays: 3, freeOver: "NT$990", shipDays: 2 },
  { lang: "zh-Hant", name: "台灣直營門市", returnDays: 10, refundDays: 12, freeOver: "NT$1,500", shipDays: 4 },
  { lang: "zh-Hant", name: "香港網店", returnDays: 14, refundDays: 7, freeOver: "HK$300", shipDays: 5 },
  { lang: "zh-Hans", name: "官方商城", returnDays: 15, refundDays: 8, freeOver: "¥199", shipDays: 1 },
  { lang: "zh-Hans", name: "线下门店", returnDays: 20, refundDays: 9, freeOver: "¥399", shipDays: 7 },
];

const POLICY: Record<"returns" | "refunds" | "shipping", { title: Record<Lang, string> }> = {
  returns: { title: { en: "Returns", "zh-Hant": "退貨", "zh-Hans": "退货" } },
  refunds: { title: { en: "Refunds", "zh-Hant": "退款", "zh-Hans": "退款" } },
  shipping: { title: { en: "Shipping", "zh-Hant": "運送", "zh-Hans": "配送" } },
};

function storeText(s: Store, key: keyof typeof POLICY): string {
  switch (`${s.lang}:${key}`) {
    case "en:returns":
      return `Items bought from our ${s.name} can be returned within ${s.returnDays} days of delivery, unused and in the original packaging.`;
    case "en:refunds":
      return `Refunds for purchases from our ${s.name} are issued to the original payment method within ${s.refundDays} business days after we receive the returned item.`;
    case "en:shipping":
      return `Orders from our ${s.name} over ${s.freeOver} ship free. Standard delivery takes ${s.shipDays} business days.`;
    case "zh-Hant:returns":
      return `於${s.name}購買的商品,可在到貨後 ${s.returnDays} 天內辦理退貨,商品須未使用且保持原包裝。`;
    case "zh-Hant:refunds":
      return `${s.name}收到退回商品後,會在 ${s.refundDays} 個工作天內將退款退回原付款方式。`;
    case "zh-Hant:shipping":
      return `${s.name}訂單滿 ${s.freeOver} 免運費,一般配送需要 ${s.shipDays} 個工作天。`;
    case "zh-Hans:returns":
      return `在${s.name}购买的商品,可在签收后 ${s.returnDays} 天内办理退货,商品须未使用并保持原包装。`;
    case "zh-Hans:refunds":
      return `${s.name}收到退回商品后,会在 ${s.refundDays} 个工作日内将退款退回原支付方式。`;
    default:
      return `${s.name}订单满 ${s.freeOver} 包邮,普通配送需要 ${s.shipDays} 个工作日。`;
  }
}

/** [kind, lang, question] per store: lexical/confusable on refunds, paraphrase on returns, numeric/cross on shipping. */
function storeQuestions(s: Store): { kind: MlKind; lang: Lang; section: keyof typeof POLICY; query: string }[] {
  if (s.lang === "en") {
    return [
      { kind: "confusable", lang: "en", section: "refunds", query: `How many business days does a refund take for the ${s.name}?` },
      { kind: "paraphrase", lang: "en", section: "returns", query: `I changed my mind about something I got from the ${s.name}; until when can I send it back?` },
      { kind: "numeric", lang: "en", section: "shipping", query: `Which orders ship free over ${s.freeOver}?` },
      { kind: "cross-lingual", lang: s.name === "online store" ? "zh-Hant" : "zh-Hans", section: "refunds", query: s.name === "online store" ? "網路商店 (online store) 退款需要幾天?" : "实体门店 (retail stores) 退款要几天?" },
    ];
  }
  if (s.lang === "zh-Hant") {
    return [
      { kind: "confusable", lang: "zh-Hant", section: "refunds", query: `${s.name}退款需要幾天?` },
      { kind: "paraphrase", lang: "zh-Hant", section: "returns", query: `在${s.name}入手的東西不想要了,最晚什麼時候還能寄回去?` },
      { kind: "numeric", lang: "zh-Hant", section: "shipping", query: `滿 ${s.freeOver} 免運費是哪裡的規定?` },
      { kind: "cross-lingual", lang: "en", section: "refunds", query: `How many days does a refund take at the ${s.name === "香港網店" ? "Hong Kong online shop" : s.name === "台灣官方網路商店" ? "Taiwan online store" : "Taiwan retail stores"}?` },
    ];
  }
  return [
    { kind: "confusable", lang: "zh-Hans", section: "refunds", query: `${s.name}退款要几天?` },
    { kind: "paraphrase", lang: "zh-Hans", section: "returns", query: `在${s.name}入手的东西不想要了,最晚什么时候还能寄回去?` },
    { kind: "numeric", lang: "zh-Hans", section: "shipping", query: `满 ${s.freeOver} 包邮是哪里的规定?` },
    { kind: "cross-lingual", lang: "en", section: "refunds", query: `How many days does a refund take at the ${s.name === "官方商城" ? "official online mall" : "offline stores"}?` },
  ];
}

// ------------------------------------------------------------------------------ distractors

const DISTRACTORS: { lang: Lang; title: string; sections: [string, string][] }[] = [
  {
    lang: "en",
    title: "Battery recycling guide",
    sections: [
      ["Why recycle", "Rechargeable batteries contain lithium. Do not throw a battery that no longer holds a charge into household waste."],
      ["Drop-off points", "Bring old batteries, chargers and adapters to any retail store; we accept them free of charge, whatever the brand."],
    ],
  },
  {
    lang: "en",
    title: "Company news: new service center",
    sections: [
      ["Opening", "Our new service center opens in March. Technicians repair robot vacuums, air purifiers and coffee grinders on site."],
      ["Appointments", "Book a repair appointment online; walk-in customers are served after appointments. Warranty repairs need the receipt."],
    ],
  },
  {
    lang: "zh-Hant",
    title: "電池回收說明",
    sections: [
      ["為什麼要回收", "充電電池含有鋰,電池無法再充電時,請勿丟入一般垃圾。"],
      ["回收地點", "舊電池、充電器與變壓器可送至任一直營門市,不限品牌,免費回收。"],
    ],
  },
  {
    lang: "zh-Hant",
    title: "門市營業時間與維修服務",
    sections: [
      ["營業時間", "直營門市營業時間為每日上午十一點至晚上九點,國定假日照常營業。"],
      ["維修服務", "保固期內送修請攜帶發票,過保固的產品維修需另外報價,檢測費 NT$300。"],
    ],
  },
  {
    lang: "zh-Hans",
    title: "会员积分规则",
    sections: [
      ["积分获取", "在官方商城每消费 ¥1 可获得 1 积分,退货退款后相应积分将被扣除。"],
      ["积分使用", "积分可在下单时抵扣现金,100 积分抵扣 ¥1,不能兑换运费。"],
    ],
  },
  {
    lang: "zh-Hans",
    title: "售后服务说明",
    sections: [
      ["保修范围", "人为损坏、进水以及私自拆机不在保修范围内,维修需另行收费。"],
      ["寄修流程", "在线提交寄修申请后,将产品寄到售后中心,维修完成后七个工作日内寄回。"],
    ],
  },
];

// ------------------------------------------------------------------------------ the set

export interface MlCorpus {
  docs: MlDoc[];
  questions: MlQuestion[];
}

export function multilingualCorpus(): MlCorpus {
  const docs: MlDoc[] = [];
  const questions: MlQuestion[] = [];
  const ask = (doc: number, section: string, kind: MlKind, lang: Lang, query: string) => questions.push({ id: `m${questions.length + 1}`, query, kind, lang, doc, section });
  const otherZh: Lang[] = ["zh-Hant", "zh-Hans"];

  PRODUCTS.forEach((p, i) => {
    const docTitle = p.lang === "en" ? `${nameOf(p)} ${p.category.en} user manual` : p.lang === "zh-Hant" ? `${nameOf(p)}${p.category.zh}使用說明書` : `${nameOf(p)}${p.category.zh}使用说明书`;
    const blocks: Block[] = [{ kind: "heading", level: 1, text: docTitle }];
    const sections = SECTION_KEYS.map((k) => ({ key: k, title: SECTIONS[k]!.title[p.lang] }));
    for (const k of SECTION_KEYS) blocks.push({ kind: "heading", level: 2, text: SECTIONS[k]!.title[p.lang] }, { kind: "paragraph", text: SECTIONS[k]!.content[p.lang](p) });
    const d = docs.push({ title: docTitle, lang: p.lang, blocks, sections }) - 1;
    // Sections rotate with the product index so that every section gets every kind of question.
    const lexSections = ["battery", "warranty", "reset", "maintenance"] as const;
    const paraSections = ["battery", "warranty", "reset"] as const;
    const lex = lexSections[i % 4]!;
    const para = paraSections.filter((s) => s !== lex)[i % 2]!;
    ask(d, lex, p.family ? "confusable" : "lexical", p.lang, SECTIONS[lex]!.lexical![p.lang](p));
    if (!p.family) {
      const lex2 = lexSections[(i + 2) % 4]!;
      ask(d, lex2, "lexical", p.lang, SECTIONS[lex2]!.lexical![p.lang](p));
    }
    ask(d, para, "paraphrase", p.lang, SECTIONS[para]!.paraphrase![p.lang](p));
    const num = (["error", "maintenance", "battery"] as const)[i % 3]!;
    ask(d, num, "numeric", p.lang, SECTIONS[num]!.numeric![p.lang](p));
    // Cross-lingual: a section no other question of this document asked about when possible.
    const asked = new Set(questions.filter((q) => q.doc === d).map((q) => q.section));
    const cross = SECTION_KEYS.find((k) => !asked.has(k) && k !== "error") ?? "error";
    if (p.lang === "en") {
      const zh = otherZh[i % 2]!;
      const q = SECTIONS[cross]!.lexical?.[zh] ?? SECTIONS.warranty!.lexical![zh];
      ask(d, SECTIONS[cross]!.lexical ? cross : "warranty", "cross-lingual", zh, q(p));
    } else {
      ask(d, cross, "cross-lingual", "en", SECTIONS[cross]!.crossEn!(p));
      // The same product asked about in the other script (a mainland customer on a Taiwan manual, and the reverse).
      const other: Lang = p.lang === "zh-Hant" ? "zh-Hans" : "zh-Hant";
      const script = lexSections[(i + 1) % 4]!;
      ask(d, script, "cross-script", other, SECTIONS[script]!.lexical![other]({ ...p, brand: OTHER_SCRIPT[p.brand] ?? p.brand, lang: other }));
    }
  });

  for (const s of STORES) {
    const title = s.lang === "en" ? `Return and refund policy: ${s.name}` : s.lang === "zh-Hant" ? `${s.name} 退換貨與退款政策` : `${s.name} 退换货与退款政策`;
    const keys = ["returns", "refunds", "shipping"] as const;
    const blocks: Block[] = [{ kind: "heading", level: 1, text: title }];
    for (const k of keys) blocks.push({ kind: "heading", level: 2, text: POLICY[k].title[s.lang] }, { kind: "paragraph", text: storeText(s, k) });
    const d = docs.push({ title, lang: s.lang, blocks, sections: keys.map((k) => ({ key: k, title: POLICY[k].title[s.lang] })) }) - 1;
    for (const q of storeQuestions(s)) ask(d, q.section, q.kind, q.lang, q.query);
  }

  for (const x of DISTRACTORS) {
    const blocks: Block[] = [{ kind: "heading", level: 1, text: x.title }];
    for (const [h, t] of x.sections) blocks.push({ kind: "heading", level: 2, text: h }, { kind: "paragraph", text: t });
    docs.push({ title: x.title, lang: x.lang, blocks, sections: x.sections.map(([h], i) => ({ key: `s${i}`, title: h })) });
  }
  return { docs, questions };
}
