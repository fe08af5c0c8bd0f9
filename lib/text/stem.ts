// The light English stemmer of memory recall and of the cross-lingual keyword list's re-ranking.
/** One common English suffix off (and a final "e"), so "live" / "lives" / "living" and "pet" / "pets" match. */
export function stem(w: string): string {
  for (const suffix of ["ing", "ies", "es", "ed", "s"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = suffix === "ies" ? `${w.slice(0, -3)}y` : w.slice(0, -suffix.length);
      break;
    }
  }
  return w.length > 3 && w.endsWith("e") ? w.slice(0, -1) : w;
}
