import mammoth from "mammoth";
import { parseHtml } from "./html";
import { ExtractionError, type ParsedDocument } from "./types";
import { checkZipInflatedSize } from "./zip-limit";

/** Paragraph styles Word users use for code, mapped to <pre> (consecutive paragraphs form one block). */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Code'] => pre:separator('\\n')",
  "p[style-name='Code Block'] => pre:separator('\\n')",
  "p[style-name='Source Code'] => pre:separator('\\n')",
  "p[style-name='HTML Preformatted'] => pre:separator('\\n')",
  "p[style-name='Plain Text'] => pre:separator('\\n')",
];

/** OLE2 compound file: a legacy .doc, or an encrypted (password-protected) .docx. */
export function isOleCompoundFile(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/**
 * DOCX → HTML with mammoth (Word heading styles become h1–h6), then the HTML reader. Images are dropped.
 * The archive is checked first (zip-limit.ts): mammoth inflates and parses whole parts in memory.
 */
export async function extractDocx(bytes: Uint8Array, maxInflatedBytes: number): Promise<ParsedDocument> {
  if (isOleCompoundFile(bytes)) {
    throw new ExtractionError("this is a legacy .doc or a password-protected Word file; save it as an unprotected .docx and upload it again");
  }
  await checkZipInflatedSize(bytes, maxInflatedBytes);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        ignoreEmptyParagraphs: false, // keeps blank lines inside code; empty paragraphs are skipped later
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
      },
    );
    html = result.value;
  } catch (error) {
    const detail = error instanceof Error && error.message ? `: ${error.message.split("\n")[0]}` : "";
    throw new ExtractionError(`not a readable DOCX file${detail}`, { cause: error });
  }
  const parsed = parseHtml(html);
  return { title: parsed.title, blocks: parsed.blocks };
}
