import { describe, expect, it } from "vitest";
import { AuditDraft } from "../audit/draft";
import { compileRules } from "../guardrails/rules";
import type { ChatCompletionChunk } from "../providers/types";
import { RequestGuard } from "./guard";

const chunk = (content: string | null, finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
});

async function run(rules: Parameters<typeof compileRules>[0], pieces: string[]) {
  const audit = new AuditDraft({ id: "k", orgId: "o", projectId: "p" } as never, "/v1/chat/completions");
  const guard = new RequestGuard(compileRules(rules), audit, []);
  const source = new ReadableStream<ChatCompletionChunk>({
    start(c) {
      for (const p of pieces) c.enqueue(chunk(p));
      c.enqueue(chunk(null, "stop"));
      c.close();
    },
  });
  const out: ChatCompletionChunk[] = [];
  const reader = guard.stream(source).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  guard.report();
  return { text: out.map((c) => c.choices[0]?.delta.content ?? "").join(""), finish: out.flatMap((c) => c.choices.map((x) => x.finish_reason)).filter(Boolean), findings: guard.findings };
}

describe("RequestGuard.stream", () => {
  it("redacts a match split across chunks", async () => {
    const r = await run([{ detector: "email", output: "redact" }], ["Write to bo", "b@exam", "ple.com today", "."]);
    expect(r.text).toBe("Write to [EMAIL] today.");
    expect(r.finish).toEqual(["stop"]);
    expect(r.findings).toEqual([{ detector: "email", action: "redact", where: "output", count: 1 }]);
  });
  it("blocks: nothing from the match on, finish_reason content_filter, no part of the match ever sent", async () => {
    const r = await run([{ detector: "secret", output: "block" }], ["Here is the key: sk-", "proj-ABCDEFGHIJKLMN", "OPQRSTUVWX and more text after it"]);
    expect(r.text).toBe("Here is the key: ");
    expect(r.text).not.toContain("sk-");
    expect(r.finish).toEqual(["content_filter"]);
  });
  it("passes clean text through whole", async () => {
    const r = await run([{ detector: "email", output: "redact" }], ["Hello", " there", ", nothing to see."]);
    expect(r.text).toBe("Hello there, nothing to see.");
    expect(r.findings).toEqual([]);
  });
});
