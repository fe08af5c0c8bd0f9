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
