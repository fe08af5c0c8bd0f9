"use client";

import type { FormEvent } from "react";
import { Button, Card, FormError, Input, Label, Textarea } from "@/components/ui/primitives";
import { useCreateTextDocument } from "@/lib/client/hooks-documents";

/** A document from pasted text: stored as Markdown, so headings (#, ##) become chunk headings. */
export function PasteTextForm({ orgId, projectId, onDone }: { orgId: string | null; projectId: string; onDone: () => void }) {
  const create = useCreateTextDocument(orgId, projectId);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await create.mutateAsync({ title: String(form.get("title") ?? "").trim(), content: String(form.get("content") ?? "") });
    onDone();
  }
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4" aria-label="Paste text">
        <div>
          <Label htmlFor="doc-title">Title</Label>
          <Input id="doc-title" name="title" required maxLength={300} autoFocus placeholder="Refund policy" />
        </div>
        <div>
          <Label htmlFor="doc-content">Content</Label>
          <Textarea id="doc-content" name="content" required rows={8} placeholder={"# Refunds\n\nCustomers can ask for a refund within 30 days…"} className="font-mono" />
          <p className="mt-1 text-xs text-zinc-500">Markdown is understood: headings become the headings of the chunks.</p>
        </div>
        <div className="flex gap-2">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add document"}
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
