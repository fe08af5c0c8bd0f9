"use client";

// Assistant replies as markdown (GFM tables, lists, code). react-markdown never renders raw HTML
// and drops unsafe URLs (javascript: …), so model output cannot script the console. Images are never
// loaded: a reply steered by a poisoned document could otherwise exfiltrate the conversation in an
// image URL the browser fetches on its own; the alt text and a link (opened only on a click) show instead.
import { useState, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

function CodeBlock({ language, children }: { language: string | null; children: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="group relative my-3 overflow-hidden rounded-md border border-zinc-200 bg-zinc-950 text-zinc-100 dark:border-zinc-700">
      <div className="flex items-center justify-between border-b border-zinc-800 px-3 py-1 text-xs text-zinc-400">
        <span>{language ?? "code"}</span>
        <button
          type="button"
          className="rounded px-1.5 py-0.5 hover:bg-zinc-800 hover:text-zinc-100"
          onClick={() => {
            void navigator.clipboard?.writeText(children).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre className="overflow-x-auto p-3 text-[13px] leading-relaxed">
        <code>{children}</code>
      </pre>
    </div>
  );
}

const text = (node: ReactNode): string => (typeof node === "string" ? node : Array.isArray(node) ? node.map(text).join("") : "");

const components: Components = {
  // Fenced blocks arrive as <pre><code class="language-x">; inline code has no <pre> parent.
  pre: ({ children }) => <>{children}</>,
  code: ({ className, children }) => {
    const lang = /language-([\w+-]+)/.exec(className ?? "")?.[1] ?? null;
    const content = text(children);
    if (lang || content.includes("\n")) return <CodeBlock language={lang}>{content.replace(/\n$/, "")}</CodeBlock>;
    return <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-zinc-800">{children}</code>;
  },
  img: ({ src, alt }) => {
    const label = `[image${alt ? `: ${alt}` : ""}]`;
    const url = typeof src === "string" && /^https?:\/\//i.test(src) ? src : null;
    if (!url) return <span className="text-zinc-500 dark:text-zinc-400">{label}</span>;
    return (
      <a href={url} target="_blank" rel="noreferrer noopener" title={url} data-testid="markdown-image-link" className="text-blue-700 underline dark:text-blue-400">
        {label}
      </a>
    );
  },
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener" className="text-blue-700 underline dark:text-blue-400">
      {children}
    </a>
  ),
};

export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown text-sm leading-relaxed">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
