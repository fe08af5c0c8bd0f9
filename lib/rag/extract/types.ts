/** A structural unit of an extracted document, in reading order. */
export type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "code"; text: string }
  | { kind: "list"; text: string }
  | { kind: "table"; text: string };

export type ExtractedDocument = { title: string; blocks: Block[] };

/** What a per-format parser returns; `title` is absent when the format gave none. */
export type ParsedDocument = { title?: string; blocks: Block[] };

export type DocumentKind = "txt" | "md" | "html" | "pdf" | "docx";

/** A document that cannot be ingested. `message` is meant for the user (it becomes the document's `error`). */
export class ExtractionError extends Error {
  override readonly name = "ExtractionError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
