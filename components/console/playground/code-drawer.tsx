"use client";

import { useState } from "react";
import { Drawer } from "@/components/ui/drawer";
import { Button } from "@/components/ui/primitives";
import { curlSnippet, pythonSnippet, typescriptSnippet, type buildChatRequest } from "@/lib/client/playground-request";

const TABS = ["curl", "Python", "TypeScript"] as const;

/** "View code": the request the playground would send next, for an API client with a key. */
export function CodeDrawer({ body, onClose }: { body: ReturnType<typeof buildChatRequest>; onClose: () => void }) {
  const [tab, setTab] = useState<(typeof TABS)[number]>("curl");
  const base = `${window.location.origin}/v1`;
  const code = tab === "curl" ? curlSnippet(base, body) : tab === "Python" ? pythonSnippet(base, body) : typescriptSnippet(base, body);
  return (
    <Drawer labelledBy="code-title" onClose={onClose}>
      <div className="space-y-4 p-6">
        <div className="flex items-center justify-between">
          <h2 id="code-title" className="text-lg font-semibold">
            View code
          </h2>
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The same request as the playground sends, for any OpenAI client. Create a key for this project under API keys and export it as <code>VECSTRUCT_API_KEY</code>.
        </p>
        <div role="tablist" aria-label="Language" className="flex gap-1">
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={`rounded-md px-3 py-1 text-sm ${tab === t ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
            >
              {t}
            </button>
          ))}
        </div>
        <pre role="tabpanel" data-testid="code-snippet" className="overflow-x-auto rounded-md bg-zinc-950 p-4 text-[13px] leading-relaxed text-zinc-100">
          {code}
        </pre>
        <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(code)}>
          Copy
        </Button>
      </div>
    </Drawer>
  );
}
