/** The hint shown to members where admins see create/edit/delete controls. */
export function AdminOnlyNote({ children }: { children: string }) {
  return (
    <p className="mb-4 rounded-md border border-zinc-200 bg-white px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400" data-testid="admin-only-note">
      {children}
    </p>
  );
}
