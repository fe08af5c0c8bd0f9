import { describe, expect, it } from "vitest";
import { parseHtml } from "./html";
import { inline, parseMarkdown } from "./markdown";
import { parseText } from "./txt";

describe("parseMarkdown", () => {
  it("skips front matter and reads headings, paragraphs, fenced code, lists and tables", () => {
    const md = [
      "---",
      "title: Handbook",
      "tags: [a, b]",
      "---",
      "# Install",
      "",
      "Run the installer",
      "and follow the prompts.",
      "",
      "## Linux {#linux}",
      "",
      "```bash",
      "sudo apt install harbor",
      "",
      "# not a heading, a shell comment",
      "    indented line",
      "```",
      "",
      "1. Download",
      "2. Install",
      "   with sudo",
      "   - nested *item*",
      "",
      "| Flag | Meaning |",
      "|:-----|--------:|",
      "| `-v` | verbose \\| loud |",
      "| `-q` | quiet |",
      "",
      "Setext heading",
      "--------------",
      "",
      "> A quoted",
      "> remark.",
      "",
      "***",
      "",
      "    four-space code",
      "",
      "Text with [a link](https://example.com/a_(b)) and ![a diagram](d.png) and `a*b*c` and **bold** and snake_case.",
    ].join("\n");
    const doc = parseMarkdown(md);
    expect(doc.title).toBe("Handbook");
    expect(doc.blocks).toEqual([
      { kind: "heading", level: 1, text: "Install" },
      { kind: "paragraph", text: "Run the installer and follow the prompts." },
      { kind: "heading", level: 2, text: "Linux" },
      { kind: "code", text: "sudo apt install harbor\n\n# not a heading, a shell comment\n    indented line" },
      { kind: "list", text: "1. Download\n2. Install with sudo\n  - nested item" },
      { kind: "table", text: "Flag | Meaning\n-v | verbose | loud\n-q | quiet" },
      { kind: "heading", level: 2, text: "Setext heading" },
      { kind: "paragraph", text: "A quoted remark." },
      { kind: "code", text: "four-space code" },
      { kind: "paragraph", text: "Text with a link and a diagram and a*b*c and bold and snake_case." },
    ]);
  });

  it("keeps an unclosed fence as code to the end, and ignores unterminated front matter", () => {
    expect(parseMarkdown("---\nnot front matter\n\n```\ncode\nmore").blocks).toEqual([
      { kind: "paragraph", text: "not front matter" },
      { kind: "code", text: "code\nmore" },
    ]);
  });

  it("reduces inline markup to text", () => {
    expect(inline("**a** __b__ *c* _d_ ~~e~~ `f *g*` [h][ref] <https://x.y> <span>i</span> \\*j\\* &amp; &#169;")).toBe(
      "a b c d e f *g* h https://x.y i *j* & ©",
    );
    expect(inline("ignore *.tmp and *.log files")).toBe("ignore *.tmp and *.log files");
  });
});

describe("parseHtml", () => {
  it("reads only <main> when there is one and drops hidden and navigational elements", () => {
    const doc = parseHtml(`<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
      <header><a href="/">Logo</a></header><nav><ul><li>Menu</li></ul></nav>
      <main><h1>Doc</h1><p>Visible <b>text</b>.</p><p hidden>Hidden</p><div aria-hidden="true">Also hidden</div>
      <aside>Related links</aside><script>alert("<p>x</p>")</script><noscript>Enable JS</noscript></main>
      <footer>Footer</footer></body></html>`);
    expect(doc.title).toBe("T");
    expect(doc.blocks).toEqual([
      { kind: "heading", level: 1, text: "Doc" },
      { kind: "paragraph", text: "Visible text." },
    ]);
  });

  it("maps lists, tables, pre and loose text; decodes entities", () => {
    const doc = parseHtml(`<body><div>Loose &amp; <em>inline</em> text<div>Inner block</div></div>
      <ol start="3"><li>Three<ul><li>Sub <code>item</code></li></ul></li><li><p>Four</p></li></ol>
      <table><caption>Plans</caption><thead><tr><th>Plan</th><th>Price</th></tr></thead>
        <tbody><tr><td>Pro</td><td>$10</td></tr></tbody></table>
      <pre><code>if (a &lt; b) {
    go();
}</code></pre><h4>Deep   heading</h4></body>`);
    expect(doc.blocks).toEqual([
      { kind: "paragraph", text: "Loose & inline text" },
      { kind: "paragraph", text: "Inner block" },
      { kind: "list", text: "3. Three\n  - Sub item\n4. Four" },
      { kind: "table", text: "Plans\nPlan | Price\nPro | $10" },
      { kind: "code", text: "if (a < b) {\n    go();\n}" },
      { kind: "heading", level: 4, text: "Deep heading" },
    ]);
  });
});

describe("parseText", () => {
  it("splits paragraphs on blank lines and recognises underlined headings, lists and indented code", () => {
    const text = [
      "Title",
      "=====",
      "",
      "First paragraph",
      "wrapped here.",
      "",
      "Section",
      "-------",
      "- one",
      "- two",
      "  continued",
      "",
      "    code line 1",
      "      nested",
      "",
      "    code line 2",
      "",
      "Subsection",
      "~~~~~~~~~~",
      "",
      "1) first",
      "2) second",
      "",
      "----------",
      "",
      "Last words.",
    ].join("\n");
    expect(parseText(text)).toEqual([
      { kind: "heading", level: 1, text: "Title" },
      { kind: "paragraph", text: "First paragraph wrapped here." },
      { kind: "heading", level: 2, text: "Section" },
      { kind: "list", text: "- one\n- two continued" },
      { kind: "code", text: "code line 1\n  nested\n\ncode line 2" },
      { kind: "heading", level: 3, text: "Subsection" },
      { kind: "list", text: "1. first\n2. second" },
      { kind: "paragraph", text: "Last words." },
    ]);
  });
});
