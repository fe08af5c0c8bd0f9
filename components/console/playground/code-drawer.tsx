"use client";

import { useState } from "react";
import { Drawer } from "@/components/ui/drawer";
import { CodeTabs } from "@/components/ui/code-tabs";
import { Button } from "@/components/ui/primitives";
import { dialectOf } from "@/lib/client/playground-dialects";
import type { ChatTurn, PlaygroundSettings } from "@/lib/client/playground-request";
import { LANGUAGES, type Language } from "@/lib/client/quickstart";

/** "View code": the request the playground would send next, in its dialect, for an API client with a key. */
export function CodeDrawer({ settings, turns, onClose }: { settings: PlaygroundSettings; turns: ChatTurn[]; onClose: () => void }) {
  const [tab, setTab] = useState<Language>("curl");
  const dialect = dialectOf(settings.dialect);
  const code = dialect.snippet(tab, `${window.location.origin}/v1`, settings, turns);
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
          The same request as the playground sends, for any {dialect.sdk} client. Create a key for this project under API keys and export it as{" "}
          <code>VECSTRUCT_API_KEY</code>.
        </p>
        <CodeTabs tabs={LANGUAGES} tab={tab} onTab={setTab} code={code} testId="code-snippet" />
      </div>
    </Drawer>
  );
}
