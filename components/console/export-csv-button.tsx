"use client";

import { useState } from "react";
import { Button } from "@/components/ui/primitives";
import { useToast } from "@/components/ui/toast";
import { formatBytes } from "@/lib/client/hooks-documents";

const filenameOf = (res: Response) => /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "export.csv";

/**
 * Downloads a CSV from `href` with a busy state: the button is disabled and shows a spinner and the
 * bytes received while the server streams the file, then saves it under the server's file name.
 */
export function ExportCsvButton({ href, label = "Export CSV" }: { href: string; label?: string }) {
  const toast = useToast();
  const [received, setReceived] = useState<number | null>(null);

  async function run() {
    setReceived(0);
    try {
      const res = await fetch(href);
      if (!res.ok || !res.body) {
        const err = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(err?.error?.message ?? `Export failed (${res.status})`);
      }
      const parts: Uint8Array[] = [];
      let total = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.byteLength;
        setReceived(total);
      }
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(res);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast(`Exported ${formatBytes(total)}.`);
    } catch (err) {
      toast(err instanceof Error ? err.message : "Export failed.", "error");
    } finally {
      setReceived(null);
    }
  }

  const busy = received !== null;
  return (
    <Button variant="secondary" disabled={busy} aria-busy={busy} onClick={() => void run()}>
      {busy ? (
        <>
          <span className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-zinc-300 border-t-zinc-700 dark:border-zinc-700 dark:border-t-zinc-300" aria-hidden />
          <span role="status">Exporting… {received > 0 ? formatBytes(received) : ""}</span>
        </>
      ) : (
        label
      )}
    </Button>
  );
}
