import { isOleCompoundFile } from "./docx";
import { ExtractionError, type DocumentKind } from "./types";

export const SUPPORTED_TYPES = "txt, md, html, pdf or docx";

const BY_MIME: Record<string, DocumentKind> = {
  "text/plain": "txt",
  "text/markdown": "md",
  "text/x-markdown": "md",
  "text/html": "html",
  "application/xhtml+xml": "html",
  "application/pdf": "pdf",
  "application/x-pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
};

const BY_EXTENSION: Record<string, DocumentKind> = {
  txt: "txt",
  text: "txt",
  md: "md",
  markdown: "md",
  mdown: "md",
  mkd: "md",
  mdx: "md",
  html: "html",
  htm: "html",
  xhtml: "html",
  pdf: "pdf",
  docx: "docx",
};

export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/**
 * Which reader to use. Binary signatures are checked first (a file starting with %PDF- or a ZIP
 * holding word/document.xml is a PDF or DOCX whatever it is called); then the declared MIME type (text/plain is weak: browsers send it for .md too), then
 * the file extension, then the content (HTML or Markdown markers, else text without NUL bytes).
 */
export function detectKind(bytes: Uint8Array, filename: string, mimeType?: string): DocumentKind {
  const ext = extensionOf(filename);
  const head = latin1(bytes.subarray(0, 1024));

  if (head.startsWith("%PDF-")) return "pdf";
  if (head.startsWith("PK\u0003\u0004")) {
    if (includesAscii(bytes, "word/document.xml")) return "docx";
    throw new ExtractionError(`unsupported file type${ext ? ` (.${ext})` : ""}: a ZIP archive that is not a Word document; upload ${SUPPORTED_TYPES}`);
  }
  if (isOleCompoundFile(bytes) && (ext === "doc" || ext === "docx" || !ext)) return "docx"; // the DOCX reader explains

  const mime = mimeType?.split(";")[0]?.trim().toLowerCase() ?? "";
  const byMime = BY_MIME[mime];
  const byExt = BY_EXTENSION[ext];
  if (byMime && !(byMime === "txt" && byExt)) return byMime;
  if (byExt) return byExt;

  const start = head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, "").trimStart().toLowerCase();
  if (/^(?:<\?xml[^>]*>\s*)?<!doctype html|^<html[\s>]|^<(?:head|body)[\s>]/.test(start)) return "html";
  if (!bytes.subarray(0, 8192).includes(0)) {
    if (/^---\n[\s\S]*?\n---\n|^#{1,6} \S/.test(start.replace(/\r\n?/g, "\n"))) return "md";
    return "txt";
  }
  throw new ExtractionError(`unsupported file type${ext ? ` (.${ext})` : mime ? ` (${mime})` : ""}; upload ${SUPPORTED_TYPES}`);
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function includesAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, "latin1");
}
