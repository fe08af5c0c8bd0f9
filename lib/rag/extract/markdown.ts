import { LIST_ITEM, decodeText, dedent, listMarker, normalizeCode, normalizeInline } from "./text";
import type { Block, ParsedDocument } from "./types";

/**
 * A small line-based Markdown reader (CommonMark/GFM subset): front matter is skipped (its
 * `title:` is used), ATX and setext headings, fenced and indented code kept whole, lists
 * (nesting kept as indentation), GFM tables, block quotes, paragraphs. Inline markup is
 * reduced to its text (links keep their text, images their alt text).
 */
export function extractMarkdown(bytes: Uint8Array): ParsedDocument {
  return parseMarkdown(decodeText(bytes));
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const BLOCKQUOTE = /^ {0,3}> ?/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]*\S+/;
const INDENTED = /^( {4}|\t)/;

export function parseMarkdown(source: string): ParsedDocument {
  const lines = source.split("\n");
  const blocks: Block[] = [];
  let title: string | undefined;
  let i = 0;

  // Front matter: YAML (---) or TOML (+++) at the very top.
  const fm = lines[0]?.trim();
  if (fm === "---" || fm === "+++") {
    const end = lines.findIndex((l, k) => k > 0 && (l.trim() === fm || (fm === "---" && l.trim() === "...")));
    if (end > 0) {
      for (const line of lines.slice(1, end)) {
        const m = /^title[ \t]*[:=][ \t]*(.+)$/i.exec(line);
        if (m?.[1]) title = normalizeInline(m[1].trim().replace(/^(["'])(.*)\1$/, "$2"));
      }
      i = end + 1;
    }
  }

  let paragraph: string[] = [];
  const flush = () => {
    const text = inline(paragraph.join(" "));
    if (text) blocks.push({ kind: "paragraph", text });
    paragraph = [];
  };

  while (i < lines.length) {
    const line = lines[i] ?? "";

    if (!line.trim()) {
      flush();
      i++;
      continue;
    }

    const fence = FENCE_OPEN.exec(line);
    if (fence && !(fence[2]?.startsWith("`") && fence[3]?.includes("`"))) {
      flush();
      const marker = fence[2] ?? "```";
      const indent = fence[1]?.length ?? 0;
      const body: string[] = [];
      i++;
      while (i < lines.length) {
        const l = lines[i] ?? "";
        const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(l);
        if (close?.[1] && close[1][0] === marker[0] && close[1].length >= marker.length) break;
        body.push(l.replace(new RegExp(`^ {0,${indent}}`), ""));
        i++;
      }
      i++; // closing fence (or end of input)
      const code = normalizeCode(body.join("\n"));
      if (code) blocks.push({ kind: "code", text: code });
      continue;
    }

    const atx = ATX.exec(line);
    if (atx) {
      flush();
      const text = inline((atx[2] ?? "").replace(/[ \t]*\{#[^}]*\}$/, ""));
      if (text) blocks.push({ kind: "heading", level: atx[1]?.length ?? 1, text });
      i++;
      continue;
    }

    const setext = SETEXT.exec(line);
    if (setext && paragraph.length > 0) {
      const text = inline(paragraph.join(" "));
      paragraph = [];
      if (text) blocks.push({ kind: "heading", level: setext[1]?.startsWith("=") ? 1 : 2, text });
      i++;
      continue;
    }

    if (THEMATIC_BREAK.test(line)) {
      flush();
      i++;
      continue;
    }

    if (line.includes("|") && TABLE_DELIMITER.test(lines[i + 1] ?? "") && (lines[i + 1] ?? "").includes("-")) {
      flush();
      const rows: string[] = [tableRow(line)];
      i += 2;
      while (i < lines.length && (lines[i] ?? "").trim() && (lines[i] ?? "").includes("|")) {
        rows.push(tableRow(lines[i] ?? ""));
        i++;
      }
      const text = rows.filter((r) => r.replace(/[| ]/g, "")).join("\n");
      if (text) blocks.push({ kind: "table", text });
      continue;
    }

    const item = LIST_ITEM.exec(line);
    if (item && (item[1]?.length ?? 0) <= 3) {
      flush();
      i = readList(lines, i, blocks);
      continue;
    }

    if (INDENTED.test(line) && paragraph.length === 0) {
      const body: string[] = [];
      while (i < lines.length && (INDENTED.test(lines[i] ?? "") || !(lines[i] ?? "").trim())) {
        body.push(lines[i] ?? "");
        i++;
      }
      const code = normalizeCode(dedent(body).join("\n"));
      if (code) blocks.push({ kind: "code", text: code });
      continue;
    }

    if (BLOCKQUOTE.test(line)) {
      // Quoted text is kept as ordinary paragraphs (one per quote paragraph).
      flush();
      while (i < lines.length && BLOCKQUOTE.test(lines[i] ?? "")) {
        const content = (lines[i] ?? "").replace(/^(?: {0,3}> ?)+/, "");
        if (content.trim()) paragraph.push(content);
        else flush();
        i++;
      }
      flush();
      continue;
    }

    if (/^ {0,3}<!--/.test(line)) {
      flush();
      while (i < lines.length && !(lines[i] ?? "").includes("-->")) i++;
      i++;
      continue;
    }

    if (LINK_DEFINITION.test(line) && paragraph.length === 0) {
      i++;
      continue;
    }

    paragraph.push(line);
    i++;
  }
  flush();
  return { title, blocks };
}

/** Reads a list starting at `start`; pushes one list block; returns the index after it. */
function readList(lines: readonly string[], start: number, blocks: Block[]): number {
  const items: string[] = [];
  const baseIndent = (LIST_ITEM.exec(lines[start] ?? "")?.[1] ?? "").length;
  let i = start;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (!line.trim()) {
      // A blank line ends the list unless the list (or the current item) continues after it.
      let j = i + 1;
      while (j < lines.length && !(lines[j] ?? "").trim()) j++;
      const next = lines[j] ?? "";
      if (j < lines.length && (LIST_ITEM.test(next) || /^( {2,}|\t)/.test(next))) {
        i = j;
        continue;
      }
      break;
    }
    const m = LIST_ITEM.exec(line);
    if (m) {
      const indent = (m[1] ?? "").replace(/\t/g, "    ").length;
      const depth = Math.max(0, Math.floor((indent - baseIndent) / 2));
      items.push(`${"  ".repeat(Math.min(depth, 5))}${listMarker(m[2] ?? "-")} ${inline(m[3] ?? "")}`);
      i++;
      continue;
    }
    // Another block starting right after the list ends it; anything else continues the item.
    if (ATX.test(line) || FENCE_OPEN.test(line) || THEMATIC_BREAK.test(line) || BLOCKQUOTE.test(line)) break;
    const text = inline(line);
    if (text) {
      if (items.length > 0) items[items.length - 1] += ` ${text}`;
      else items.push(text);
    }
    i++;
  }
  const text = items.join("\n");
  if (text.trim()) blocks.push({ kind: "list", text });
  return i;
}

function tableRow(line: string): string {
  const cells = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.replace(/\\\|/g, "|")));
  return cells.join(" | ");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

// "(url)" or "(url "title")"; the url may contain one level of balanced parentheses.
const LINK_TARGET = String.raw`\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`;
const IMAGE = new RegExp(String.raw`!\[([^\]]*)\]` + LINK_TARGET, "g");
const LINK = new RegExp(String.raw`\[([^\]]+)\]` + LINK_TARGET, "g");

/** Reduces inline Markdown to plain text. Code spans and escaped characters are protected from the other rules. */
export function inline(text: string): string {
  const spans: string[] = [];
  let out = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) => {
    spans.push(code.replace(/^ (.*) $/, "$1"));
    return `\u0000${spans.length - 1}\u0000`;
  });
  // Backslash-escaped punctuation is literal: protect it from the emphasis rules.
  out = out.replace(/\\([!-/:-@[-`{-~])/g, (_m, char: string) => {
    spans.push(char);
    return `\u0000${spans.length - 1}\u0000`;
  });
  out = out
    .replace(IMAGE, "$1") // images → alt text
    .replace(LINK, "$1") // links → text
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1") // reference links
    .replace(/\[\^[^\]]+\]/g, "") // footnote references
    .replace(/<((?:https?|ftp|mailto):[^>\s]+)>/gi, "$1") // autolinks
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?\/?>/g, "") // inline HTML tags
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2") // strong
    .replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, "$1") // emphasis (*)
    .replace(/(^|[^\p{L}\p{N}_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu, "$1$2") // emphasis (_)
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1") // strikethrough
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (m, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[name.toLowerCase()] ?? m;
    });
  out = out.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => spans[Number(n)] ?? "");
  return normalizeInline(out);
}
