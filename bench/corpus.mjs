// A synthetic corpus for the RAG-on benchmark: documents of headed sections whose words come from a
// fixed vocabulary, deterministic (seeded), so every run indexes the same chunks.
const WORDS = (
  "gateway routing audit ledger billing credit token stream chunk vector lexical fusion rerank memory project key " +
  "invoice refund policy shipping warranty battery charger display keyboard firmware update reset password account " +
  "region latency throughput replica backup restore migration schema index query cache eviction quota limit window"
).split(" ");

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** `docs` documents of `sections` sections (~one chunk each). */
export function corpus(docs, sections, seed = 7) {
  const r = rng(seed);
  const word = () => WORDS[Math.floor(r() * WORDS.length)];
  return Array.from({ length: docs }, (_, d) => ({
    title: `Handbook ${d + 1}`,
    content: Array.from({ length: sections }, (_, s) => {
      const sentences = Array.from({ length: 8 }, () => `${Array.from({ length: 12 }, word).join(" ")}.`);
      return `## Section ${d + 1}.${s + 1} ${word()} ${word()}\n\n${sentences.join(" ")}`;
    }).join("\n\n"),
  }));
}
