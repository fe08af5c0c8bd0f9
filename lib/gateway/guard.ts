// Guardrails (docs/policies.md): the client's request is scanned by the /v1 pipeline before anything
// else sees it (RAG, memory, the cache key, the upstream, the audit row's request copy) on every front
// door; on /v1/chat/completions the answer is scanned before the client sees it too — a JSON answer
// whole, a stream through a hold-back window so that a match split across chunks is still caught and
// no part of a blocked match is ever sent.
import type { AuditDraft } from "../audit/draft";
import { ApiError } from "../errors";
import { count, findingWarnings, matchesOf, redact, scan, type CompiledRule, type Finding } from "../guardrails/rules";
import type { ChatCompletion, ChatCompletionChunk } from "../providers/types";

/** Characters of streamed text held back until the text after them is known (longest match the window guarantees to see whole). */
export const HOLD_BACK = 64;

// Where a request carries text, per front door: chat `messages`; Messages `system` and `messages`;
// Responses `instructions` and `input`. Inside them, the values of these keys (strings, or arrays and
// objects holding them): message and block `content`, `text` parts, tool results' `output` / `content`.
const REQUEST_TEXT_FIELDS = ["messages", "system", "instructions", "input"] as const;
const TEXT_KEYS = new Set(["content", "text", "output", "input", "system", "instructions"]);

export class RequestGuard {
  readonly findings: Finding[] = [];
  constructor(
    private readonly rules: CompiledRule[],
    private readonly audit: AuditDraft,
    private readonly warnings: string[],
  ) {}

  /** Reports the findings on the audit row and in the warnings (call once, when the answer is done or refused). */
  report(): void {
    this.audit.guardrails = this.findings.length > 0 ? this.findings.map((f) => ({ ...f })) : null;
    const lines = findingWarnings(this.findings);
    for (const l of lines) if (!this.warnings.includes(l)) this.warnings.push(l);
  }

  /** Whether any rule acts on the answer. */
  get checksOutput(): boolean {
    return this.rules.some((r) => r.output);
  }

  /**
   * The client's request with input redactions applied to every text it carries (chat messages,
   * Anthropic `system` and content blocks, Responses `instructions` and input items, tool results),
   * or the same object when nothing was redacted. A `block` match refuses the request (400, audited,
   * nothing forwarded); the findings are reported either way.
   */
  request(raw: Record<string, unknown>): Record<string, unknown> {
    let blocked: string | null = null;
    let changed = false;
    const text = (t: string) => {
      const r = scan(this.rules, "input", t, this.findings);
      if (r.blockedAt !== null) blocked ??= this.findings.find((f) => f.where === "input" && f.action === "block")?.detector ?? "guardrail";
      if (r.text !== t) changed = true;
      return r.text;
    };
    const walk = (v: unknown, depth: number): unknown => {
      if (depth > 12) return v;
      if (typeof v === "string") return text(v);
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = TEXT_KEYS.has(k) ? walk(x, depth + 1) : x;
        return out;
      }
      return v;
    };
    const out: Record<string, unknown> = { ...raw };
    for (const field of REQUEST_TEXT_FIELDS) if (field in raw) out[field] = walk(raw[field], 0);
    this.report();
    if (blocked) throw new ApiError("content_policy_violation", `The request was blocked by this project's guardrails (${blocked} on input).`);
    return changed ? out : raw;
  }

  /** A JSON answer with output redactions applied; a `block` match cuts the content before it, finish_reason "content_filter". */
  completion(c: ChatCompletion): ChatCompletion {
    const choices = c.choices.map((choice) => {
      const content = choice.message.content;
      if (typeof content !== "string" || content === "") return choice;
      const r = this.outputText(content);
      return { ...choice, message: { ...choice.message, content: r.text }, ...(r.blocked ? { finish_reason: "content_filter" as const } : {}) };
    });
    return { ...c, choices };
  }

  /**
   * A text's output redactions, or where a `block` match cuts it: the text kept (redacted) and whether
   * the answer must end there.
   */
  private outputText(text: string): { text: string; blocked: boolean } {
    const matches = matchesOf(this.rules, "output", text);
    const block = matches.find((m) => m.action === "block");
    const kept = block ? matches.filter((m) => m.start < block.start) : matches;
    count(this.findings, "output", block ? [...kept, block] : kept);
    return { text: redact(block ? text.slice(0, block.start) : text, kept), blocked: block !== undefined };
  }

  /**
   * Walks an answer's parts in order: `textOf` gives a part's text (null: not text), `withText` rebuilds
   * it. After a blocked part nothing more is kept. Returns the parts and whether the answer was cut.
   */
  private parts<T>(items: T[], textOf: (x: T) => string | null, withText: (x: T, text: string) => T): { items: T[]; blocked: boolean } {
    const out: T[] = [];
    for (const item of items) {
      const text = textOf(item);
      if (text === null || text === "") {
        out.push(item);
        continue;
      }
      const r = this.outputText(text);
      out.push(withText(item, r.text));
      if (r.blocked) return { items: out, blocked: true };
    }
    return { items: out, blocked: false };
  }

  /** An Anthropic message with output rules applied to its text blocks; a block ends it with stop_reason "refusal". */
  anthropicMessage(message: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(message.content)) return message;
    type Block = { type?: unknown; text?: unknown };
    const r = this.parts(
      message.content as Block[],
      (b) => (b.type === "text" && typeof b.text === "string" ? b.text : null),
      (b, text) => ({ ...b, text }),
    );
    return { ...message, content: r.items, ...(r.blocked ? { stop_reason: "refusal", stop_sequence: null } : {}) };
  }

  /** A Responses object with output rules applied to its output_text parts; a block ends it as incomplete (content_filter). */
  responsesObject(response: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(response.output)) return response;
    type Part = { type?: unknown; text?: unknown };
    type Item = { type?: unknown; content?: unknown };
    let blocked = false;
    const output: Item[] = [];
    for (const item of response.output as Item[]) {
      if (blocked) break;
      if (item.type !== "message" || !Array.isArray(item.content)) {
        output.push(item);
        continue;
      }
      const r = this.parts(
        item.content as Part[],
        (p) => (p.type === "output_text" && typeof p.text === "string" ? p.text : null),
        (p, text) => ({ ...p, text }),
      );
      output.push({ ...item, content: r.items });
      blocked = r.blocked;
    }
    return { ...response, output, ...(blocked ? { status: "incomplete", incomplete_details: { reason: "content_filter" } } : {}) };
  }

  /** The stream's chunks with output rules applied (see the top of this file). */
  stream(chunks: ReadableStream<ChatCompletionChunk>): ReadableStream<ChatCompletionChunk> {
    const rules = this.rules;
    const findings = this.findings;
    const pending = new Map<number, string>();
    let template: Pick<ChatCompletionChunk, "id" | "object" | "created" | "model"> | null = null;
    let stopped = false;
    const piece = (index: number, delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
      ...template!,
      choices: [{ index, delta, finish_reason: finish }],
    });
    // Emits what is safe of choice `index`'s pending text; `all` at the end of its text.
    const release = (index: number, all: boolean, controller: TransformStreamDefaultController<ChatCompletionChunk>): boolean => {
      const text = pending.get(index) ?? "";
      if (text === "") return false;
      const matches = matchesOf(rules, "output", text);
      let cut = all ? text.length : Math.max(0, text.length - HOLD_BACK);
      // A match running past the cut waits until it is whole.
      for (const m of matches) if (m.start < cut && m.end > cut && !all) cut = Math.min(cut, m.start);
      const block = matches.find((m) => m.action === "block" && m.start < cut);
      if (block) cut = block.start;
      const done = matches.filter((m) => m.end <= cut);
      count(findings, "output", block ? [...done, block] : done);
      const out = redact(text.slice(0, cut), done);
      pending.set(index, text.slice(cut));
      if (out) controller.enqueue(piece(index, { content: out }));
      if (block) {
        controller.enqueue(piece(index, {}, "content_filter"));
        return true;
      }
      return false;
    };
    return chunks.pipeThrough(
      new TransformStream<ChatCompletionChunk, ChatCompletionChunk>({
        transform(chunk, controller) {
          if (stopped) return;
          template ??= { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
          const passOn: ChatCompletionChunk["choices"] = [];
          for (const choice of chunk.choices) {
            const { content, ...delta } = choice.delta;
            if (typeof content === "string" && content !== "") pending.set(choice.index, (pending.get(choice.index) ?? "") + content);
            const finishing = choice.finish_reason !== null;
            if (release(choice.index, finishing, controller)) {
              stopped = true;
              controller.terminate();
              return;
            }
            if (Object.keys(delta).length > 0 || finishing) passOn.push({ ...choice, delta });
          }
          if (passOn.length > 0 || chunk.usage) controller.enqueue({ ...chunk, choices: passOn });
        },
        flush(controller) {
          if (stopped) return;
          for (const index of [...pending.keys()]) if (release(index, true, controller)) return;
        },
      }),
    );
  }
}
