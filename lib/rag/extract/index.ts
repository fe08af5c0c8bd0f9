import { detectKind, extensionOf } from "./detect";
import { extractDocx } from "./docx";
import { extractHtml } from "./html";
import { extractMarkdown } from "./markdown";
import { NO_TEXT_MESSAGE, extractPdf } from "./pdf";
import { normalizeInline } from "./text";
import { extractTxt } from "./txt";
import { ExtractionError, type Block, type DocumentKind, type ExtractedDocument, type ParsedDocument } from "./types";

export { ExtractionError, detectKind };
export type { Block, DocumentKind, ExtractedDocument };

/** Limits on what one document may cost to read; the defaults are the environment's defaults. */
export type ExtractLimits = {
  /** What a DOCX (a ZIP) may inflate to, all entries together. */
  maxInflatedBytes: number;
  /** Pages of a PDF. */
  maxPages: number;
};
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxInflatedBytes: 20 * 1024 * 1024, maxPages: 2_000 };

export type ExtractInput = { bytes: Uint8Array; filename: string; mimeType?: string; limits?: ExtractLimits };

const KIND_NAMES: Record<DocumentKind, string> = { txt: "text", md: "Markdown", html: "HTML", pdf: "PDF", docx: "DOCX" };

/**
 * Reads a document into a title and structural blocks (headings, paragraphs, code, lists,
 * tables) in reading order. Pure apart from CPU: no I/O beyond the given bytes.
 *
 * Every failure is an `ExtractionError` whose message can be shown to the user: binary data,
 * an unsupported type, an unreadable or password-protected file, no text at all, a file over
 * one of the `limits` (decompressed size, pages), named in the message.
 */
export async function extractDocument(input: ExtractInput): Promise<ExtractedDocument> {
  const kind = detectKind(input.bytes, input.filename, input.mimeType);
  let parsed: ParsedDocument;
  try {
    parsed = await READERS[kind](input.bytes, input.limits ?? DEFAULT_EXTRACT_LIMITS);
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    const detail = error instanceof Error && error.message ? `: ${error.message.split("\n")[0]}` : "";
    throw new ExtractionError(`could not read the ${KIND_NAMES[kind]} file${detail}`, { cause: error });
  }
  const blocks = parsed.blocks.filter((b) => b.text.trim() !== "");
  if (blocks.length === 0) {
    throw new ExtractionError(kind === "pdf" ? NO_TEXT_MESSAGE : "the document contains no text");
  }
  // Title: the format's own (front matter, <title>, PDF metadata), else a level-1 heading that
  // opens the document, else the file name without its extension.
  const first = blocks[0];
  const leading = first?.kind === "heading" && first.level === 1 ? first.text : undefined;
  const title = cleanTitle(parsed.title) || cleanTitle(leading) || cleanTitle(stem(input.filename)) || "Untitled";
  return { title, blocks };
}

const READERS: Record<DocumentKind, (bytes: Uint8Array, limits: ExtractLimits) => ParsedDocument | Promise<ParsedDocument>> = {
  txt: (bytes) => extractTxt(bytes),
  md: (bytes) => extractMarkdown(bytes),
  html: (bytes) => extractHtml(bytes),
  pdf: (bytes, limits) => extractPdf(bytes, limits.maxPages),
  docx: (bytes, limits) => extractDocx(bytes, limits.maxInflatedBytes),
};

/** The file name without directories and without its last extension. */
function stem(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  const ext = extensionOf(base);
  return ext ? base.slice(0, base.length - ext.length - 1) : base;
}

function cleanTitle(title: string | undefined): string {
  const t = normalizeInline(title ?? "");
  return t.length > 200 ? `${t.slice(0, 199).trimEnd()}…` : t;
}
