"use client";

import { useState, type FormEvent } from "react";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { Table } from "@/components/ui/table";
import { useApiKeys, useCreateApiKey, useIsAdmin, useRevokeApiKey, type CreateKeyInput, type CreatedApiKey } from "@/lib/client/hooks";
import { AdminOnlyNote } from "./admin-only";
import { useScope } from "./scope";

const numberOrUndefined = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? undefined : Number(v));

/** Other projects the key may name in vecstruct.project_id: none by default, some, or any. */
function ProjectAccess({ projectId }: { projectId: string }) {
  const { projects } = useScope();
  const [any, setAny] = useState(false);
  const others = projects.filter((p) => p.id !== projectId);
  return (
    <fieldset className="md:col-span-3">
      <legend className="mb-1 text-sm font-medium">Other projects this key may use</legend>
      <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">
        A key serves its own project. Requests may name another project in <code>vecstruct.project_id</code> only when it is listed here.
      </p>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <label className="inline-flex items-center gap-1.5">
          <input type="checkbox" name="projects_any" checked={any} onChange={(e) => setAny(e.target.checked)} />
          Any project of the organization
        </label>
        {others.map((p) => (
          <label key={p.id} className="inline-flex items-center gap-1.5">
            <input type="checkbox" name="projects" value={p.id} disabled={any} />
            {p.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function CreateKeyForm({ projectId, onCreated, onCancel }: { projectId: string; onCreated: (k: CreatedApiKey) => void; onCancel: () => void }) {
  const { orgId } = useScope();
  const create = useCreateApiKey(orgId);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const models = String(f.get("models") ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    const expires = String(f.get("expires_at") ?? "");
    const projects = f.get("projects_any") ? ["*"] : f.getAll("projects").map(String);
    const input: CreateKeyInput = {
      name: String(f.get("name") ?? ""),
      project_id: projectId,
      ...(models.length ? { models } : {}),
      ...(projects.length ? { projects } : {}),
      rpm_limit: numberOrUndefined(f.get("rpm_limit")),
      tpm_limit: numberOrUndefined(f.get("tpm_limit")),
      budget_usd: numberOrUndefined(f.get("budget_usd")),
      ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
    };
    onCreated(await create.mutateAsync(input));
  }
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-3">
        <div>
          <Label htmlFor="key-name">Name</Label>
          <Input id="key-name" name="name" required maxLength={100} autoFocus />
        </div>
        <div className="md:col-span-2">
          <Label htmlFor="key-models">Allowed models (comma-separated, empty = all)</Label>
          <Input id="key-models" name="models" placeholder="openai/gpt-4o, anthropic/claude-3-5-sonnet" />
        </div>
        <div>
          <Label htmlFor="key-rpm">Requests per minute</Label>
          <Input id="key-rpm" name="rpm_limit" type="number" min={1} step={1} />
        </div>
        <div>
          <Label htmlFor="key-tpm">Tokens per minute</Label>
          <Input id="key-tpm" name="tpm_limit" type="number" min={1} step={1} />
        </div>
        <div>
          <Label htmlFor="key-budget">Budget (USD)</Label>
          <Input id="key-budget" name="budget_usd" type="number" min={0} step="0.01" />
        </div>
        <div>
          <Label htmlFor="key-expires">Expires</Label>
          <Input id="key-expires" name="expires_at" type="datetime-local" />
        </div>
        <ProjectAccess projectId={projectId} />
        <div className="flex items-end gap-2 md:col-span-2">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
        <div className="md:col-span-3">
          <FormError error={create.error} />
        </div>
      </form>
    </Card>
  );
}

function NewKeySecret({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mb-6 rounded-lg border border-emerald-300 bg-emerald-50 p-4 shadow-xs dark:border-emerald-800 dark:bg-emerald-950">
      <p className="text-sm font-medium">Key “{created.name}” created. Copy it now: it will not be shown again.</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="new-key-secret" className="rounded bg-white px-2 py-1 font-mono text-sm break-all dark:bg-zinc-900">
          {created.key}
        </code>
        <Button
          variant="secondary"
          onClick={() => void navigator.clipboard?.writeText(created.key).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}

const STATUS_TONE = { active: "green", revoked: "red", expired: "amber" } as const;

export function KeysView() {
  const { orgId, projectId, projects, orgsLoading } = useScope();
  const keys = useApiKeys(orgId, projectId);
  const revoke = useRevokeApiKey(orgId);
  const admin = useIsAdmin(orgId);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const projectName = projects.find((p) => p.id === projectId)?.name;

  const body = (() => {
    if (orgsLoading || (orgId && keys.isPending)) return <Loading label="Loading API keys…" />;
    if (!projectId) return <EmptyState title="No project selected">Create a project first: API keys belong to a project.</EmptyState>;
    if (keys.isError) return <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />;
    const rows = keys.data?.data ?? [];
    if (rows.length === 0) return (
        <EmptyState title="No API keys in this project">
          {admin === false ? "Ask an admin of this organization to create one." : "Create a key to call /v1/chat/completions."}
        </EmptyState>
      );
    return (
      <Table
        rows={rows}
        rowKey={(k) => k.id}
        rowTestId="key-row"
        columns={[
          { header: "Name", className: "px-4 py-3 font-medium", cell: (k) => k.name },
          { header: "Key", className: "px-4 py-3 font-mono text-xs text-zinc-600 dark:text-zinc-400", cell: (k) => `${k.prefix}…` },
          { header: "Status", cell: (k) => <Badge tone={STATUS_TONE[k.status]}>{k.status}</Badge> },
          {
            header: "Limits",
            className: "px-4 py-3 text-xs text-zinc-600 dark:text-zinc-400",
            cell: (k) =>
              [
                k.models ? `${k.models.length} model(s)` : null,
                k.projects?.includes("*") ? "any project" : k.projects?.length ? `+${k.projects.length} project(s)` : null,
                k.rpm_limit ? `${k.rpm_limit} rpm` : null,
                k.tpm_limit ? `${k.tpm_limit} tpm` : null,
                k.budget_usd !== null ? `$${k.spent_usd.toFixed(2)} / $${k.budget_usd.toFixed(2)}` : null,
                k.expires_at ? `expires ${new Date(k.expires_at).toLocaleDateString()}` : null,
              ]
                .filter(Boolean)
                .join(" · ") || "—",
          },
          { header: "Created", className: "px-4 py-3 text-zinc-600 dark:text-zinc-400", cell: (k) => new Date(k.created_at).toLocaleDateString() },
          {
            className: "px-4 py-3 text-right whitespace-nowrap",
            cell: (k) =>
              k.status !== "active" || !admin ? null : confirming === k.id ? (
                <span className="inline-flex gap-2">
                  <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(k.id, { onSettled: () => setConfirming(null) })}>
                    Confirm revoke
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirming(null)}>
                    Cancel
                  </Button>
                </span>
              ) : (
                <Button variant="ghost" aria-label={`Revoke ${k.name}`} onClick={() => setConfirming(k.id)}>
                  Revoke
                </Button>
              ),
          },
        ]}
      />
    );
  })();

  return (
    <div>
      <PageHeader
        title="API keys"
        description={projectName ? `Keys of project “${projectName}”. Use them as the Bearer token of any OpenAI client.` : "Keys authenticate /v1 requests."}
        action={
          creating || !projectId || !admin ? null : (
            <Button
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
            >
              New API key
            </Button>
          )
        }
      />
      {projectId && admin === false ? <AdminOnlyNote>Only admins can create or revoke API keys.</AdminOnlyNote> : null}
      {created ? <NewKeySecret created={created} onDismiss={() => setCreated(null)} /> : null}
      {creating && projectId ? (
        <CreateKeyForm
          projectId={projectId}
          onCancel={() => setCreating(false)}
          onCreated={(k) => {
            setCreated(k);
            setCreating(false);
          }}
        />
      ) : null}
      <FormError error={revoke.error} />
      <Card>{body}</Card>
    </div>
  );
}
