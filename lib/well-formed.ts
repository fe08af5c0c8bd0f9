// Text a database cannot store, made storable: PostgreSQL refuses NUL in text and both NUL and lone
// UTF-16 surrogates (`\ud800`) in jsonb; SQLite stores them but they come back unusable. Anything a
// client sends can carry them, so every raw write goes through these (lib/db-raw.ts). Each becomes
// U+FFFD, the Unicode replacement character.

/** A string without NUL and without lone surrogates. */
export function wellFormedText(s: string): string {
  const nul = s.includes("\0");
  if (!nul && s.isWellFormed()) return s;
  const fixed = s.toWellFormed();
  return nul ? fixed.replaceAll("\0", "\uFFFD") : fixed;
}

// JSON.stringify escapes lone surrogates (`\udXXX`) and NUL (`\u0000`) and writes paired surrogates
// as they are, so every such escape preceded by an odd number of backslashes is one to replace
// (an even number means the backslash itself was escaped: the text "\ud800" typed literally).
const BAD_ESCAPE = /\\+u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/** JSON text (as JSON.stringify writes it) with NUL and lone surrogates, in values and keys, as U+FFFD. */
export function wellFormedJsonText(json: string): string {
  BAD_ESCAPE.lastIndex = 0;
  if (!BAD_ESCAPE.test(json)) return json;
  return json.replace(BAD_ESCAPE, (m) => {
    const slashes = m.length - 5;
    return slashes % 2 === 1 ? `${m.slice(0, slashes - 1)}\\ufffd` : m;
  });
}

/** JSON.stringify for storage: well-formed whatever the value holds. */
export const storableJson = (v: unknown): string => wellFormedJsonText(JSON.stringify(v));
