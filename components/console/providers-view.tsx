"use client";

import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { ROW, TableFrame } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useMe } from "@/lib/client/hooks";
import { useCreateCredential, useCredentials, useTestCredential, useUpdateCredential, type Credential, type CredentialTest } from "@/lib/client/hooks-providers";
import { ModelsView } from "./models-view";
import { useScope } from "./scope";

const PROTOCOLS = [
  { value: "openai", label: "OpenAI", base: "https://api.openai.com/v1" },
  { value: "anthropic", label: "Anthropic", base: "https://api.anthropic.com" },
  { value: "google", label: "Google Gemini", base: "https://generativelanguage.googleapis.com" },
  { value: "openai-compatible", label: "OpenAI-compatible (vLLM, Ollama, Groq, …)", base: "http://localhost:8000/v1" },
  { value: "cohere", label: "Cohere (rerank)", base: "https://api.cohere.com" },
] as const;

const select = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function CredentialForm({ credential, operator, onDone }: { credential: Credential | null; operator: boolean; onDone: () => void }) {
  const { orgId } = useScope();
  const toast = useToast();
  const create = useCreateCredential(orgId);
  const update = useUpdateCredential(orgId);
  const [protocol, setProtocol] = useState<string>(credential?.protocol ?? "openai");
  const mutation = credential ? update : create;
  const placeholder = PROTOCOLS.find((p) => p.value === protocol)?.base ?? "";

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const str = (k: string) => String(f.get(k) ?? "").trim();
    const apiKey = str("api_key");
    const common = { name: str("name") || undefined, base_url: str("base_url"), weight: Number(str("weight") || 1), ...(apiKey ? { api_key: apiKey } : {}) };
    if (credential) await update.mutateAsync({ id: credential.id, ...common });
    else await create.mutateAsync({ ...common, provider: str("provider").toLowerCase(), protocol, scope: (str("scope") || "organization") as "organization" | "instance" });
    toast(credential ? "Provider saved." : "Provider added. Test it, then add its models below.");
    onDone();
  }

  return (
    <Card className="mb-6 p-4">
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="grid gap-4 md:grid-cols-3" aria-label={credential ? "Edit provider" : "Add provider"}>
        {credential ? null : (
          <>
            <div>
              <Label htmlFor="cred-provider">Provider name (used in model ids)</Label>
              <Input id="cred-provider" name="provider" required pattern="[a-z0-9][a-z0-9-]{0,39}" placeholder="openai" autoFocus />
            </div>
            <div>
              <Label htmlFor="cred-protocol">Protocol</Label>
              <select id="cred-protocol" className={select} value={protocol} onChange={(e) => setProtocol(e.target.value)}>
                {PROTOCOLS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <div>
          <Label htmlFor="cred-name">Label</Label>
          <Input id="cred-name" name="name" defaultValue={credential?.name ?? ""} placeholder="production key" />
        </div>
        <div className="md:col-span-2">
          <Label htmlFor="cred-base-url">Base URL</Label>
          <Input id="cred-base-url" name="base_url" type="url" required defaultValue={credential?.base_url ?? ""} placeholder={placeholder} />
        </div>
        <div>
          <Label htmlFor="cred-api-key">API key {credential?.has_api_key ? "(leave empty to keep; required with a new base URL)" : ""}</Label>
          {/* Write-only: the server never sends a secret back, so there is nothing to prefill. */}
          <Input id="cred-api-key" name="api_key" type="password" autoComplete="off" placeholder={credential?.has_api_key ? "••••••••  stored" : "sk-…"} />
        </div>
        <div>
          <Label htmlFor="cred-weight">Weight</Label>
          <Input id="cred-weight" name="weight" type="number" min={0} max={1000} defaultValue={credential?.weight ?? 1} />
        </div>
        {!credential && operator ? (
          <div>
            <Label htmlFor="cred-scope">Available to</Label>
            <select id="cred-scope" name="scope" className={select} defaultValue="organization">
              <option value="organization">this organization</option>
              <option value="instance">every organization (instance-wide)</option>
            </select>
          </div>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 md:col-span-3">
          <Button type="submit" disabled={mutation.isPending}>
            {credential ? "Save provider" : "Add provider"}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <FormError error={mutation.error} />
        </div>
      </form>
    </Card>
  );
}

function TestResult({ result }: { result: CredentialTest }) {
  return (
    <p className={`mt-1 text-xs ${result.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`} data-testid="test-result">
      {result.ok ? `OK · ${result.model} · ${result.latency_ms} ms` : `Failed${result.status ? ` (${result.status})` : ""}: ${result.error}`}
    </p>
  );
}

function CredentialRow({ c, canWrite, operator, onEdit }: { c: Credential; canWrite: boolean; operator: boolean; onEdit: () => void }) {
  const { orgId } = useScope();
  const toast = useToast();
  const test = useTestCredential(orgId);
  const update = useUpdateCredential(orgId);
  const [confirming, setConfirming] = useState(false);
  const editable = canWrite && c.source !== "environment";

  async function runTest() {
    const r = await test.mutateAsync(c.id);
    toast(r.ok ? `${c.name}: OK in ${r.latency_ms} ms` : `${c.name}: ${r.error}`, r.ok ? "success" : "error");
  }
  async function setEnabled(enabled: boolean) {
    await update.mutateAsync({ id: c.id, enabled });
    toast(enabled ? `${c.name} enabled.` : `${c.name} disabled: requests no longer use it.`);
    setConfirming(false);
  }

  return (
    <tr className={`${ROW} align-top`} data-testid="provider-row">
      <td className="px-4 py-3">
        <p className="font-medium">{c.name}</p>
        <p className="font-mono text-xs text-zinc-500">{c.provider}</p>
      </td>
      <td className="px-4 py-3">{c.protocol}</td>
      <td className="max-w-56 truncate px-4 py-3 font-mono text-xs" title={c.base_url ?? "set by the operator"}>
        {c.base_url ?? "—"}
      </td>
      <td className="px-4 py-3 font-mono text-xs">{c.has_api_key ? "••••••••" : "none"}</td>
      <td className="px-4 py-3 tabular-nums">{c.weight}</td>
      <td className="px-4 py-3">
        <div className="flex flex-wrap gap-1">
          {!c.enabled ? <Badge tone="red">disabled</Badge> : c.cooling_until ? <Badge tone="amber">cooling down</Badge> : <Badge tone="green">enabled</Badge>}
          {c.source === "environment" ? <Badge>environment</Badge> : c.scope === "instance" ? <Badge>instance-wide</Badge> : null}
        </div>
        {test.data ? <TestResult result={test.data} /> : null}
        <FormError error={test.error ?? update.error} />
      </td>
      <td className="px-4 py-3 text-right whitespace-nowrap">
        {/* A test is an unmetered call: on the operator's (instance) credentials only the operator runs it. */}
        {canWrite && (operator || c.scope === "organization") ? (
          <Button variant="ghost" onClick={() => void runTest().catch(() => {})} disabled={test.isPending} aria-label={`Test ${c.name}`}>
            {test.isPending ? "Testing…" : "Test"}
          </Button>
        ) : null}
        {editable ? (
          <>
            <Button variant="ghost" onClick={onEdit} aria-label={`Edit ${c.name}`}>
              Edit
            </Button>
            {c.enabled ? (
              <Button variant="ghost" className="text-red-700 dark:text-red-400" onClick={() => setConfirming(true)} aria-label={`Disable ${c.name}`}>
                Disable
              </Button>
            ) : (
              <Button variant="ghost" onClick={() => void setEnabled(true).catch(() => {})} aria-label={`Enable ${c.name}`}>
                Enable
              </Button>
            )}
          </>
        ) : null}
        {confirming ? (
          <ConfirmDialog title={`Disable ${c.name}?`} confirmLabel="Disable" pending={update.isPending} onCancel={() => setConfirming(false)} onConfirm={() => void setEnabled(false).catch(() => {})}>
            Requests stop using this credential at once. Models of provider &lsquo;{c.provider}&rsquo; stay available only if another credential serves them.
          </ConfirmDialog>
        ) : null}
      </td>
    </tr>
  );
}

export function ProvidersView() {
  const { orgId } = useScope();
  const me = useMe(orgId);
  const creds = useCredentials(orgId);
  const [editing, setEditing] = useState<Credential | "new" | null>(null);
  const operator = me.data?.operator === true;
  const canWrite = operator || me.data?.role === "admin" || me.data?.role === "owner";

  const body = (() => {
    if (creds.isPending) return <Loading label="Loading providers…" />;
    if (creds.isError) return <ErrorState error={creds.error} onRetry={() => void creds.refetch()} />;
    if (creds.data.data.length === 0)
      return (
        <EmptyState title="No upstream provider yet">
          {canWrite ? "Add one with its API key (OpenAI, Anthropic, Gemini, or any OpenAI-compatible server), then test it." : "Ask an admin of this organization to add one."}
        </EmptyState>
      );
    return (
      <TableFrame columns={[{ header: "Credential" }, { header: "Protocol" }, { header: "Base URL" }, { header: "API key" }, { header: "Weight" }, { header: "Status" }, {}]}>
        {creds.data.data.map((c) => (
          <CredentialRow key={c.id} c={c} canWrite={canWrite} operator={operator} onEdit={() => setEditing(c)} />
        ))}
      </TableFrame>
    );
  })();

  return (
    <div className="space-y-10">
      <section>
        <PageHeader
          title="Providers & models"
          description="Upstream credentials requests are routed to (keys are stored encrypted and never shown again), and the catalog with its prices."
          action={canWrite && editing === null ? <Button onClick={() => setEditing("new")}>Add provider</Button> : null}
        />
        {editing !== null ? <CredentialForm key={editing === "new" ? "new" : editing.id} credential={editing === "new" ? null : editing} operator={operator} onDone={() => setEditing(null)} /> : null}
        <Card className="overflow-x-auto">{body}</Card>
      </section>
      <section id="models">
        <ModelsView embedded />
      </section>
    </div>
  );
}
