import { ExtractionError } from "./types";

/**
 * Decodes the bytes of a text-like file: UTF-8 (BOM stripped), UTF-16 with a BOM, else
 * Windows-1252 when the bytes are not valid UTF-8. Binary data (NUL bytes) is refused.
 * Line endings are normalised to "\n".
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decode("utf-16le", bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decode("utf-16be", bytes.subarray(2));
  else {
    if (bytes.includes(0)) throw binary();
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\u0000")) throw binary();
  return text.replace(/\r\n?/g, "\n");
}

// Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F (Node's TextDecoder treats the label as latin1).
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? "") : String.fromCharCode(b)));
    out += part.join("");
  }
  return out;
}

function decode(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString("latin1");
  }
}

function binary(): ExtractionError {
  return new ExtractionError("the file contains binary data (NUL bytes), not text; upload txt, md, html, pdf or docx");
}

// Invisible characters that carry no text: zero-width spaces/joiners, word joiner, soft hyphen,
// and C0/C1 controls other than tab and newline.
const INVISIBLE = /[\u200b-\u200d\u2060\u00ad\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g;

/** Collapses all whitespace (newlines included) to single spaces and trims. */
export function normalizeInline(text: string): string {
  return text.replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
}

/** For code: keeps indentation and line structure, drops trailing spaces and leading/trailing blank lines. */
export function normalizeCode(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .replace(/\t/g, "    ")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/^\n+/, "")
    .replace(/\n+$/, "");
}

/** Removes the common leading indentation of all non-blank lines. */
export function dedent(lines: readonly string[]): string[] {
  let min = Infinity;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)?.[0].replace(/\t/g, "    ").length ?? 0;
    min = Math.min(min, indent);
  }
  if (!Number.isFinite(min) || min === 0) return lines.map((l) => l.replace(/\t/g, "    "));
  return lines.map((l) => l.replace(/\t/g, "    ").slice(min));
}

/** A list item marker at the start of a line: bullets (-, *, +, •, …) or "1." / "1)". */
export const LIST_ITEM = /^([ \t]*)([-*+•◦▪‣–]|\d{1,9}[.)])[ \t]+(\S.*)$/;

/** Normalises a list marker: bullets become "-", ordered markers keep their number ("3."). */
export function listMarker(marker: string): string {
  const n = /^(\d+)[.)]$/.exec(marker);
  return n ? `${n[1]}.` : "-";
}
