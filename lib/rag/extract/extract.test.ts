import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { docx, docxBomb } from "../../../tests/helpers/zip";
import { ExtractionError, detectKind, extractDocument, type Block } from "./index";

const FIXTURES = path.resolve(import.meta.dirname, "../../../tests/fixtures/documents");
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

const GUIDE_FORMATS = ["md", "html", "txt", "pdf", "docx"] as const;

const EXPECTED_HEADINGS = [
  { level: 1, text: "Harbor Sync User Guide" },
  { level: 2, text: "Getting Started" },
  { level: 2, text: "Configuration" },
  { level: 3, text: "Bandwidth Limits" },
  { level: 2, text: "Troubleshooting" },
];

const KEY_SENTENCES = [
  "Harbor Sync runs on Linux, macOS and Windows.",
  "Files are marked with a small clock icon until they are safely stored on the relay.",
  "Changes take effect the next time the service restarts.",
  "A value of zero removes the limit entirely.",
  "Spreadsheet programs are the usual suspects.",
  "Support replies within one working day.",
];

const REQUIREMENTS = [
  "- A 64-bit processor and at least 2 GB of free memory.",
  "- 500 MB of disk space for the program and its local index.",
  "- An outbound connection on port 7443 to reach the relay server.",
  "- An account on your team's Harbor workspace.",
].join("\n");

const CONFIG_CODE = [
  "[sync]",
  'folder = "~/Harbor"',
  'ignore = ["*.tmp", "node_modules", ".DS_Store"]',
  "",
  "[network]",
  'relay = "relay.example.com:7443"',
  "upload_limit_kbps = 2048",
].join("\n");

/** All block text in order, whitespace collapsed: what a reader of the document would read. */
const flatText = (blocks: readonly Block[]) => blocks.map((b) => b.text).join(" ").replace(/\s+/g, " ");

async function expectExtractionError(promise: Promise<unknown>, message: RegExp | string): Promise<ExtractionError> {
  const error = await promise.then(
    () => {
      throw new Error("expected an ExtractionError, but extraction succeeded");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  expect(error).toBeInstanceOf(Error);
  const e = error as ExtractionError;
  expect(e.name).toBe("ExtractionError");
  if (typeof message === "string") expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

describe("extractDocument: the product guide in five formats", () => {
  describe.each(GUIDE_FORMATS)("guide.%s", (ext) => {
    it("extracts the title, the headings with their levels, and the key sentences", async () => {
      const doc = await extractDocument({ bytes: fixture(`guide.${ext}`), filename: `guide.${ext}` });
      expect(doc.title).toBe("Harbor Sync User Guide");
      const headings = doc.blocks.filter((b) => b.kind === "heading").map((b) => ({ level: b.level, text: b.text }));
      expect(headings).toEqual(EXPECTED_HEADINGS);
      const paragraphs = doc.blocks.filter((b) => b.kind === "paragraph").map((b) => b.text);
      for (const sentence of KEY_SENTENCES) expect(paragraphs.some((p) => p.includes(sentence)), sentence).toBe(true);
    });

    it("keeps the requirements list as one list block and the config file as one code block", async () => {
      const doc = await extractDocument({ bytes: fixture(`guide.${ext}`), filename: `guide.${ext}` });
      expect(doc.blocks.filter((b) => b.kind === "list")).toEqual([{ kind: "list", text: REQUIREMENTS }]);
      expect(doc.blocks.filter((b) => b.kind === "code")).toEqual([{ kind: "code", text: CONFIG_CODE }]);
    });
  });

  it("reads the same blocks from md, html, txt and docx", async () => {
    const [md, ...others] = await Promise.all(
      (["md", "html", "txt", "docx"] as const).map((ext) => extractDocument({ bytes: fixture(`guide.${ext}`), filename: `guide.${ext}` })),
    );
    for (const doc of others) expect(doc.blocks).toEqual(md?.blocks);
  });

  it("reads the same text from the PDF, with the page break as a paragraph boundary", async () => {
    const md = await extractDocument({ bytes: fixture("guide.md"), filename: "guide.md" });
    const pdf = await extractDocument({ bytes: fixture("guide.pdf"), filename: "guide.pdf" });
    expect(flatText(pdf.blocks)).toBe(flatText(md.blocks));
    // Page 1 of the fixture ends in the middle of a paragraph: PDF text keeps no paragraph
    // across pages, so it is two paragraph blocks there.
    const at = pdf.blocks.findIndex((b) => b.text.endsWith("override the local file. Ask"));
    expect(at).toBeGreaterThan(0);
    expect(pdf.blocks[at + 1]).toEqual({
      kind: "paragraph",
      text: "your administrator before changing them, because a managed value is restored on every restart.",
    });
  });

  it("drops HTML page chrome: head, scripts, styles, nav and footer", async () => {
    const doc = await extractDocument({ bytes: fixture("guide.html"), filename: "guide.html" });
    const text = flatText(doc.blocks);
    for (const noise of ["window.analytics", "font-family", "Pricing", "Copyright 2025"]) expect(text).not.toContain(noise);
  });
});

describe("extractDocument: errors", () => {
  it("refuses binary data in a text file", async () => {
    await expectExtractionError(extractDocument({ bytes: fixture("binary.txt"), filename: "binary.txt" }), /binary data/);
  });

  it("reports a PDF without a text layer as probably scanned", async () => {
    await expectExtractionError(extractDocument({ bytes: fixture("scanned.pdf"), filename: "scanned.pdf" }), "no extractable text (scanned PDF?)");
  });

  it("reports a damaged PDF", async () => {
    await expectExtractionError(extractDocument({ bytes: utf8("%PDF-1.7\nthis is not really a PDF\n"), filename: "broken.pdf" }), /PDF/);
    const truncated = fixture("guide.pdf").subarray(0, 200);
    await expectExtractionError(extractDocument({ bytes: truncated, filename: "truncated.pdf" }), /PDF/);
  });

  it("reports a damaged DOCX", async () => {
    const half = fixture("guide.docx").subarray(0, 1500); // local headers survive, the central directory does not
    await expectExtractionError(extractDocument({ bytes: half, filename: "guide.docx" }), /DOCX/);
    await expectExtractionError(
      extractDocument({ bytes: utf8("just text"), filename: "notes.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }),
      /DOCX/,
    );
  });

  it("explains legacy .doc and encrypted Word files", async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expectExtractionError(extractDocument({ bytes: ole, filename: "old.doc" }), /legacy \.doc or a password-protected Word file/);
  });

  it("refuses unsupported types with the list of supported ones", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await expectExtractionError(extractDocument({ bytes: png, filename: "photo.png", mimeType: "image/png" }), /unsupported file type \(\.png\).*txt, md, html, pdf or docx/);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8("xl/workbook.xml"), 0, 0]);
    await expectExtractionError(extractDocument({ bytes: zip, filename: "sheet.xlsx" }), /ZIP archive that is not a Word document/);
  });

  it("refuses documents without any text", async () => {
    await expectExtractionError(extractDocument({ bytes: utf8(" \n\n \t\n"), filename: "empty.txt" }), "the document contains no text");
    await expectExtractionError(extractDocument({ bytes: utf8("<html><body><nav>Home</nav></body></html>"), filename: "x.html" }), "the document contains no text");
  });
});

describe("detectKind", () => {
  const pdf = fixture("guide.pdf");
  const docx = fixture("guide.docx");

  it("uses the MIME type first (parameters ignored), then the extension", () => {
    expect(detectKind(utf8("# Hi"), "notes.txt", "text/markdown")).toBe("md");
    expect(detectKind(utf8("<p>x</p>"), "page", "text/html; charset=utf-8")).toBe("html");
    expect(detectKind(utf8("# Hi"), "notes.markdown")).toBe("md");
    expect(detectKind(utf8("<p>x</p>"), "C:\\docs\\page.HTM", "application/octet-stream")).toBe("html");
  });

  it("treats text/plain as weaker than a known extension (browsers send it for .md)", () => {
    expect(detectKind(utf8("# Hi"), "README.md", "text/plain")).toBe("md");
    expect(detectKind(utf8("plain"), "notes.txt", "text/plain")).toBe("txt");
    expect(detectKind(utf8("plain"), "notes.log", "text/plain")).toBe("txt");
  });

  it("trusts PDF and DOCX signatures over names and declared types", () => {
    expect(detectKind(pdf, "upload")).toBe("pdf");
    expect(detectKind(pdf, "guide.txt", "text/plain")).toBe("pdf");
    expect(detectKind(docx, "upload.bin", "application/octet-stream")).toBe("docx");
  });

  it("sniffs HTML, Markdown and plain text without a name or type", () => {
    expect(detectKind(utf8("\uFEFF  <!DOCTYPE html><html><body>x</body></html>"), "upload")).toBe("html");
    expect(detectKind(utf8("<html lang=en><p>x</p></html>"), "upload")).toBe("html");
    expect(detectKind(utf8("---\ntitle: x\n---\nbody"), "upload")).toBe("md");
    expect(detectKind(utf8("# Heading\n\ntext"), "upload")).toBe("md");
    expect(detectKind(utf8("Dear team, hello."), "upload")).toBe("txt");
  });

  it("extracts a sniffed document end to end", async () => {
    const doc = await extractDocument({ bytes: fixture("guide.docx"), filename: "attachment" });
    expect(doc.title).toBe("Harbor Sync User Guide");
    expect(doc.blocks.filter((b) => b.kind === "heading")).toHaveLength(5);
  });
});

describe("extractDocument: text decoding and titles", () => {
  it("strips a UTF-8 BOM, normalises CRLF and whitespace", async () => {
    const doc = await extractDocument({ bytes: utf8("\uFEFFHello \u00a0  world\r\nsecond\tline\r\n\r\nNext  paragraph."), filename: "a.txt" });
    expect(doc.blocks).toEqual([
      { kind: "paragraph", text: "Hello world second line" },
      { kind: "paragraph", text: "Next paragraph." },
    ]);
  });

  it("decodes UTF-16 with a BOM and falls back to Windows-1252 for invalid UTF-8", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Grüße aus Köln", "utf16le")]);
    expect((await extractDocument({ bytes: new Uint8Array(le), filename: "de.txt" })).blocks).toEqual([{ kind: "paragraph", text: "Grüße aus Köln" }]);
    const cp1252 = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x35]); // "Café €5"
    expect((await extractDocument({ bytes: cp1252, filename: "fr.txt" })).blocks).toEqual([{ kind: "paragraph", text: "Café €5" }]);
  });

  it("defaults the title to the file name without its extension", async () => {
    expect((await extractDocument({ bytes: utf8("Just a line."), filename: "dir/Quarterly report.v2.txt" })).title).toBe("Quarterly report.v2");
    expect((await extractDocument({ bytes: utf8("<p>No title here</p>"), filename: "page.html" })).title).toBe("page");
    expect((await extractDocument({ bytes: utf8("## Only a level-2 heading\n\ntext"), filename: "notes.md" })).title).toBe("notes");
  });

  it("takes the title from front matter, <title>, or a leading level-1 heading", async () => {
    expect((await extractDocument({ bytes: utf8('---\ntitle: "Release notes"\n---\n# Other\n\ntext'), filename: "a.md" })).title).toBe("Release notes");
    expect((await extractDocument({ bytes: utf8("<title> Page &amp; title </title><h1>H</h1><p>x</p>"), filename: "a.html" })).title).toBe("Page & title");
    expect((await extractDocument({ bytes: utf8("<h1>First heading</h1><p>x</p>"), filename: "a.html" })).title).toBe("First heading");
    expect((await extractDocument({ bytes: utf8("Notes\n=====\n\ntext"), filename: "a.txt" })).title).toBe("Notes");
  });
});

describe("extractDocument: limits on what one document may cost", () => {
  const limits = { maxInflatedBytes: 4 * 1024 * 1024, maxPages: 2_000 };

  it("refuses a DOCX decompression bomb before parsing it, naming the limit", async () => {
    const bomb = new Uint8Array(docxBomb(64 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expect(extractDocument({ bytes: bomb, filename: "bomb.docx", limits })).rejects.toThrow(/4194304-byte limit on decompressed document size/);
  });

  it("refuses a bomb whose ZIP directory understates the inflated size", async () => {
    const bomb = docxBomb(16 * 1024 * 1024);
    // Rewrite every declared uncompressed size (central directory and local headers) to 1 byte.
    for (let i = 0; i + 4 <= bomb.length; i++) {
      const sig = bomb.readUInt32LE(i);
      if (sig === 0x02014b50) bomb.writeUInt32LE(1, i + 24);
      if (sig === 0x04034b50) bomb.writeUInt32LE(1, i + 22);
    }
    await expect(extractDocument({ bytes: new Uint8Array(bomb), filename: "liar.docx", limits })).rejects.toThrow(/limit on decompressed document size/);
  });

  it("still reads a DOCX under the limit", async () => {
    const doc = await extractDocument({ bytes: new Uint8Array(docx(["First paragraph.", "Second paragraph."])), filename: "ok.docx", limits });
    expect(doc.blocks.map((b) => b.text)).toEqual(["First paragraph.", "Second paragraph."]);
    expect((await extractDocument({ bytes: fixture("guide.docx"), filename: "guide.docx", limits })).blocks.length).toBeGreaterThan(3);
  });

  it("refuses a PDF over the page limit, naming it, and reads one within it", async () => {
    await expect(extractDocument({ bytes: fixture("guide.pdf"), filename: "guide.pdf", limits: { ...limits, maxPages: 1 } })).rejects.toThrow(
      "the PDF has 2 pages, over the 1-page limit (VECSTRUCT_MAX_DOCUMENT_PAGES); split it into smaller files",
    );
    expect((await extractDocument({ bytes: fixture("guide.pdf"), filename: "guide.pdf", limits: { ...limits, maxPages: 2 } })).blocks.length).toBeGreaterThan(3);
  });
});
