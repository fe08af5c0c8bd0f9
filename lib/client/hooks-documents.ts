"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { getDocument, serializeDocument } from "@/lib/rag/documents";
import type { RetrievalMode, RetrievedChunk } from "@/lib/rag/retrieve";
import { ApiClientError, apiFetch, type Page } from "./api";

// Wire types come from the server's serializers (type-only imports: no server code ships).
export type DocumentStatus = "queued" | "processing" | "ready" | "failed";
/** A RAG document of a project; the serializer types `status` as string, the API knows four. */
export type RagDocument = Omit<ReturnType<typeof serializeDocument>, "status"> & { status: DocumentStatus };
export type DocumentChunk = NonNullable<Awaited<ReturnType<typeof getDocument>>["chunks"]>[number];
export type RagDocumentDetail = RagDocument & { chunks?: DocumentChunk[] };
export type SearchHit = RetrievedChunk;
export type SearchMode = RetrievalMode;

export interface SearchInput {
  query: string;
  top_k?: number;
  min_similarity?: number;
  mode?: SearchMode;
  source_ids?: string[];
  /** false: skip the project's rerank stage. */
  rerank?: boolean;
}

const documentKeys = {
  list: (orgId: string, projectId: string) => ["documents", orgId, projectId] as const,
  detail: (id: string, withChunks: boolean) => ["document", id, withChunks] as const,
};

const PAGE_SIZE = "50";
/** How often a list or document is re-read while ingestion runs in the background. */
const POLL_MS = 1000;

export const isIngesting = (status: DocumentStatus) => status === "queued" || status === "processing";

// ---- What the server accepts (lib/rag/extract/detect.ts, VECSTRUCT_MAX_BODY_BYTES) ----

/** The default upload limit of the server; a larger file is refused before it is sent. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const SUPPORTED_TYPES_LABEL = "txt, md, html, pdf or docx";
const EXTENSIONS = ["txt", "text", "md", "markdown", "mdown", "mkd", "mdx", "html", "htm", "xhtml", "pdf", "docx"];
const MIME_TYPES = [
  "text/plain",
  "text/markdown",
  "text/x-markdown",
  "text/html",
  "application/xhtml+xml",
  "application/pdf",
  "application/x-pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];
/** For the file input's `accept`: a hint to the picker, not a check. */
export const UPLOAD_ACCEPT = [...EXTENSIONS.map((e) => `.${e}`), ...MIME_TYPES].join(",");

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
};

/** Why this file would be refused, in words for the user; null when it may be uploaded. */
export function uploadProblem(file: File): string | null {
  const ext = extensionOf(file.name);
  const mime = file.type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!EXTENSIONS.includes(ext) && !MIME_TYPES.includes(mime)) {
    return `${ext ? `.${ext} files are` : "This file type is"} not supported: upload ${SUPPORTED_TYPES_LABEL}.`;
  }
  if (file.size > MAX_UPLOAD_BYTES) return `The file is ${formatBytes(file.size)}: uploads are limited to ${formatBytes(MAX_UPLOAD_BYTES)}.`;
  if (file.size === 0) return "The file is empty.";
  return null;
}

// ---- Display ----

const EN = "en-US";
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toLocaleString(EN, { maximumFractionDigits: 1 })} KB`;
  return `${(n / 1024 / 1024).toLocaleString(EN, { maximumFractionDigits: 1 })} MB`;
}

const KIND_BY_MIME: Record<string, string> = {
  "text/plain": "Text",
  "text/markdown": "Markdown",
  "text/x-markdown": "Markdown",
  "text/html": "HTML",
  "application/xhtml+xml": "HTML",
  "application/pdf": "PDF",
  "application/x-pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
};
const KIND_BY_EXTENSION: Record<string, string> = { txt: "Text", text: "Text", md: "Markdown", markdown: "Markdown", html: "HTML", htm: "HTML", pdf: "PDF", docx: "DOCX" };

/** A short type name: the file extension is trusted over a generic MIME type (browsers send text/plain for .md). */
export function documentKind(d: Pick<RagDocument, "mime_type" | "filename">): string {
  const byExt = KIND_BY_EXTENSION[extensionOf(d.filename ?? "")];
  const byMime = KIND_BY_MIME[d.mime_type.split(";")[0]?.trim().toLowerCase() ?? ""];
  return (byMime && byMime !== "Text" ? byMime : (byExt ?? byMime)) ?? d.mime_type;
}

// ---- Queries ----

/** The project's documents, newest first; re-read every second while any is queued or processing. */
export function useDocuments(orgId: string | null, projectId: string | null) {
  return useInfiniteQuery({
    queryKey: documentKeys.list(orgId ?? "", projectId ?? ""),
    enabled: !!orgId && !!projectId,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      apiFetch<Page<RagDocument>>(`/api/projects/${encodeURIComponent(projectId ?? "")}/documents`, {
        query: { org_id: orgId ?? undefined, limit: PAGE_SIZE, cursor: pageParam },
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.data.some((d) => isIngesting(d.status))) ? POLL_MS : false),
  });
}

/** One document (ids are scoped to every organization of the caller, so no org_id), optionally with its chunks. */
export function useDocument(id: string | null, withChunks: boolean) {
  return useQuery({
    queryKey: documentKeys.detail(id ?? "", withChunks),
    enabled: !!id,
    queryFn: () =>
      apiFetch<RagDocumentDetail>(`/api/documents/${encodeURIComponent(id ?? "")}`, { query: { include: withChunks ? "chunks" : undefined } }),
    refetchInterval: (query) => (query.state.data && isIngesting(query.state.data.status) ? POLL_MS : false),
  });
}

// ---- Mutations ----

function uploadError(xhr: XMLHttpRequest): ApiClientError {
  let err: { message?: string; code?: string; param?: string } | undefined;
  try {
    err = (JSON.parse(xhr.responseText) as { error?: typeof err } | null)?.error;
  } catch {
    // Not the API's JSON (a proxy's error page, say): the status is all there is.
  }
  const fallback = xhr.status === 413 ? `The file is larger than the server accepts (${xhr.status}).` : `Upload failed (${xhr.status}).`;
  return new ApiClientError(err?.message ?? fallback, xhr.status, err?.code ?? null, err?.param ?? null);
}

/** A multipart POST through XMLHttpRequest: fetch cannot report upload progress. */
function postWithProgress<T>(url: string, body: FormData, onProgress: (p: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("Upload cancelled.", "AbortError"));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(uploadError(xhr));
      try {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as T);
      } catch {
        reject(new Error("The server's answer could not be read."));
      }
    };
    xhr.onerror = () => reject(new Error("The upload did not reach the server. Check the connection and try again."));
    xhr.onabort = () => reject(new DOMException("Upload cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

export interface UploadInput {
  file: File;
  title?: string;
  /** Per-call progress (0..1) for callers that upload several files through one hook. */
  onProgress?: (progress: number) => void;
  signal?: AbortSignal;
}

/**
 * Uploads one file (multipart) to the project. `progress` (0..1) follows the latest upload;
 * `onProgress` of each call follows that call. The document comes back queued: the list polls.
 */
export function useUploadDocument(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  const [progress, setProgress] = useState(0);
  const mutation = useMutation({
    mutationFn: ({ file, title, onProgress, signal }: UploadInput) => {
      const url = new URL(`/api/projects/${encodeURIComponent(projectId ?? "")}/documents`, window.location.origin);
      if (orgId) url.searchParams.set("org_id", orgId);
      const form = new FormData();
      form.set("file", file, file.name);
      if (title?.trim()) form.set("title", title.trim());
      setProgress(0);
      return postWithProgress<RagDocument>(
        url.toString(),
        form,
        (p) => {
          setProgress(p);
          onProgress?.(p);
        },
        signal,
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: documentKeys.list(orgId ?? "", projectId ?? "") }),
  });
  return { ...mutation, progress };
}

/** A document from pasted text (stored as Markdown). org_id goes in the query: the body is strict. */
export function useCreateTextDocument(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { title: string; content: string }) =>
      apiFetch<RagDocument>(`/api/projects/${encodeURIComponent(projectId ?? "")}/documents`, {
        method: "POST",
        body: input,
        query: { org_id: orgId ?? undefined },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: documentKeys.list(orgId ?? "", projectId ?? "") }),
  });
}

export function useDeleteDocument(orgId: string | null, projectId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string; deleted: boolean }>(`/api/documents/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: (_res, id) => {
      qc.removeQueries({ queryKey: ["document", id] });
      return qc.invalidateQueries({ queryKey: documentKeys.list(orgId ?? "", projectId ?? "") });
    },
  });
}

/** The console's "test a query": what retrieval returns for the project, with ranks and scores. */
export function useSearch(orgId: string | null, projectId: string | null) {
  return useMutation({
    mutationFn: (input: SearchInput) =>
      apiFetch<{ data: SearchHit[]; warnings: string[] }>(`/api/projects/${encodeURIComponent(projectId ?? "")}/search`, {
        method: "POST",
        body: { ...input, ...(orgId ? { org_id: orgId } : {}) },
      }),
  });
}
