// Guardrails on POST /v1/chat/completions (docs/policies.md): the client's messages are scanned before
// anything else sees them (RAG, memory, the cache key, the upstream, the audit row's request copy), and
// the answer before the client does — a JSON answer whole, a stream through a hold-back window so that
// a match split across chunks is still caught and no part of a blocked match is ever sent.
import type { AuditDraft } from "../audit/draft";
import { ApiError } from "../errors";
import { count, findingWarnings, matchesOf, redact, scan, type CompiledRule, type Finding } from "../guardrails/rules";
import type { ChatCompletion, ChatCompletionChunk } from "../providers/types";
import type { ChatMessage } from "../wire/chat";

/** Characters of streamed text held back until the text after them is known (longest match the window guarantees to see whole). */
export const HOLD_BACK = 64;

export class ChatGuard {
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

  /** The messages with input redactions applied; a `block` match refuses the request (400, audited, nothing forwarded). */
  input(messages: ChatMessage[]): ChatMessage[] {
    let blocked: string | null = null;
    const text = (t: string) => {
      const r = scan(this.rules, "input", t, this.findings);
      if (r.blockedAt !== null) blocked ??= this.findings.find((f) => f.where === "input" && f.action === "block")?.detector ?? "guardrail";
      return r.text;
    };
    const out = messages.map((m): ChatMessage => {
      if (typeof m.content === "string") return { ...m, content: text(m.content) } as ChatMessage;
      if (Array.isArray(m.content)) {
        return { ...m, content: (m.content as { type: string; text?: unknown }[]).map((p) => (p.type === "text" && typeof p.text === "string" ? { ...p, text: text(p.text) } : p)) } as ChatMessage;
      }
      return m;
    });
    if (blocked) {
      this.report();
      throw new ApiError("content_policy_violation", `The request was blocked by this project's guardrails (${blocked} on input).`);
    }
    return out;
  }

  /** A JSON answer with output redactions applied; a `block` match cuts the content before it, finish_reason "content_filter". */
  completion(c: ChatCompletion): ChatCompletion {
    const choices = c.choices.map((choice) => {
      const content = choice.message.content;
      if (typeof content !== "string" || content === "") return choice;
      const matches = matchesOf(this.rules, "output", content);
      const block = matches.find((m) => m.action === "block");
      const kept = block ? matches.filter((m) => m.start < block.start) : matches;
      count(this.findings, "output", block ? [...kept, block] : kept);
      const text = redact(block ? content.slice(0, block.start) : content, kept);
      return { ...choice, message: { ...choice.message, content: text }, ...(block ? { finish_reason: "content_filter" as const } : {}) };
    });
    return { ...c, choices };
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
