"use client";

import { useState, type FormEvent } from "react";
import { Button, Card, FormError, Input, Label, Textarea } from "@/components/ui/primitives";
import { MAX_CONTENT, MAX_USER_ID, useCreateMemory } from "@/lib/client/hooks-memory";

/**
 * Adds memories by hand. The form stays open after each one, keeping the user id, so several
 * facts about one end user go in quickly; `listedUser` is the user the table is filtered to.
 */
export function AddMemoryForm({
  orgId,
  projectId,
  initialUser,
  listedUser,
  onClose,
}: {
  orgId: string | null;
  projectId: string;
  initialUser: string;
  listedUser: string | null;
  onClose: () => void;
}) {
  const create = useCreateMemory(orgId, projectId);
  const [userId, setUserId] = useState(initialUser);
  const [content, setContent] = useState("");
  const [added, setAdded] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const user = userId.trim();
    setAdded(null);
    await create.mutateAsync({ user_id: user, content: content.trim() });
    setAdded(user);
    setContent("");
    document.getElementById("memory-content")?.focus();
  }

  const hidden = added !== null && listedUser !== null && listedUser !== added;
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-[minmax(0,1fr)_minmax(0,3fr)]" aria-label="Add memory">
        <div>
          <Label htmlFor="memory-user">User ID</Label>
          <Input
            id="memory-user"
            name="user_id"
            required
            maxLength={MAX_USER_ID}
            autoFocus={!initialUser}
            autoComplete="off"
            spellCheck={false}
            placeholder="user-42"
            className="font-mono"
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          />
          <p className="mt-1 text-xs text-zinc-500">The end user&apos;s id, as sent in metadata.user_id.</p>
        </div>
        <div>
          <Label htmlFor="memory-content">Content</Label>
          <Textarea
            id="memory-content"
            name="content"
            required
            rows={2}
            maxLength={MAX_CONTENT}
            autoFocus={!!initialUser}
            placeholder="Prefers answers in French."
            value={content}
            onChange={(e) => setContent(e.target.value)}
          />
          <p className="mt-1 text-xs text-zinc-500">One fact about this user, in a sentence. It is recalled when it is relevant to a chat request.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2 md:col-span-2">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add memory"}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <p className="text-sm text-emerald-700 dark:text-emerald-300" aria-live="polite">
            {added !== null ? `Memory added for “${added}”.${hidden ? ` It is not listed: the list shows “${listedUser}” only.` : ""}` : null}
          </p>
        </div>
        <div className="md:col-span-2 empty:hidden">
          <FormError error={create.error} />
        </div>
      </form>
    </Card>
  );
}
