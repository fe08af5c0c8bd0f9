"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button, Card, EmptyState, Loading, PageHeader } from "@/components/ui/primitives";
import { Markdown } from "@/components/ui/markdown";
import { useToast } from "@/components/ui/toast";
import { ChatStreamError } from "@/lib/client/chat-stream";
import { useDocuments } from "@/lib/client/hooks-documents";
import { useCatalog } from "@/lib/client/hooks-models";
import { dialectOf } from "@/lib/client/playground-dialects";
import { DEFAULT_SETTINGS, type ChatTurn, type PlaygroundSettings } from "@/lib/client/playground-request";
import { CodeDrawer } from "./playground/code-drawer";
import { ReplyMeta, type ReplyStats } from "./playground/reply-meta";
import { SettingsPanel } from "./playground/settings-panel";
import { useScope } from "./scope";

interface Message extends ReplyStats {
  id: number;
  role: "user" | "assistant";
  content: string;
  reasoning: string;
  state: "streaming" | "done" | "stopped" | "error";
  error: string | null;
}

let ids = 0;
const blankStats: ReplyStats = { auditId: null, usage: null, vecstruct: null, latencyMs: null, ttftMs: null };

/** The conversation as the API sees it: finished turns only (failed replies are not context). */
const turnsOf = (messages: Message[]): ChatTurn[] =>
  messages.filter((m) => m.state !== "error" && m.state !== "streaming" && (m.role === "user" || m.content)).map((m) => ({ role: m.role, content: m.content }));

export function PlaygroundView() {
  const { orgId, projectId, projects } = useScope();
  const toast = useToast();
  const catalog = useCatalog(orgId);
  const docs = useDocuments(orgId, projectId);
  const chatModels = useMemo(() => (catalog.data?.data ?? []).filter((m) => m.kind === "chat" && m.enabled && m.available), [catalog.data]);
  const readyDocs = useMemo(() => (docs.data?.pages ?? []).flatMap((p) => p.data).filter((d) => d.status === "ready"), [docs.data]);

  const [settings, setSettings] = useState<PlaygroundSettings>(DEFAULT_SETTINGS);
  const [messages, setMessages] = useState<Message[]>([]);
  const [input, setInput] = useState("");
  const [showCode, setShowCode] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const streaming = messages.some((m) => m.state === "streaming");
  const model = chatModels.some((m) => m.id === settings.model) ? settings.model : (chatModels[0]?.id ?? "");
  const effective = { ...settings, model };
  const dialect = dialectOf(effective.dialect);

  // A block body on purpose: newer Chromium returns a Promise from scrollIntoView, and React would
  // call whatever an effect returns as its cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages]);
  useEffect(() => () => abort.current?.abort(), []);

  const patch = (id: number, p: Partial<Message> | ((m: Message) => Partial<Message>)) =>
    setMessages((all) => all.map((m) => (m.id === id ? { ...m, ...(typeof p === "function" ? p(m) : p) } : m)));

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const text = input.trim();
    if (!text || streaming || !projectId) return;
    if (!model) return toast("Pick a model first.", "error");
    if (effective.memory && !effective.userId.trim()) return toast("Memory needs an end-user id.", "error");
    const user: Message = { ...blankStats, id: ++ids, role: "user", content: text, reasoning: "", state: "done", error: null };
    const reply: Message = { ...blankStats, id: ++ids, role: "assistant", content: "", reasoning: "", state: "streaming", error: null };
    const turns: ChatTurn[] = [...turnsOf(messages), { role: "user", content: text }];
    // The same conversation through any front door; every reader feeds the same handlers.
    const body = dialect.build(effective, turns);
    setMessages((all) => [...all, user, reply]);
    setInput("");
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    let first = true;
    try {
      await dialect.stream(projectId, body, controller.signal, {
        onAuditId: (auditId) => patch(reply.id, { auditId }),
        onCache: (cache) => patch(reply.id, { cache }),
        onDelta: (content, reasoning) => {
          const ttft = first ? Math.round(performance.now() - started) : undefined;
          first = false;
          patch(reply.id, (m) => ({ content: m.content + content, reasoning: m.reasoning + reasoning, ...(ttft !== undefined ? { ttftMs: ttft } : {}) }));
        },
        onUsage: (usage) => patch(reply.id, { usage }),
        onVecstruct: (vecstruct) => patch(reply.id, { vecstruct }),
      });
      patch(reply.id, { state: "done", latencyMs: Math.round(performance.now() - started) });
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      if (controller.signal.aborted) patch(reply.id, { state: "stopped", latencyMs });
      else {
        const message = err instanceof ChatStreamError || err instanceof Error ? err.message : "The request failed.";
        patch(reply.id, { state: "error", error: message, latencyMs });
      }
    } finally {
      abort.current = null;
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line — as in every chat box.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  if (!projectId) {
    return (
      <>
        <PageHeader title="Playground" />
        <Card>
          <EmptyState title={projects.length ? "Pick a project" : "Create a project first"}>
            The playground runs in a project: its documents, memories and audit log. <Link className="underline" href="/projects">Go to Projects</Link>.
          </EmptyState>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Playground"
        description={`Chat through ${dialect.heading} as an API client would, with this project's documents and memory.`}
        action={
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setShowCode(true)} disabled={!model}>
              View code
            </Button>
            <Button variant="secondary" onClick={() => setMessages([])} disabled={streaming || messages.length === 0}>
              Clear chat
            </Button>
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Card className="flex min-h-[28rem] flex-col">
          <div className="flex-1 space-y-4 overflow-y-auto p-4" aria-live="polite" data-testid="chat-log">
            {catalog.isPending ? <Loading /> : null}
            {!catalog.isPending && chatModels.length === 0 ? (
              <EmptyState title="No chat model is available yet">
                Add an upstream provider and a model on <Link className="underline" href="/providers">Providers &amp; models</Link>, then come back.
              </EmptyState>
            ) : null}
            {chatModels.length > 0 && messages.length === 0 ? (
              <EmptyState title="Send a message to start">Replies stream here, with their tokens, cost, latency and sources.</EmptyState>
            ) : null}
            {messages.map((m) =>
              m.role === "user" ? (
                <div key={m.id} className="ml-auto max-w-[85%] rounded-lg bg-zinc-900 px-3 py-2 text-sm whitespace-pre-wrap text-white dark:bg-zinc-700" data-testid="user-message">
                  {m.content}
                </div>
              ) : (
                <div key={m.id} className="max-w-[95%]" data-testid="assistant-message" data-state={m.state}>
                  <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900">
                    {m.reasoning ? (
                      <details className="mb-2 text-xs text-zinc-500">
                        <summary>Reasoning</summary>
                        <p className="whitespace-pre-wrap">{m.reasoning}</p>
                      </details>
                    ) : null}
                    {m.content ? <Markdown>{m.content}</Markdown> : m.state === "streaming" ? <span className="text-sm text-zinc-400">…</span> : null}
                    {m.state === "stopped" ? <p className="mt-1 text-xs text-amber-700 dark:text-amber-400">Stopped.</p> : null}
                    {m.error ? (
                      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                        {m.error}
                      </p>
                    ) : null}
                  </div>
                  {m.state !== "streaming" ? <ReplyMeta stats={m} /> : null}
                </div>
              ),
            )}
            <div ref={bottom} />
          </div>
          <form onSubmit={send} className="flex items-end gap-2 border-t border-zinc-200 p-3 dark:border-zinc-700">
            <label htmlFor="pg-input" className="sr-only">
              Message
            </label>
            <textarea
              id="pg-input"
              rows={2}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onKeyDown={onKeyDown}
              placeholder="Message (Enter to send, Shift+Enter for a new line)"
              className="flex-1 resize-none rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-zinc-900 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
            />
            {streaming ? (
              <Button variant="danger" onClick={() => abort.current?.abort()}>
                Stop
              </Button>
            ) : (
              <Button type="submit" disabled={!input.trim() || !model}>
                Send
              </Button>
            )}
          </form>
        </Card>
        <aside aria-label="Settings">
          <Card className="p-4">
            <SettingsPanel settings={effective} onChange={(p) => setSettings((s) => ({ ...s, ...p }))} models={chatModels} documents={readyDocs} />
          </Card>
        </aside>
      </div>
      {showCode ? (
        <CodeDrawer settings={effective} turns={[...turnsOf(messages), ...(input.trim() ? [{ role: "user" as const, content: input.trim() }] : [])]} onClose={() => setShowCode(false)} />
      ) : null}
    </>
  );
}
