"use client";

import { useState } from "react";
import { Drawer } from "@/components/ui/drawer";
import { CodeTabs } from "@/components/ui/code-tabs";
import { Button } from "@/components/ui/primitives";
import { buildMessagesRequest, messagesCurlSnippet, messagesPythonSnippet, messagesTypescriptSnippet } from "@/lib/client/playground-messages";
import { buildChatRequest, curlSnippet, pythonSnippet, typescriptSnippet, type ChatTurn, type PlaygroundSettings } from "@/lib/client/playground-request";

const TABS = ["curl", "Python", "TypeScript"] as const;
type Tab = (typeof TABS)[number];

function snippet(tab: Tab, base: string, settings: PlaygroundSettings, turns: ChatTurn[]): string {
  if (settings.dialect === "messages") {
    const body = buildMessagesRequest(settings, turns);
    return tab === "curl" ? messagesCurlSnippet(base, body) : tab === "Python" ? messagesPythonSnippet(base, body) : messagesTypescriptSnippet(base, body);
  }
  const body = buildChatRequest(settings, turns);
  return tab === "curl" ? curlSnippet(base, body) : tab === "Python" ? pythonSnippet(base, body) : typescriptSnippet(base, body);
}

/** "View code": the request the playground would send next, in its dialect, for an API client with a key. */
export function CodeDrawer({ settings, turns, onClose }: { settings: PlaygroundSettings; turns: ChatTurn[]; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>("curl");
  const code = snippet(tab, `${window.location.origin}/v1`, settings, turns);
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
          The same request as the playground sends, for any {settings.dialect === "messages" ? "Anthropic" : "OpenAI"} client. Create a key for this project under API keys and export it as{" "}
          <code>VECSTRUCT_API_KEY</code>.
        </p>
        <CodeTabs tabs={TABS} tab={tab} onTab={setTab} code={code} testId="code-snippet" />
      </div>
    </Drawer>
  );
}
