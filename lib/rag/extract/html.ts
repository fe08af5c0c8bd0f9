import { HTMLElement, NodeType, parse, type Node } from "node-html-parser";
import { decodeText, normalizeCode, normalizeInline } from "./text";
import type { Block, ParsedDocument } from "./types";

/** Elements whose content is never document text. */
const NOISE = [
  "head",
  "template",
  "nav",
  "footer",
  "aside",
  "svg",
  "math",
  "iframe",
  "object",
  "embed",
  "canvas",
  "video",
  "audio",
  "map",
  "button",
  "select",
  "input",
  "[hidden]",
  '[aria-hidden="true"]',
  '[role="navigation"]',
  '[role="contentinfo"]',
].join(", ");

/** Elements that end the running paragraph (their content, if any, is walked as separate text). */
const BREAKING = new Set([
  "html", "body", "main", "article", "section", "div", "header", "blockquote", "figure", "figcaption",
  "address", "details", "summary", "dl", "dt", "dd", "fieldset", "form", "legend", "li", "hr", "center",
  "caption", "hgroup", "search", "tr", "td", "th", "tbody", "thead", "tfoot",
]);

export function extractHtml(bytes: Uint8Array): ParsedDocument {
  return parseHtml(decodeText(bytes));
}

/**
 * HTML → blocks. Scripts, styles and page chrome (nav, footer, aside, hidden elements) are
 * dropped; when the page has a <main>, only it is read. h1–h6 become headings; p, pre, ul/ol
 * and table become paragraph, code, list and table blocks; loose text inside other
 * containers becomes paragraphs. The title is <title>, else the first h1.
 */
export function parseHtml(html: string): ParsedDocument {
  // Raw-text elements listed with `false` are parsed as opaque and their content dropped.
  const root = parse(html, {
    comment: false,
    blockTextElements: { script: false, style: false, noscript: false, textarea: false },
  });

  const titleElement = root.querySelector("title");
  let title = titleElement ? normalizeInline(titleElement.text) : "";
  if (!title) title = normalizeInline(root.querySelector("h1")?.text ?? "");

  for (const el of root.querySelectorAll(NOISE)) el.remove();

  const main = root.querySelector("main");
  const scope = main && normalizeInline(main.text) ? main : (root.querySelector("body") ?? root);

  const builder = new BlockBuilder();
  builder.walk(scope);
  builder.flush();
  return { title: title || undefined, blocks: builder.blocks };
}

class BlockBuilder {
  readonly blocks: Block[] = [];
  private inline: string[] = [];

  flush(): void {
    const text = normalizeInline(this.inline.join(""));
    if (text) this.blocks.push({ kind: "paragraph", text });
    this.inline = [];
  }

  walk(node: Node): void {
    if (node.nodeType === NodeType.TEXT_NODE) {
      this.inline.push(node.text);
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    const tag = node.tagName?.toLowerCase() ?? "";

    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      this.flush();
      const text = normalizeInline(node.text);
      if (text) this.blocks.push({ kind: "heading", level: Number(heading[1]), text });
      return;
    }
    switch (tag) {
      case "pre": {
        this.flush();
        const text = normalizeCode(node.text);
        if (text) this.blocks.push({ kind: "code", text });
        return;
      }
      case "ul":
      case "ol": {
        this.flush();
        const text = listLines(node, 0).join("\n");
        if (text) this.blocks.push({ kind: "list", text });
        return;
      }
      case "table": {
        this.flush();
        const text = tableText(node);
        if (text) this.blocks.push({ kind: "table", text });
        return;
      }
      case "p": {
        this.flush();
        for (const child of node.childNodes) this.walk(child);
        this.flush();
        return;
      }
      case "br":
        this.inline.push("\n");
        return;
      case "img":
        return;
    }
    const breaking = BREAKING.has(tag);
    if (breaking) this.flush();
    for (const child of node.childNodes) this.walk(child);
    if (breaking) this.flush();
  }
}

/** One line per item, nested lists indented by two spaces, "-" for bullets and "N." for ordered items. */
function listLines(list: HTMLElement, depth: number): string[] {
  const ordered = list.tagName.toLowerCase() === "ol";
  let n = ordered ? Number.parseInt(list.getAttribute("start") ?? "1", 10) || 1 : 1;
  const lines: string[] = [];
  for (const child of list.childNodes) {
    if (!(child instanceof HTMLElement)) continue;
    const tag = child.tagName.toLowerCase();
    if (tag === "ul" || tag === "ol") {
      lines.push(...listLines(child, depth + 1));
      continue;
    }
    if (tag !== "li") continue;
    const nested: HTMLElement[] = [];
    const text = normalizeInline(textWithout(child, nested));
    const marker = ordered ? `${n++}.` : "-";
    if (text) lines.push(`${"  ".repeat(Math.min(depth, 5))}${marker} ${text}`);
    for (const sub of nested) lines.push(...listLines(sub, depth + 1));
  }
  return lines;
}

/** Text of `el` without its nested lists (collected into `nested`); block children are separated by spaces. */
function textWithout(el: HTMLElement, nested: HTMLElement[]): string {
  let out = "";
  for (const child of el.childNodes) {
    if (child.nodeType === NodeType.TEXT_NODE) out += child.text;
    else if (child instanceof HTMLElement) {
      const tag = child.tagName.toLowerCase();
      if (tag === "ul" || tag === "ol") nested.push(child);
      else out += ` ${textWithout(child, nested)} `;
    }
  }
  return out;
}

/** A caption line, then one line per row with cells joined by " | ". */
function tableText(table: HTMLElement): string {
  const lines: string[] = [];
  const caption = table.querySelector("caption");
  if (caption) {
    const text = normalizeInline(caption.text);
    if (text) lines.push(text);
  }
  for (const row of table.querySelectorAll("tr")) {
    if (row.closest("table") !== table) continue; // rows of a nested table are read with it
    const cells = row.childNodes
      .filter((c): c is HTMLElement => c instanceof HTMLElement && /^t[dh]$/i.test(c.tagName))
      .map((c) => normalizeInline(c.text));
    if (cells.some(Boolean)) lines.push(cells.join(" | "));
  }
  return lines.join("\n");
}
