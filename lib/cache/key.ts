// The response cache's keys (docs/policies.md): a SHA-256 of the request as the upstream would see it
// (messages with the injected RAG / memory context, tools, parameters, the model and the endpoint),
// with keys sorted so that field order does not matter, and without what does not change the answer:
// `stream`, `stream_options`, `user`, `vecstruct.metadata`, `vecstruct.cache`.
import { createHash } from "node:crypto";

const LEFT_OUT = new Set(["stream", "stream_options", "user"]);

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The request without the fields that do not change the answer. */
export function cacheable(request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) {
    if (LEFT_OUT.has(k)) continue;
    if (k === "vecstruct" && v && typeof v === "object") {
      const { metadata: _m, cache: _c, ...rest } = v as Record<string, unknown>;
      out[k] = rest;
    } else out[k] = v;
  }
  return out;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Exact mode's key. */
export const exactKey = (endpoint: string, request: Record<string, unknown>): string => sha256(canonicalJson({ endpoint, request: cacheable(request) }));

type Message = { role?: unknown; content?: unknown };

/** The text of a single-turn conversation's one user message, or null (several turns, or not text only). */
export function singleTurnText(messages: readonly Message[]): { index: number; text: string } | null {
  let index = -1;
  for (const [i, m] of messages.entries()) {
    if (m.role === "system" || m.role === "developer") continue;
    if (m.role !== "user" || index >= 0) return null;
    index = i;
  }
  if (index < 0) return null;
  const content = messages[index]!.content;
  if (typeof content === "string") return content.trim() ? { index, text: content } : null;
  if (!Array.isArray(content)) return null;
  const parts = content as { type?: unknown; text?: unknown }[];
  if (!parts.every((p) => p.type === "text" && typeof p.text === "string")) return null;
  const text = parts.map((p) => p.text as string).join("\n");
  return text.trim() ? { index, text } : null;
}

/**
 * Semantic mode's key: the request with its one user turn left out, so that requests differing only
 * in how that turn is worded share it; their turns are then compared by embedding.
 */
export function semanticKey(endpoint: string, request: Record<string, unknown> & { messages: readonly Message[] }, userIndex: number): string {
  const messages = request.messages.map((m, i) => (i === userIndex ? { role: "user", content: "<turn>" } : m));
  return sha256(canonicalJson({ endpoint, semantic: true, request: cacheable({ ...request, messages }) }));
}
