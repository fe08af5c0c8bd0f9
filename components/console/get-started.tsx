"use client";

// Overview → Get started: the first request in three steps, as OpenRouter's and LiteLLM's first
// screens do it. Each step says where the organization stands (a usable model? a key?), so a new
// account learns that no provider is configured here, not from a failed request.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { CodeTabs } from "@/components/ui/code-tabs";
import { Badge, Button, Card } from "@/components/ui/primitives";
import { useApiKeys, useCreateApiKey, useIsAdmin, type CreatedApiKey } from "@/lib/client/hooks";
import { useCatalog } from "@/lib/client/hooks-models";
import { DIALECTS, exportKeyLine, LANGUAGES, type Language } from "@/lib/client/quickstart";
import { useScope } from "./scope";

function Step({ n, title, done, className, children }: { n: number; title: string; done: boolean | null; className?: string; children: ReactNode }) {
  return (
    <li className={`rounded-md border border-zinc-200 p-4 dark:border-zinc-800 ${className ?? ""}`} data-testid={`get-started-step-${n}`}>
      <div className="mb-2 flex items-center gap-2">
        <p className="font-medium">
          {n}. {title}
        </p>
        {done === null ? null : done ? <Badge tone="green">done</Badge> : <Badge tone="amber">to do</Badge>}
      </div>
      <div className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
    </li>
  );
}

const linkClass = "text-blue-700 underline dark:text-blue-400";

function ProviderStep({ models, admin }: { models: string[] | null; admin: boolean | null }) {
  const ready = models === null ? null : models.length > 0;
  return (
    <Step n={1} title="Configure a provider" done={ready}>
      <p data-testid="get-started-provider-status">
        {models === null
          ? "Checking the models this organization can use…"
          : ready
            ? `${models.length} chat model${models.length === 1 ? "" : "s"} available: ${models.slice(0, 3).join(", ")}${models.length > 3 ? ", …" : ""}.`
            : "No chat model is available to this organization yet: requests fail until a provider and a model are configured."}
      </p>
      <p>
        {admin === false ? (
          "Ask an admin of this organization to add a provider."
        ) : (
          <Link className={linkClass} href="/providers">
            {ready ? "Manage providers and models" : "Add a provider and its models"}
          </Link>
        )}
      </p>
    </Step>
  );
}

function KeyStep({ orgId, projectId, projectName, admin, created, onCreated }: {
  orgId: string;
  projectId: string;
  projectName: string;
  admin: boolean | null;
  created: CreatedApiKey | null;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const keys = useApiKeys(orgId, projectId);
  const create = useCreateApiKey(orgId);
  const active = keys.data?.data.filter((k) => k.status === "active").length ?? null;
  return (
    <Step n={2} title="Create an API key" done={created ? true : active === null ? null : active > 0}>
      <p>
        Keys belong to a project; this one is for <span className="font-medium text-zinc-900 dark:text-zinc-100">{projectName}</span>
        {active ? ` (it has ${active} active key${active === 1 ? "" : "s"})` : ""}.
      </p>
      {created ? (
        <div className="space-y-1">
          <p>Copy it now: it is shown only once.</p>
          <code data-testid="get-started-key" className="block break-all rounded-md bg-zinc-100 px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100">
            {created.key}
          </code>
        </div>
      ) : admin === false ? (
        <p>Ask an admin of this organization for a key.</p>
      ) : (
        <>
          <Button
            disabled={create.isPending || admin === null}
            onClick={() => create.mutate({ name: "quickstart", project_id: projectId }, { onSuccess: onCreated })}
          >
            {create.isPending ? "Creating…" : "Create API key"}
          </Button>
          {create.error ? <p role="alert" className="text-red-700 dark:text-red-300">{create.error.message}</p> : null}
          <p>
            Limits, budgets and model allowlists: <Link className={linkClass} href="/keys">API keys</Link>.
          </p>
        </>
      )}
    </Step>
  );
}

function SnippetStep({ model, secret }: { model: string | null; secret: string | null }) {
  const [dialect, setDialect] = useState(DIALECTS[0]!.id);
  const [lang, setLang] = useState<Language>("curl");
  const current = DIALECTS.find((d) => d.id === dialect) ?? DIALECTS[0]!;
  // Rendered in the browser only (the overview waits for the organization), but never touch window on a server.
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const code = current.snippet(lang, { baseUrl: `${origin}/v1`, model: model ?? "provider/model" });
  const full = secret ? `${exportKeyLine(secret)}\n\n${code}` : code;
  return (
    <Step n={3} title="Send your first request" done={null} className="lg:col-span-2">
      <p>
        Any OpenAI or Anthropic client works: point it at this server and send the key.
        {secret ? "" : " Export your key as VECSTRUCT_API_KEY first."}
        {model ? "" : " Replace provider/model with a model from step 1."}
      </p>
      <CodeTabs
        before={
          DIALECTS.length > 1
            ? DIALECTS.map((d) => (
                <Button key={d.id} variant={d.id === dialect ? "primary" : "ghost"} onClick={() => setDialect(d.id)}>
                  {d.label}
                </Button>
              ))
            : <span className="mr-2 font-medium text-zinc-900 dark:text-zinc-100">{current.label}</span>
        }
        tabs={LANGUAGES}
        tab={lang}
        onTab={setLang}
        code={full}
        testId="get-started-snippet"
      />
    </Step>
  );
}

/** Shown until the project has traffic (and when the organization has no project at all). */
export function GetStarted() {
  const { orgId, projectId, projects } = useScope();
  const admin = useIsAdmin(orgId);
  const catalog = useCatalog(orgId);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const models = catalog.data ? catalog.data.data.filter((m) => m.kind === "chat" && m.enabled && m.available).map((m) => m.id) : null;
  const project = projects.find((p) => p.id === projectId);
  return (
    <section data-testid="get-started">
      <Card className="p-4">
        <h2 className="mb-1 font-semibold">Get started</h2>
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">Three steps to your first request through vecstruct.</p>
        <ol className="grid gap-3 lg:grid-cols-2">
          <ProviderStep models={models} admin={admin} />
          {orgId && project ? (
            <KeyStep orgId={orgId} projectId={project.id} projectName={project.name} admin={admin} created={created?.project_id === project.id ? created : null} onCreated={setCreated} />
          ) : (
            <Step n={2} title="Create an API key" done={false}>
              <p>
                A key belongs to a project, and this organization has none. <Link className={linkClass} href="/projects">Create a project</Link> first.
              </p>
            </Step>
          )}
          <SnippetStep model={models?.[0] ?? null} secret={created?.project_id === projectId ? created.key : null} />
        </ol>
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Then: <Link className={linkClass} href="/documents">upload documents</Link> for RAG, <Link className={linkClass} href="/playground">try the playground</Link>, and find every request in the{" "}
          <Link className={linkClass} href="/audit-logs">audit log</Link>.
        </p>
      </Card>
    </section>
  );
}
