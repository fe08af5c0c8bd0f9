"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { useApiKeys, useCreateProject, useDeleteProject, useIsAdmin, useProjects, type Project } from "@/lib/client/hooks";
import { AdminOnlyNote } from "./admin-only";
import { Table } from "@/components/ui/table";
import { ProjectSettings } from "./project-settings";
import { useScope } from "./scope";

function CreateProjectForm({ onDone }: { onDone: () => void }) {
  const { orgId, setProjectId } = useScope();
  const create = useCreateProject(orgId);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const description = String(form.get("description") ?? "").trim();
    const project = await create.mutateAsync({
      name: String(form.get("name") ?? ""),
      ...(description ? { description } : {}),
      keep_metadata_only: form.get("keep_metadata_only") === "on",
    });
    setProjectId(project.id);
    onDone();
  }
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-[1fr_2fr_auto] md:items-end">
        <div>
          <Label htmlFor="project-name">Name</Label>
          <Input id="project-name" name="name" required maxLength={100} autoFocus />
        </div>
        <div>
          <Label htmlFor="project-description">Description</Label>
          <Input id="project-description" name="description" maxLength={2000} />
        </div>
        <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300 md:col-span-3 md:row-start-2">
          <input type="checkbox" name="keep_metadata_only" className="h-4 w-4" />
          Keep metadata only in the audit log (no prompts or answers stored)
        </label>
        <div className="flex gap-2">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create"}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        </div>
        <FormError error={create.error} />
      </form>
    </Card>
  );
}

/** Where a new account lands: until the organization has an API key, point at the Overview's steps. */
function GetStartedBanner({ orgId }: { orgId: string | null }) {
  const keys = useApiKeys(orgId, null);
  if (!keys.data || keys.data.data.length > 0) return null;
  return (
    <Card className="mb-6 flex flex-wrap items-center justify-between gap-3 p-4">
      <div data-testid="get-started-banner">
        <p className="font-medium">New here? Send your first request in three steps.</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Configure a provider, create an API key, copy a working snippet.</p>
      </div>
      <Link href="/overview" className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300">
        Get started
      </Link>
    </Card>
  );
}

export function ProjectsView() {
  const { orgId, orgsLoading, orgsError } = useScope();
  const projects = useProjects(orgId);
  const remove = useDeleteProject(orgId);
  const admin = useIsAdmin(orgId);
  const [creating, setCreating] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [editing, setEditing] = useState<Project | null>(null);
  // `/projects?settings=<id>` (the Documents page's link to the embedding model) opens that project's settings
  // (the list is still loading when this is first read, so server and client render the same).
  const [wanted, setWanted] = useState<string | null>(() => (typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("settings")));
  const settingsOf = editing ?? (wanted ? (projects.data?.data.find((x) => x.id === wanted) ?? null) : null);

  const body = (() => {
    if (orgsError) return <ErrorState error={orgsError} />;
    if (orgsLoading || projects.isPending) return <Loading label="Loading projects…" />;
    if (projects.isError) return <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />;
    const rows = projects.data.data;
    if (rows.length === 0) {
      return (
        <EmptyState title="No projects yet">
          A project groups API keys, documents and memory.{" "}
          {admin === false ? "Ask an admin of this organization to create one." : "Create one to get an API key."}
        </EmptyState>
      );
    }
    return (
      <Table
        rows={rows}
        rowKey={(p) => p.id}
        rowTestId="project-row"
        columns={[
          {
            header: "Name",
            cell: (p) => (
              <>
                <p className="font-medium">{p.name}</p>
                {p.description ? <p className="text-zinc-500 dark:text-zinc-400">{p.description}</p> : null}
                {p.keep_metadata_only ? <p className="text-xs text-amber-700 dark:text-amber-400">metadata-only audit</p> : null}
                <p className="text-xs text-zinc-500" data-testid="project-rag-models">
                  embeddings: {p.embedding_model ?? "offline default"}
                  {p.rerank_model ? ` · rerank: ${p.rerank_model}` : ""}
                </p>
              </>
            ),
          },
          { header: "ID", className: "px-4 py-3 font-mono text-xs text-zinc-600 dark:text-zinc-400", cell: (p) => p.id },
          { header: "Created", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (p) => new Date(p.created_at).toLocaleDateString() },
          {
            className: "px-4 py-3 text-right whitespace-nowrap",
            cell: (p) =>
              confirming === p.id ? (
                <span className="inline-flex gap-2">
                  <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate(p.id, { onSettled: () => setConfirming(null) })}>
                    Delete project
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirming(null)}>
                    Keep
                  </Button>
                </span>
              ) : (
                <span className="inline-flex gap-2">
                  <Link href="/keys" className="rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
                    Keys
                  </Link>
                  {admin ? (
                    <>
                      <Button variant="ghost" aria-label={`Retrieval settings of ${p.name}`} onClick={() => setEditing(p)}>
                        Settings
                      </Button>
                      <Button variant="ghost" aria-label={`Delete ${p.name}`} onClick={() => setConfirming(p.id)}>
                        Delete
                      </Button>
                    </>
                  ) : null}
                </span>
              ),
          },
        ]}
      />
    );
  })();

  return (
    <div>
      <PageHeader
        title="Projects"
        description="Each project has its own API keys, documents and agent memory."
        action={creating || !admin ? null : <Button onClick={() => setCreating(true)}>New project</Button>}
      />
      {admin === false ? <AdminOnlyNote>Only admins can create, configure or delete projects.</AdminOnlyNote> : null}
      <GetStartedBanner orgId={orgId} />
      {creating ? <CreateProjectForm onDone={() => setCreating(false)} /> : null}
      <FormError error={remove.error} />
      <Card>{body}</Card>
      {settingsOf ? (
        <ProjectSettings
          project={settingsOf}
          orgId={orgId}
          onClose={() => {
            setEditing(null);
            setWanted(null);
          }}
        />
      ) : null}
    </div>
  );
}
