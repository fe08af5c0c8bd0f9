"use client";

import { useState, type FormEvent } from "react";
import { Drawer } from "@/components/ui/drawer";
import { Button, FormError, Label } from "@/components/ui/primitives";
import { useUpdateProject, type Project } from "@/lib/client/hooks";
import { useCatalog } from "@/lib/client/hooks-models";

const SELECT_CLASS = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const OFFLINE = "";

/** RAG settings of one project: its embedding model (changing it re-embeds every document) and rerank model. */
export function ProjectSettings({ project, orgId, onClose }: { project: Project; orgId: string | null; onClose: () => void }) {
  const catalog = useCatalog(orgId);
  const update = useUpdateProject(orgId);
  const [embedding, setEmbedding] = useState(project.embedding_model ?? OFFLINE);
  const [rerank, setRerank] = useState(project.rerank_model ?? OFFLINE);
  const usable = (kind: string) => (catalog.data?.data ?? []).filter((m) => m.kind === kind && m.enabled && m.available);
  const embeddingChanged = embedding !== (project.embedding_model ?? OFFLINE);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    await update.mutateAsync({ id: project.id, embedding_model: embedding || null, rerank_model: rerank || null });
    onClose();
  }

  return (
    <Drawer labelledBy="project-settings-title" onClose={onClose}>
      <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div>
          <h2 id="project-settings-title" className="text-lg font-semibold">
            Retrieval settings
          </h2>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{project.name}</p>
        </div>
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="space-y-5 px-5 py-4">
        <div>
          <Label htmlFor="project-embedding-model">Embedding model</Label>
          <select id="project-embedding-model" className={SELECT_CLASS} value={embedding} onChange={(e) => setEmbedding(e.target.value)}>
            <option value={OFFLINE}>Offline default (vecstruct/local-embeddings-en, 512 dimensions)</option>
            {usable("embedding").map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Embeds the project&apos;s documents and the queries run against them.</p>
          {embeddingChanged ? (
            <p role="status" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-300">
              Saving re-embeds every document of this project with the new model. Documents show as queued, then ready again; until then they are not
              retrieved.
            </p>
          ) : null}
        </div>
        <div>
          <Label htmlFor="project-rerank-model">Rerank model</Label>
          <select id="project-rerank-model" className={SELECT_CLASS} value={rerank} onChange={(e) => setRerank(e.target.value)}>
            <option value={OFFLINE}>None (hybrid search order)</option>
            {usable("rerank").map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Reorders the best hybrid-search candidates. If it fails, the hybrid order is kept and the response says so.</p>
        </div>
        <FormError error={catalog.error ?? update.error} />
        <div className="flex gap-2">
          <Button type="submit" disabled={update.isPending || catalog.isPending}>
            {update.isPending ? "Saving…" : "Save"}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Drawer>
  );
}
