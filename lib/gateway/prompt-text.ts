// Text from documents and memories is data, not instructions: it is injected inside delimiters
// (<context>, <memories>) that its own content must never close or forge. Escaping the markup
// characters the way XML does keeps a `</context>` in a document inside the block as `&lt;/context&gt;`,
// and models read the entities as the characters they stand for.
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

export function escapeDelimited(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}
