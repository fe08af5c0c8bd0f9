"use client";

import { Input, Label, Textarea } from "@/components/ui/primitives";
import type { CatalogModel } from "@/lib/client/hooks-models";
import type { RagDocument } from "@/lib/client/hooks-documents";
import { MESSAGES_DEFAULT_MAX_TOKENS } from "@/lib/client/playground-messages";
import { PLAYGROUND_DIALECTS } from "@/lib/client/playground-dialects";
import type { PlaygroundSettings } from "@/lib/client/playground-request";

const num = (v: string, parse: (s: string) => number) => (v.trim() === "" ? null : parse(v));
const box = "rounded-lg border border-zinc-200 p-3 dark:border-zinc-700";

export function SettingsPanel({
  settings,
  onChange,
  models,
  documents,
}: {
  settings: PlaygroundSettings;
  onChange: (patch: Partial<PlaygroundSettings>) => void;
  models: CatalogModel[];
  documents: RagDocument[];
}) {
  const toggleDoc = (id: string) =>
    onChange({ ragSourceIds: settings.ragSourceIds.includes(id) ? settings.ragSourceIds.filter((d) => d !== id) : [...settings.ragSourceIds, id] });
  return (
    <div className="space-y-4 text-sm">
      <fieldset className={box}>
        <legend className="px-1 font-medium">API</legend>
        {PLAYGROUND_DIALECTS.map((d) => (
          <label key={d.id} className="flex items-center gap-2">
            <input type="radio" name="pg-dialect" value={d.id} checked={settings.dialect === d.id} onChange={() => onChange({ dialect: d.id })} />
            {d.label} <code className="text-xs text-zinc-500">{d.route}</code>
          </label>
        ))}
      </fieldset>
      <div>
        <Label htmlFor="pg-model">Model</Label>
        <select
          id="pg-model"
          className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={settings.model}
          onChange={(e) => onChange({ model: e.target.value })}
        >
          {models.length === 0 ? <option value="">No chat models available</option> : null}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
            </option>
          ))}
        </select>
      </div>
      <div>
        <Label htmlFor="pg-system">System prompt</Label>
        <Textarea id="pg-system" rows={3} value={settings.system} placeholder="You are a helpful assistant." onChange={(e) => onChange({ system: e.target.value })} />
      </div>
      <div className="grid grid-cols-3 gap-2">
        <div>
          <Label htmlFor="pg-temperature">Temperature</Label>
          <Input id="pg-temperature" type="number" min={0} max={2} step={0.1} placeholder="default" value={settings.temperature ?? ""} onChange={(e) => onChange({ temperature: num(e.target.value, Number) })} />
        </div>
        <div>
          <Label htmlFor="pg-max-tokens">Max tokens</Label>
          <Input id="pg-max-tokens" type="number" min={1} step={1} placeholder={settings.dialect === "messages" ? String(MESSAGES_DEFAULT_MAX_TOKENS) : "default"} value={settings.maxTokens ?? ""} onChange={(e) => onChange({ maxTokens: num(e.target.value, (s) => Math.trunc(Number(s))) })} />
        </div>
        <div>
          <Label htmlFor="pg-top-p">Top p</Label>
          <Input id="pg-top-p" type="number" min={0} max={1} step={0.05} placeholder="default" value={settings.topP ?? ""} onChange={(e) => onChange({ topP: num(e.target.value, Number) })} />
        </div>
      </div>

      <fieldset className={box}>
        <legend className="px-1 font-medium">Retrieval (RAG)</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={settings.rag} onChange={(e) => onChange({ rag: e.target.checked })} />
          Use the project&apos;s documents
        </label>
        {settings.rag ? (
          <div className="mt-3 space-y-3">
            <div>
              <Label htmlFor="pg-top-k">Passages (top k)</Label>
              <Input id="pg-top-k" type="number" min={1} max={50} value={settings.ragTopK} onChange={(e) => onChange({ ragTopK: Math.min(50, Math.max(1, Math.trunc(Number(e.target.value) || 1))) })} />
            </div>
            <div>
              <p className="mb-1 font-medium text-zinc-700 dark:text-zinc-300" id="pg-docs-label">
                Only these documents
              </p>
              {documents.length === 0 ? (
                <p className="text-xs text-zinc-500">No ready documents yet. Upload some on the Documents page.</p>
              ) : (
                <ul aria-labelledby="pg-docs-label" className="max-h-40 space-y-1 overflow-y-auto">
                  {documents.map((d) => (
                    <li key={d.id}>
                      <label className="flex items-center gap-2">
                        <input type="checkbox" checked={settings.ragSourceIds.includes(d.id)} onChange={() => toggleDoc(d.id)} />
                        <span className="truncate">{d.title}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-1 text-xs text-zinc-500">None checked: every document of the project.</p>
            </div>
          </div>
        ) : null}
      </fieldset>

      <fieldset className={box}>
        <legend className="px-1 font-medium">Memory</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={settings.memory} onChange={(e) => onChange({ memory: e.target.checked })} />
          Recall and learn memories
        </label>
        {settings.memory ? (
          <div className="mt-3">
            <Label htmlFor="pg-user-id">End-user id</Label>
            <Input id="pg-user-id" value={settings.userId} placeholder="u-42" onChange={(e) => onChange({ userId: e.target.value })} />
          </div>
        ) : null}
      </fieldset>
    </div>
  );
}
