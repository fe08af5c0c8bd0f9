// The RAG benchmark's data, generated deterministically (seeded PRNG, no downloads):
//
// - a quality corpus of small "product manuals": 80 invented products (27 invented brands × 3
//   invented model names), each one document of 13 short sections (warranty, factory reset, error
//   code, …) with per-product facts. One section = one chunk, so 1,040 chunks; the label of a
//   question is (document, section), mapped to chunk ids after ingestion.
// - 160 labelled questions, two per product on two different sections: one "lexical" (it reuses
//   the section's own words: "How long is the limited warranty of the Quillon Vantor?") and one
//   "paraphrase" (synonyms only, no content word in common besides the product name: "If my
//   Quillon Vantor breaks, for how many years will the maker repair it for free?").
// - In about a quarter of the sections the text says "the air purifier" / "this unit" instead of the
//   product's name, as manuals often do: the name is then only in the section's heading path.
// - synthetic chunks for the latency runs (text drawn from the corpus vocabulary; vectors near the
//   real chunk embeddings), which need no embedding model.
import type { Block } from "@/lib/rag/extract/types";

/** mulberry32: small, fast, good enough for benchmark data; the same seed gives the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const ONSETS = ["b", "br", "c", "cr", "d", "dr", "f", "g", "gr", "k", "kl", "l", "m", "n", "p", "pr", "qu", "r", "s", "st", "t", "tr", "v", "z", "zh"];
const VOWELS = ["a", "e", "i", "o", "u", "ae", "io", "y"];
const CODAS = ["", "", "", "n", "r", "x", "l", "s", "th", "v", "m"];

/** An invented, pronounceable word ("Quillon", "Vantor"): unlikely to be English or to share a stem with one. */
function inventedWord(r: Rand, syllables: number): string {
  let w = "";
  for (let i = 0; i < syllables; i++) w += pick(r, ONSETS) + pick(r, VOWELS) + (i === syllables - 1 ? pick(r, CODAS.filter(Boolean)) : pick(r, CODAS));
  return w[0]!.toUpperCase() + w.slice(1);
}

const CATEGORIES = [
  "air purifier", "coffee grinder", "robot vacuum", "smart thermostat", "label printer", "dehumidifier", "e-reader", "bike light",
  "baby monitor", "water flosser", "hair dryer", "soundbar", "camera drone", "pressure cooker", "3D printer", "desk lamp",
];
const PARTS = ["filter", "brush head", "nozzle", "cartridge", "gasket", "pad", "blade", "wick"];
const COLORS = ["red", "amber", "blue", "green", "white", "purple"];
const MATERIALS = ["aluminium", "recycled plastic", "stainless steel", "bamboo", "matte polycarbonate"];
const SURFACES = ["display", "control panel", "housing", "air intake grille", "lens"];
const FAULTS = [
  { cause: "the motor has overheated", fix: "switch it off and let it cool down for {t} minutes before restarting", para: "stopped and complains that it got too hot" },
  { cause: "the water tank is empty", fix: "refill the tank with clean tap water and press start again", para: "wants more liquid before it keeps running" },
  { cause: "a sensor is blocked by dust", fix: "blow the dust off the sensor window and restart", para: "can no longer see properly because something is covering its eye" },
  { cause: "the supply voltage is too low", fix: "plug it into a different outlet without an extension cord", para: "is not getting enough electricity from the wall" },
  { cause: "the fan is jammed", fix: "unplug it, remove the rear cover and free the fan blades", para: "has something stuck in the spinning part" },
];

export interface Product {
  index: number;
  brand: string;
  model: string;
  name: string; // "Quillon Vantor"
  category: string;
  app: string;
}

export interface Section {
  key: string;
  title: string;
  /** Text of the section; mentions the product's name when `named`. */
  content: string;
  named: boolean;
  lexical: string;
  paraphrase: string;
}

export interface QualityDoc {
  product: Product;
  title: string;
  blocks: Block[];
  sections: Section[];
}

export type QuestionKind = "lexical" | "paraphrase";

export interface Question {
  id: string;
  query: string;
  kind: QuestionKind;
  /** Whether the answering chunk's text names the product (else only its heading path does). */
  named: boolean;
  /** The answering chunks, as document index and section (= chunk ordinal). */
  answers: { doc: number; ordinal: number }[];
}

type Facts = Record<string, string | number>;
type SectionTemplate = {
  key: string;
  title: (f: Facts) => string;
  content: (who: string, f: Facts) => string;
  lexical: ((n: string, f: Facts) => string)[];
  paraphrase: ((n: string, f: Facts) => string)[];
};

// Paraphrases avoid every content word of their section (after stemming) except the product name.
const SECTIONS: SectionTemplate[] = [
  {
    key: "box",
    title: () => "In the box",
    content: (w, f) => `Inside the box you will find ${w}, a ${f.adapter} W power adapter, a quick start guide and ${f.spares} spare ${f.part}s.`,
    lexical: [(n, f) => `Does the ${n} box include spare ${f.part}s?`, (n) => `What will I find inside the box of the ${n}?`],
    paraphrase: [(n) => `Which accessories ship together with the ${n} when I buy it?`, (n) => `What comes packaged with a new ${n}?`],
  },
  {
    key: "setup",
    title: () => "Installation",
    content: (w, f) => `Place ${w} on a flat, stable surface at least ${f.cm} cm from walls, then plug it into a grounded outlet and press the power button.`,
    lexical: [(n) => `How far from walls should I place the ${n}?`, (n) => `Does the ${n} need a grounded outlet and a flat surface?`],
    paraphrase: [(n) => `How much clearance does the ${n} require around it?`, (n) => `Where is a good spot to set up my ${n}?`],
  },
  {
    key: "wifi",
    title: () => "Connecting to Wi-Fi",
    content: (w, f) => `To connect ${w} to Wi-Fi, open the ${f.app} app, tap Add device and enter your network password. Only 2.4 GHz networks are supported.`,
    lexical: [(n) => `How do I connect the ${n} to Wi-Fi?`, (n) => `Which Wi-Fi networks does the ${n} support?`],
    paraphrase: [(n) => `How can I get my ${n} online through my home router?`, (n) => `Can the ${n} join a 5 gigahertz wireless LAN?`],
  },
  {
    key: "battery",
    title: () => "Battery and charging",
    content: (w, f) => `The battery of ${w} lasts up to ${f.hours} hours on a full charge and recharges in ${f.charge} hours with the supplied USB-C cable.`,
    lexical: [(n) => `How many hours does the ${n} battery last on a full charge?`, (n) => `How long does the ${n} take to recharge?`],
    paraphrase: [(n) => `What runtime can I expect from the ${n} before it needs plugging in again?`, (n) => `How long can my ${n} run unplugged?`],
  },
  {
    key: "cleaning",
    title: () => "Cleaning",
    content: (w, f) => `Wipe the outside of ${w} with a soft damp cloth once a week. Never use solvents, bleach or abrasive cleaners on the ${f.surface}.`,
    lexical: [(n) => `Can I use bleach or solvents to clean the ${n}?`, (n) => `How often should I wipe the ${n} with a damp cloth?`],
    paraphrase: [(n) => `What is the right way to keep my ${n} spotless?`, (n) => `Which household products are safe for washing the ${n}?`],
  },
  {
    key: "consumable",
    title: (f) => `Replacing the ${f.part}`,
    content: (w, f) => `Replace the ${f.part} of ${w} every ${f.months} months, or sooner when the indicator light turns ${f.color}. Spare ${f.part}s are sold under part number ${f.pn}.`,
    lexical: [(n, f) => `How often should I replace the ${f.part} of the ${n}?`, (n, f) => `What is the part number of the ${n} ${f.part}?`],
    paraphrase: [(n) => `How frequently must I swap out the consumable insert on the ${n}?`, (n) => `When does my ${n} need a fresh wear item?`],
  },
  {
    key: "error",
    title: () => "Error codes",
    content: (w, f) => `If the display of ${w} shows error ${f.code}, ${f.cause}: ${f.fix}.`,
    lexical: [(n, f) => `What does error ${f.code} mean on the ${n}?`, (n, f) => `The ${n} display shows ${f.code}, what should I do?`],
    paraphrase: [(n, f) => `My ${n} ${f.para}. How do I fix it?`],
  },
  {
    key: "reset",
    title: () => "Factory reset",
    content: (w, f) => `To restore factory settings, hold the power and mode buttons of ${w} together for ${f.seconds} seconds until the light blinks ${f.color}.`,
    lexical: [(n) => `How do I restore the factory settings of the ${n}?`, (n) => `Which buttons do I hold to reset the ${n} to factory settings?`],
    paraphrase: [(n) => `How can I wipe my ${n} back to the way it was out of the box?`, (n) => `How do I erase everything I configured on the ${n} and start over?`],
  },
  {
    key: "warranty",
    title: () => "Warranty",
    content: (w, f) => `${cap(w)} is covered by a ${f.years}-year limited warranty against manufacturing defects. Keep your proof of purchase; damage caused by water or drops is not covered.`,
    lexical: [(n) => `How long is the limited warranty of the ${n}?`, (n) => `Does the ${n} warranty cover water damage?`],
    paraphrase: [(n) => `If my ${n} breaks, for how many years will the maker repair it for free?`, (n) => `What guarantee do I get when I buy the ${n}?`],
  },
  {
    key: "safety",
    title: () => "Safety",
    content: (w, f) => `Keep ${w} away from water, open flames and heat sources. Children under ${f.age} should use it only under adult supervision.`,
    lexical: [(n) => `Can children use the ${n} without adult supervision?`, (n) => `Should the ${n} be kept away from heat sources and water?`],
    paraphrase: [(n) => `Is it okay to let my kids play with the ${n} alone?`, (n) => `Is my ${n} dangerous near a stove or a bathtub?`],
  },
  {
    key: "specs",
    title: () => "Specifications",
    content: (w, f) => `${cap(w)} weighs ${f.kg} kg and measures ${f.a} × ${f.b} × ${f.c} cm. It draws ${f.watts} W and has a ${f.material} body.`,
    lexical: [(n) => `How much does the ${n} weigh?`, (n) => `What are the dimensions of the ${n} in cm?`],
    paraphrase: [(n) => `How heavy is the ${n}?`, (n) => `How big is the ${n}, will it fit on a small shelf?`],
  },
  {
    key: "noise",
    title: () => "Noise level",
    content: (w, f) => `At full power ${w} produces ${f.db} dB of noise; night mode lowers it to ${f.db2} dB and dims the display.`,
    lexical: [(n) => `How many dB of noise does the ${n} produce at full power?`, (n) => `Does the ${n} have a night mode that lowers the noise?`],
    paraphrase: [(n) => `How loud is the ${n}?`, (n) => `Will the ${n} keep me awake while I sleep?`],
  },
  {
    key: "firmware",
    title: () => "Firmware updates",
    content: (w, f) => `${cap(w)} checks for firmware updates every night at ${f.hour}:00 and installs them automatically while idle. The version history is listed in the ${f.app} app.`,
    lexical: [(n) => `When does the ${n} install firmware updates?`, (n) => `Where can I see the firmware version history of the ${n}?`],
    paraphrase: [(n) => `Does the ${n} keep its software current on its own?`, (n) => `How do I get the newest program release onto my ${n}?`],
  },
];

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

export const QUALITY_PRODUCTS = 80;
export const SECTIONS_PER_DOC = SECTIONS.length;

export interface QualityCorpus {
  docs: QualityDoc[];
  questions: Question[];
}

export function qualityCorpus(seed = 20261121): QualityCorpus {
  const r = rng(seed);
  const used = new Set<string>();
  const fresh = (syllables: number) => {
    for (;;) {
      const w = inventedWord(r, syllables);
      if (!used.has(w.toLowerCase())) {
        used.add(w.toLowerCase());
        return w;
      }
    }
  };
  const brands = Array.from({ length: Math.ceil(QUALITY_PRODUCTS / 3) }, () => fresh(2));
  const products: Product[] = Array.from({ length: QUALITY_PRODUCTS }, (_, i) => {
    const brand = brands[Math.floor(i / 3)]!;
    const model = fresh(int(r, 2, 3));
    return { index: i, brand, model, name: `${brand} ${model}`, category: pick(r, CATEGORIES), app: `${brand} Home` };
  });
  const codes = new Set<string>();
  const docs = products.map((p): QualityDoc => {
    const fault = pick(r, FAULTS);
    let code: string;
    do code = `${pick(r, ["E", "F", "H", "P"])}${int(r, 10, 99)}`;
    while (codes.has(code));
    codes.add(code);
    const f: Facts = {
      adapter: pick(r, [12, 18, 24, 36, 45, 65]), spares: int(r, 1, 4), part: pick(r, PARTS), cm: pick(r, [5, 10, 15, 20, 30, 50]), app: p.app,
      hours: int(r, 4, 40), charge: int(r, 1, 6), surface: pick(r, SURFACES), months: pick(r, [2, 3, 4, 6, 9, 12]), color: pick(r, COLORS),
      pn: `${p.brand.slice(0, 2).toUpperCase()}-${int(r, 1000, 9999)}`, code, cause: fault.cause, fix: fault.fix.replace("{t}", String(int(r, 10, 60))),
      para: fault.para, seconds: pick(r, [3, 5, 8, 10, 15]), years: int(r, 1, 5), age: pick(r, [8, 12, 14, 16]), kg: (int(r, 3, 120) / 10).toFixed(1),
      a: int(r, 8, 60), b: int(r, 8, 60), c: int(r, 5, 40), watts: int(r, 5, 1800), material: pick(r, MATERIALS), db: int(r, 38, 72), hour: int(r, 1, 5),
    };
    f.db2 = Number(f.db) - int(r, 8, 20);
    const sections = SECTIONS.map((t): Section => {
      const named = r() < 0.75;
      const who = named ? `the ${p.name}` : pick(r, [`the ${p.category}`, "this unit", "the device"]);
      return { key: t.key, title: t.title(f), content: t.content(who, f), named, lexical: pick(r, t.lexical)(p.name, f), paraphrase: pick(r, t.paraphrase)(p.name, f) };
    });
    const title = `${p.name} ${p.category} user manual`;
    const blocks: Block[] = [{ kind: "heading", level: 1, text: title }];
    for (const s of sections) blocks.push({ kind: "heading", level: 2, text: s.title }, { kind: "paragraph", text: s.content });
    return { product: p, title, blocks, sections };
  });
  // Two questions per product, on two different sections: one lexical, one paraphrase.
  const questions: Question[] = [];
  for (const d of docs) {
    const a = int(r, 0, SECTIONS.length - 1);
    let b = int(r, 0, SECTIONS.length - 2);
    if (b >= a) b++;
    const [lex, para] = r() < 0.5 ? [a, b] : [b, a];
    for (const [ordinal, kind] of [[lex, "lexical"], [para, "paraphrase"]] as const) {
      const s = d.sections[ordinal]!;
      questions.push({
        id: `q${questions.length + 1}`,
        query: kind === "lexical" ? s.lexical : s.paraphrase,
        kind,
        named: s.named,
        answers: [{ doc: d.product.index, ordinal }],
      });
    }
  }
  return { docs, questions };
}

// ---------------------------------------------------------------------------- latency corpus

/** Word frequencies of the quality corpus (lower-cased words of 2+ letters/digits), for synthetic text. */
export function vocabulary(docs: QualityDoc[]): { words: string[]; cumulative: number[] } {
  const counts = new Map<string, number>();
  for (const d of docs) for (const s of d.sections) for (const w of s.content.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.keys()].sort();
  let total = 0;
  const cumulative = words.map((w) => (total += counts.get(w)!));
  return { words, cumulative };
}

/**
 * A synthetic chunk: ~35 words drawn with the corpus's word frequencies plus two invented names
 * (so the vocabulary keeps growing with the corpus), and a vector near one of `centers` (real chunk
 * embeddings) or uniformly random, unit length.
 */
export function syntheticChunk(r: Rand, vocab: { words: string[]; cumulative: number[] }, centers: Float32Array[] | null, dims: number): { content: string; vector: Float32Array } {
  const total = vocab.cumulative.at(-1)!;
  const words: string[] = [];
  for (let i = 0; i < 35; i++) {
    const x = r() * total;
    let lo = 0;
    let hi = vocab.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vocab.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    words.push(vocab.words[lo]!);
  }
  words.splice(int(r, 0, words.length), 0, inventedWord(r, 2), inventedWord(r, 3));
  const content = cap(words.join(" ")) + ".";
  const vector = new Float32Array(dims);
  const center = centers ? centers[Math.floor(r() * centers.length)]! : null;
  // Near a real embedding: cos(center, vector) ≈ 0.8, a cluster as tight as paraphrases get.
  const sigma = center ? 0.03 : 1;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const v = (center ? center[i]! : 0) + sigma * gaussian(r);
    vector[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) vector[i] = vector[i]! / norm;
  return { content, vector };
}

function gaussian(r: Rand): number {
  const u = 1 - r();
  const v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
