import { getDocumentProxy } from "unpdf";
import { LIST_ITEM, listMarker, normalizeInline } from "./text";
import { ExtractionError, type Block, type ParsedDocument } from "./types";

/** One line of text as laid out on a page (PDF user space: y grows upwards). */
type Line = { text: string; size: number; x: number; endX: number; y: number; mono: boolean; page: number };

type TextItemLike = { str: string; transform: number[]; width: number; height: number; fontName: string };

export const NO_TEXT_MESSAGE = "no extractable text (scanned PDF?)";

/**
 * PDF → blocks, from the text layer (unpdf / PDF.js `getTextContent`, page by page; there is
 * no OCR). Lines are rebuilt from glyph positions, then grouped into paragraphs by vertical
 * spacing; a page break always ends a paragraph. Lines set clearly larger than the body
 * text become headings (largest size = level 1), monospaced runs become code, and bullet
 * or "1." lines become lists. Lone page numbers at the top or bottom of a page are dropped.
 */
export async function extractPdf(bytes: Uint8Array, maxPages = Infinity): Promise<ParsedDocument> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js may take ownership of (detach) the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, stopAtErrors: false });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "PasswordException") throw new ExtractionError("the PDF is password-protected", { cause: error });
    const detail = error instanceof Error && error.message ? `: ${error.message}` : "";
    throw new ExtractionError(`not a readable PDF file${detail}`, { cause: error });
  }

  try {
    if (pdf.numPages > maxPages) {
      throw new ExtractionError(`the PDF has ${pdf.numPages} pages, over the ${maxPages}-page limit (VECSTRUCT_MAX_DOCUMENT_PAGES); split it into smaller files`);
    }
    const lines: Line[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.filter((it): it is typeof it & TextItemLike => "str" in it);
      const styles = content.styles as Record<string, { fontFamily?: string } | undefined>;
      lines.push(...dropPageNumbers(toLines(items, styles, n)));
      page.cleanup();
    }
    let title: string | undefined;
    try {
      const meta = await pdf.getMetadata();
      const raw = (meta.info as Record<string, unknown> | undefined)?.Title;
      if (typeof raw === "string" && normalizeInline(raw)) title = normalizeInline(raw);
    } catch {
      // metadata is optional
    }
    if (!lines.some((l) => l.text.trim())) throw new ExtractionError(NO_TEXT_MESSAGE);
    return { title, blocks: toBlocks(lines) };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

function toLines(items: readonly TextItemLike[], styles: Record<string, { fontFamily?: string } | undefined>, page: number): Line[] {
  const lines: Line[] = [];
  let current: (Line & { monoChars: number; chars: number }) | null = null;
  for (const item of items) {
    if (!item.str) continue;
    const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform;
    const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height || 1;
    const mono = styles[item.fontName]?.fontFamily === "monospace";
    const sameLine = current && Math.abs(current.y - y) <= Math.max(size, current.size) * 0.5 && x >= current.endX - size;
    if (current && sameLine) {
      const gap = x - current.endX;
      if (gap > size * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str)) current.text += " ";
      current.text += item.str;
      current.endX = Math.max(current.endX, x + item.width);
      current.size = Math.max(current.size, item.str.trim() ? size : 0);
    } else {
      if (current) lines.push(finish(current));
      current = { text: item.str, size, x, endX: x + item.width, y, mono, page, monoChars: 0, chars: 0 };
    }
    const chars = item.str.trim().length;
    current.chars += chars;
    if (mono) current.monoChars += chars;
  }
  if (current) lines.push(finish(current));
  return lines.filter((l) => l.text.trim());

  function finish(l: Line & { monoChars: number; chars: number }): Line {
    const { monoChars, chars, ...line } = l;
    return { ...line, text: line.text.replace(/\s+$/, ""), mono: chars > 0 && monoChars / chars > 0.8 };
  }
}

function dropPageNumbers(lines: Line[]): Line[] {
  const pageNumber = /^(?:page\s+)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$/i;
  return lines.filter((l, i) => !((i === 0 || i === lines.length - 1) && pageNumber.test(l.text.trim())));
}

const round = (n: number) => Math.round(n * 2) / 2;

function toBlocks(lines: readonly Line[]): Block[] {
  // Body size: the font size carrying the most characters.
  const weight = new Map<number, number>();
  for (const l of lines) weight.set(round(l.size), (weight.get(round(l.size)) ?? 0) + l.text.length);
  const body = [...weight.entries()].sort((p, q) => q[1] - p[1] || p[0] - q[0])[0]?.[0] ?? 10;

  const isHeading = (l: Line) => !l.mono && round(l.size) >= body * 1.12 && l.text.length <= 200;
  const headingSizes = [...new Set(lines.filter(isHeading).map((l) => round(l.size)))].sort((p, q) => q - p);

  // Typical distance between two consecutive body lines (the line pitch).
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const p = lines[i - 1], c = lines[i];
    if (!p || !c || p.page !== c.page || isHeading(p) || isHeading(c)) continue;
    const g = p.y - c.y;
    if (g > 0 && g < p.size * 3) gaps.push(g);
  }
  gaps.sort((p, q) => p - q);
  const pitch = gaps[Math.floor(gaps.length / 2)] ?? body * 1.2;

  // Right edge of the text column per page, to notice short last lines of paragraphs.
  const rightEdge = new Map<number, { left: number; right: number }>();
  for (const l of lines) {
    const e = rightEdge.get(l.page) ?? { left: Infinity, right: -Infinity };
    rightEdge.set(l.page, { left: Math.min(e.left, l.x), right: Math.max(e.right, l.endX) });
  }

  const blocks: Block[] = [];
  let group: Line[] = [];
  let groupKind: "heading" | "paragraph" | "code" | "list" = "paragraph";

  const flush = () => {
    if (group.length === 0) return;
    if (groupKind === "heading") {
      const text = normalizeInline(group.map((l) => l.text).join(" "));
      const level = Math.min(6, headingSizes.indexOf(round(group[0]?.size ?? body)) + 1 || 1);
      if (text) blocks.push({ kind: "heading", level, text });
    } else if (groupKind === "code") {
      blocks.push({ kind: "code", text: codeText(group) });
    } else if (groupKind === "list") {
      const items: string[] = [];
      for (const l of group) {
        const m = LIST_ITEM.exec(l.text.trim());
        if (m) items.push(`${listMarker(m[2] ?? "-")} ${normalizeInline(m[3] ?? "")}`);
        else if (items.length > 0) items[items.length - 1] = joinLines(items[items.length - 1] ?? "", normalizeInline(l.text));
      }
      if (items.length > 0) blocks.push({ kind: "list", text: items.join("\n") });
    } else {
      const text = normalizeInline(group.reduce((acc, l) => joinLines(acc, l.text.trim()), ""));
      if (text) blocks.push({ kind: "paragraph", text });
    }
    group = [];
  };

  for (const line of lines) {
    const kind = isHeading(line) ? "heading" : line.mono ? "code" : LIST_ITEM.test(line.text.trim()) ? "list" : "paragraph";
    const prev = group.at(-1);
    let continues = false;
    if (prev && prev.page === line.page) {
      const gap = prev.y - line.y;
      const sameSize = Math.abs(prev.size - line.size) <= 0.5;
      if (groupKind === "heading") continues = kind === "heading" && sameSize && gap > 0 && gap <= line.size * 1.6;
      else if (groupKind === "code") continues = kind === "code" && gap > 0 && gap <= pitch * 2.6;
      else if (gap > 0 && gap <= pitch * 1.3 && sameSize) {
        const edge = rightEdge.get(line.page);
        const width = edge ? edge.right - edge.left : 0;
        const shortEnd = edge !== undefined && width > 0 && /[.!?:]["'”’)]*$/.test(prev.text) && prev.endX - edge.left < width * 0.75;
        if (groupKind === "list") continues = kind === "list" || (kind === "paragraph" && line.x > (group[0]?.x ?? 0) + 1);
        else continues = kind === "paragraph" && !shortEnd;
      }
    }
    if (!continues) {
      flush();
      groupKind = kind;
    }
    group.push(line);
  }
  flush();
  return blocks;
}

/** Joins two wrapped lines; a line ending in a hyphen is joined without a space (the hyphen is kept). */
function joinLines(a: string, b: string): string {
  if (!a) return b;
  return /\p{L}-$/u.test(a) && /^\p{Ll}/u.test(b) ? a + b : `${a} ${b}`;
}

/** Code lines keep their relative indentation (estimated from x offsets) and blank lines (from larger gaps). */
function codeText(lines: readonly Line[]): string {
  const left = Math.min(...lines.map((l) => l.x));
  const out: string[] = [];
  lines.forEach((l, i) => {
    const prev = lines[i - 1];
    if (prev && prev.y - l.y > l.size * 1.9) out.push("");
    const indent = Math.max(0, Math.round((l.x - left) / (l.size * 0.6)));
    out.push(" ".repeat(Math.min(indent, 40)) + l.text.trimEnd());
  });
  return out.join("\n");
}
