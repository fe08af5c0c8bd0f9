"use client";

import { useState } from "react";
import { Drawer } from "@/components/ui/drawer";
import { CodeTabs } from "@/components/ui/code-tabs";
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
        <CodeTabs tabs={TABS} tab={tab} onTab={setTab} code={code} testId="code-snippet" />
      </div>
    </Drawer>
  );
}
