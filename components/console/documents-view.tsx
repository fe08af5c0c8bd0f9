"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { Button, Card, EmptyState, ErrorState, FormError, Loading, PageHeader } from "@/components/ui/primitives";
import { Table } from "@/components/ui/table";
import { useIsAdmin, useProjects } from "@/lib/client/hooks";
import { documentKind, formatBytes, useDeleteDocument, useDocuments, type RagDocument } from "@/lib/client/hooks-documents";
import { formatInt } from "@/lib/client/hooks-observability";
import { ChunksPanel } from "./documents/chunks-panel";
import { PasteTextForm } from "./documents/paste-text-form";
import { SearchBox } from "./documents/search-box";
import { DocumentStatusBadge } from "./documents/status-badge";
import { UploadZone } from "./documents/upload-zone";
import { useScope } from "./scope";

const RagHint = () => <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">vecstruct: {"{rag: true}"}</code>;

function DocumentsTable({
  rows,
  onChunks,
  onDelete,
  deleting,
  canDelete,
}: {
  rows: RagDocument[];
  onChunks: (d: RagDocument) => void;
  onDelete: (d: RagDocument) => void;
  deleting: boolean;
  /** Deleting a document is an admin's (the API refuses members). */
  canDelete: boolean;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <Table
      scroll
      rows={rows}
      rowKey={(d) => d.id}
      rowTestId="document-row"
      rowClassName="align-top"
      columns={[
        {
          header: "Title",
          className: "max-w-xs px-4 py-3",
          cell: (d) => (
            <>
              <p className="truncate font-medium" title={d.title}>
                {d.title}
              </p>
              {d.filename ? (
                <p className="truncate text-xs text-zinc-500" title={d.filename}>
                  {d.filename}
                </p>
              ) : null}
            </>
          ),
        },
        { header: "Type", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (d) => documentKind(d) },
        { header: "Size", align: "right", className: "px-4 py-3 whitespace-nowrap tabular-nums text-zinc-600 dark:text-zinc-400", cell: (d) => formatBytes(d.size_bytes) },
        {
          header: "Status",
          className: "max-w-xs px-4 py-3",
          cell: (d) => (
            <>
              <DocumentStatusBadge doc={d} />
              {d.status === "failed" && d.error ? <p className="mt-1 text-xs text-red-700 dark:text-red-300">{d.error}</p> : null}
            </>
          ),
        },
        { header: "Chunks", align: "right", className: "px-4 py-3 tabular-nums text-zinc-600 dark:text-zinc-400", cell: (d) => (d.status === "ready" ? formatInt(d.chunk_count) : "—") },
        {
          header: "Created",
          className: "px-4 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400",
          cell: (d) => new Date(d.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
        },
        {
          className: "px-4 py-2 text-right whitespace-nowrap",
          cell: (d) =>
            confirming === d.id ? (
              <span className="inline-flex gap-2">
                <Button variant="danger" disabled={deleting} onClick={() => onDelete(d)}>
                  Delete document
                </Button>
                <Button variant="secondary" onClick={() => setConfirming(null)}>
                  Keep
                </Button>
              </span>
            ) : (
              <span className="inline-flex gap-1">
                <Button variant="ghost" id={`chunks-open-${d.id}`} aria-label={`Chunks of ${d.title}`} onClick={() => onChunks(d)}>
                  Chunks
                </Button>
                {canDelete ? (
                  <Button variant="ghost" aria-label={`Delete ${d.title}`} onClick={() => setConfirming(d.id)}>
                    Delete
                  </Button>
                ) : null}
              </span>
            ),
        },
      ]}
    />
  );
}

/**
 * The offline default embeds English only. Chinese questions on Chinese documents are found by keywords,
 * and Chinese ↔ English questions by the built-in dictionary's keywords (bench:rag's multilingual set:
 * about three cross-lingual questions in five); meaning across languages, and other languages, need a
 * multilingual model (docs/rag.md).
 */
function MultilingualHint({ projectId }: { projectId: string }) {
  return (
    <p className="mb-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="multilingual-hint">
      This project embeds with the offline default model, which understands English only: questions in another language need a multilingual embedding model
      (Chinese ↔ English questions are matched by keywords through a built-in dictionary, about three in five). Set the
      project&apos;s embedding model (e.g. <code className="font-mono text-xs">baai/bge-m3</code>) in{" "}
      <Link href={`/projects?settings=${encodeURIComponent(projectId)}`} className="underline underline-offset-2">
        its retrieval settings
      </Link>
      .
    </p>
  );
}

function Documents({ orgId, projectId }: { orgId: string | null; projectId: string | null }) {
  const { orgsLoading, orgsError, projects } = useScope();
  const projectsQuery = useProjects(orgId);
  const docs = useDocuments(orgId, projectId);
  const remove = useDeleteDocument(orgId, projectId);
  const admin = useIsAdmin(orgId);
  const [pasting, setPasting] = useState(false);
  const [open, setOpen] = useState<{ id: string; title: string } | null>(null);
  const projectName = projects.find((p) => p.id === projectId)?.name;
  const rows = docs.data?.pages.flatMap((p) => p.data) ?? [];
  const project = projectsQuery.data?.data.find((p) => p.id === projectId);
  const offlineModel = project !== undefined && project.embedding_model === null;

  const closePanel = useCallback(() => {
    const id = open?.id;
    setOpen(null);
    requestAnimationFrame(() => document.getElementById(`chunks-open-${id}`)?.focus());
  }, [open]);

  const deleteDocument = (d: RagDocument) =>
    remove.mutate(d.id, {
      onSuccess: () => setOpen((o) => (o?.id === d.id ? null : o)),
    });

  if (orgsError) return <ErrorState error={orgsError} />;
  if (orgsLoading || (orgId && projectsQuery.isPending)) return <Loading label="Loading documents…" />;
  if (!projectId) {
    return (
      <div>
        <PageHeader title="Documents" description="Documents give chat requests a knowledge base to answer from." />
        <Card>
          <EmptyState title="No project selected">Create a project first: documents belong to a project.</EmptyState>
        </Card>
      </div>
    );
  }

  const table = (() => {
    if (docs.isPending) return <Loading label="Loading documents…" />;
    if (docs.isError) return <ErrorState error={docs.error} onRetry={() => void docs.refetch()} />;
    if (rows.length === 0) {
      return (
        <EmptyState title="No documents in this project yet">
          Upload a document; then send <RagHint /> with a chat request.
        </EmptyState>
      );
    }
    return <DocumentsTable rows={rows} deleting={remove.isPending} canDelete={admin === true} onChunks={(d) => setOpen({ id: d.id, title: d.title })} onDelete={deleteDocument} />;
  })();

  return (
    <div>
      <PageHeader
        title="Documents"
        description={
          projectName
            ? `Documents of project “${projectName}”. Chat requests of its API keys can answer from them.`
            : "Documents give chat requests a knowledge base to answer from."
        }
        action={pasting ? null : <Button onClick={() => setPasting(true)}>Paste text</Button>}
      />
      {pasting ? <PasteTextForm orgId={orgId} projectId={projectId} onDone={() => setPasting(false)} /> : null}
      <Card className="mb-6 p-4">
        <UploadZone orgId={orgId} projectId={projectId} />
      </Card>
      {offlineModel ? <MultilingualHint projectId={projectId} /> : null}
      <FormError error={remove.error} />
      <Card className="mb-6">
        {rows.length > 0 ? (
          <div className="flex items-center justify-between gap-4 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
            <h2 className="text-sm font-medium">Documents</h2>
            <p className="text-xs text-zinc-500">
              Send <RagHint /> with a chat request to answer from the ready ones.
            </p>
          </div>
        ) : null}
        {table}
      </Card>
      {docs.hasNextPage ? (
        <div className="-mt-2 mb-6 flex justify-center">
          <Button variant="secondary" disabled={docs.isFetchingNextPage} onClick={() => void docs.fetchNextPage()}>
            {docs.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
      <SearchBox orgId={orgId} projectId={projectId} readyCount={rows.filter((d) => d.status === "ready").length} />
      {open ? <ChunksPanel id={open.id} title={open.title} onClose={closePanel} /> : null}
    </div>
  );
}

export function DocumentsView() {
  const { orgId, projectId } = useScope();
  // Uploads, search results and the open panel belong to one project: switching starts afresh.
  return <Documents key={`${orgId ?? ""}:${projectId ?? ""}`} orgId={orgId} projectId={projectId} />;
}
