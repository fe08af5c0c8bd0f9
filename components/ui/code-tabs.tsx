"use client";
// A code sample in several languages: language tabs (after `before`, e.g. a dialect switch, on the
// same row), the code, and Copy.
import type { ReactNode } from "react";
import { Button } from "@/components/ui/primitives";

export function CodeTabs<T extends string>({ tabs, tab, onTab, code, testId, before }: {
  tabs: readonly T[];
  tab: T;
  onTab: (t: T) => void;
  code: string;
  testId: string;
  before?: ReactNode;
}) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-1">
        {before}
        <div role="tablist" aria-label="Language" className="flex gap-1">
          {tabs.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => onTab(t)}
              className={`rounded-md px-3 py-1 text-sm ${tab === t ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
            >
              {t}
            </button>
          ))}
        </div>
      </div>
      <pre role="tabpanel" data-testid={testId} className="overflow-x-auto rounded-md bg-zinc-950 p-4 text-[13px] leading-relaxed text-zinc-100">
        {code}
      </pre>
      <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(code)}>
        Copy
      </Button>
    </>
  );
}
