"use client";

import { Button, EmptyState, ErrorState, Loading } from "@/components/ui/primitives";
import { formatInt } from "@/lib/client/hooks-observability";
import { documentKind, formatBytes, useDocument, type DocumentChunk, type RagDocumentDetail } from "@/lib/client/hooks-documents";
import { DocumentStatusBadge } from "./status-badge";
import { Drawer } from "@/components/ui/drawer";

function ChunkCard({ chunk }: { chunk: DocumentChunk }) {
  return (
    <li className="rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="chunk">
      <div className="flex items-start justify-between gap-3 border-b border-zinc-100 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-950">
        <p className="min-w-0 text-sm">
          <span className="mr-2 font-mono text-xs text-zinc-500">#{chunk.ordinal + 1}</span>
          {chunk.heading ? <span className="font-medium break-words">{chunk.heading}</span> : <span className="text-zinc-500 italic">No heading</span>}
        </p>
        <span className="shrink-0 text-xs whitespace-nowrap text-zinc-500 tabular-nums">{formatInt(chunk.token_count)} tokens</span>
      </div>
      <p className="px-3 py-2 text-sm whitespace-pre-wrap break-words text-zinc-800 dark:text-zinc-200">{chunk.content}</p>
    </li>
  );
}

function ChunksBody({ doc }: { doc: RagDocumentDetail }) {
  const chunks = doc.chunks ?? [];
  if (doc.status === "failed") {
    return (
      <EmptyState title="Ingestion failed">
        <span className="text-red-700 dark:text-red-300">{doc.error ?? "The document could not be read."}</span>
      </EmptyState>
    );
  }
  if (doc.status !== "ready") return <Loading label="Extracting, chunking and embedding… chunks appear when the document is ready." />;
  if (chunks.length === 0) return <EmptyState title="This document has no chunks" />;
  return (
    <div className="px-5 pb-6">
      {doc.chunk_count > chunks.length ? (
        <p className="mb-3 text-xs text-zinc-500">
          Showing the first {formatInt(chunks.length)} of {formatInt(doc.chunk_count)} chunks.
        </p>
      ) : null}
      <ol className="space-y-3">
        {chunks.map((c) => (
          <ChunkCard key={c.ordinal} chunk={c} />
        ))}
      </ol>
    </div>
  );
}

export function ChunksPanel({ id, title, onClose }: { id: string; title: string; onClose: () => void }) {
  const detail = useDocument(id, true);
  const doc = detail.data;
  const tokens = doc?.chunks?.reduce((n, c) => n + c.token_count, 0);
  return (
    <Drawer labelledBy="chunks-title" onClose={onClose}>
      <div className="sticky top-0 z-10 flex items-start justify-between gap-4 border-b border-zinc-200 bg-white px-5 py-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="min-w-0">
          <h2 id="chunks-title" className="truncate text-lg font-semibold">
            Chunks of {title}
          </h2>
          {doc ? (
            <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500">
              <DocumentStatusBadge doc={doc} />
              <span>{doc.filename ?? documentKind(doc)}</span>
              <span>· {formatBytes(doc.size_bytes)}</span>
              <span>· {formatInt(doc.chunk_count)} chunks</span>
              {doc.embedding_model ? <span>· embedded with {doc.embedding_model}</span> : null}
              {tokens !== undefined && tokens > 0 ? <span>· {formatInt(tokens)} tokens</span> : null}
            </p>
          ) : null}
        </div>
        <Button variant="secondary" onClick={onClose} aria-label="Close chunks">
          Close
        </Button>
      </div>
      <div className="pt-4">
        {detail.isPending ? (
          <Loading label="Loading chunks…" />
        ) : detail.isError ? (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        ) : (
          <ChunksBody doc={detail.data} />
        )}
      </div>
    </Drawer>
  );
}
