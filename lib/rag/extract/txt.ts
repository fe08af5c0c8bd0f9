import { LIST_ITEM, decodeText, dedent, listMarker, normalizeCode, normalizeInline } from "./text";
import type { Block, ParsedDocument } from "./types";

// A line made of one repeated punctuation character (=====, -----, ~~~~~): underlines a heading
// ("setext" style, as in Markdown and reStructuredText).
const UNDERLINE = /^[ \t]*([=\-~^*#+])\1{2,}[ \t]*$/;

/**
 * Plain text: paragraphs are separated by blank lines. A few plain-text conventions are
 * recognised because they are unambiguous: underlined headings (the first underline
 * character seen is level 1, the next new one level 2, …), list paragraphs (every item
 * starting with a bullet or "1."), and indented blocks (4+ spaces on every line) as code.
 */
export function extractTxt(bytes: Uint8Array): ParsedDocument {
  return { blocks: parseText(decodeText(bytes)) };
}

export function parseText(text: string): Block[] {
  const blocks: Block[] = [];
  const underlineLevels: string[] = [];
  let codeContinues = false; // the previous paragraph was code: merge (code keeps its blank lines)

  const pushParagraph = (lines: string[]) => {
    if (lines.length === 0) return;
    const first = lines[0] ?? "";
    if (LIST_ITEM.test(first)) {
      blocks.push({ kind: "list", text: listLines(lines).join("\n") });
      codeContinues = false;
    } else if (lines.every((l) => /^( {4}|\t)/.test(l))) {
      const code = normalizeCode(dedentAll(lines));
      const prev = blocks.at(-1);
      if (codeContinues && prev?.kind === "code") prev.text += `\n\n${code}`;
      else blocks.push({ kind: "code", text: code });
      codeContinues = true;
    } else {
      const textLine = normalizeInline(lines.join(" "));
      if (textLine) blocks.push({ kind: "paragraph", text: textLine });
      codeContinues = false;
    }
  };

  for (const paragraph of text.split(/\n[ \t\f\v]*\n/)) {
    const lines = paragraph.split("\n").filter((l) => l.trim() !== "");
    let pending: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const next = lines[i + 1];
      const under = next !== undefined ? UNDERLINE.exec(next) : null;
      if (under && !UNDERLINE.test(line) && !/^( {4}|\t)/.test(line)) {
        pushParagraph(pending);
        pending = [];
        const char = under[1] ?? "=";
        if (!underlineLevels.includes(char)) underlineLevels.push(char);
        const heading = normalizeInline(line);
        if (heading) blocks.push({ kind: "heading", level: Math.min(6, underlineLevels.indexOf(char) + 1), text: heading });
        codeContinues = false;
        i++; // the underline
      } else if (UNDERLINE.test(line) && pending.length === 0) {
        // a separator line on its own
      } else {
        pending.push(line);
      }
    }
    pushParagraph(pending);
  }
  return blocks;
}

function dedentAll(lines: string[]): string {
  return dedent(lines).join("\n");
}

/** List items, one per line, markers normalised; lines without a marker continue the previous item. */
function listLines(lines: readonly string[]): string[] {
  const items: string[] = [];
  const baseIndent = indentOf(lines[0] ?? "");
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    if (m) {
      const depth = Math.max(0, Math.floor((indentOf(line) - baseIndent) / 2));
      items.push(`${"  ".repeat(depth)}${listMarker(m[2] ?? "-")} ${normalizeInline(m[3] ?? "")}`);
    } else if (items.length > 0) {
      items[items.length - 1] += ` ${normalizeInline(line)}`;
    } else {
      items.push(normalizeInline(line));
    }
  }
  return items;
}

function indentOf(line: string): number {
  return (/^[ \t]*/.exec(line)?.[0] ?? "").replace(/\t/g, "    ").length;
}
