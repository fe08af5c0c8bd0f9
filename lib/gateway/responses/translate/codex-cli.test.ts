// Codex CLI itself (the @openai/codex devDependency, headless `codex exec`, offline) against a local
// server that runs this translation core in front of a scripted chat upstream: Codex must accept our
// event stream, run the tool call we translate, and send the round trip back (our reasoning item
// included) in a form toChatRequest turns into the chat history an upstream expects.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertResponsesGrammar } from "@/tests/helpers/responses-grammar";
import type { ChatCompletionChunk } from "../../../providers/types";
import type { ChatRequest } from "../../../wire/chat";
import { responsesRequestSchema, type ResponsesStreamEvent } from "../../../wire/responses";
import { openReasoning } from "./reasoning";
import { toChatRequest } from "./request";
import { encodeResponsesEvent, responsesStreamTransformer } from "./stream";
import { sourceOf } from "./test-helpers";
import type { Req } from "./types";

const codexBin = path.join(import.meta.dirname, "../../../../node_modules/.bin/codex");
const chunk = (delta: Record<string, unknown>, finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usage: ChatCompletionChunk = {
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [],
  usage: { prompt_tokens: 900, completion_tokens: 30, total_tokens: 930, prompt_tokens_details: { cached_tokens: 512 }, completion_tokens_details: { reasoning_tokens: 12 } },
};
/** The scripted upstream (an openai-compatible reasoning model): a tool call, then an answer. */
const firstTurn = [
  chunk({ role: "assistant", reasoning_content: "I should run " }),
  chunk({ reasoning_content: "the command." }),
  chunk({ tool_calls: [{ index: 0, id: "call_core1", type: "function", function: { name: "exec_command", arguments: '{"cmd":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"echo vecstruct-$((40+2))"}' } }] }),
  chunk({}, "tool_calls"),
  usage,
];
const secondTurn = [chunk({ role: "assistant", content: "The command printed " }), chunk({ content: "vecstruct-42." }), chunk({}, "stop"), usage];

interface Turn {
  input: unknown;
  chat: ChatRequest;
  warnings: string[];
  events: ResponsesStreamEvent[];
}

describe("Codex CLI through the translation core", () => {
  const turns: Turn[] = [];
  let server: http.Server;
  let home: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        void (async () => {
          const { vecstruct: _v, models: _m, provider: _p, ...parsed } = responsesRequestSchema.parse(JSON.parse(body));
          const warnings: string[] = [];
          const chat = toChatRequest(parsed, { protocol: "openai-compatible", upstreamModel: "deepseek-chat", reasoning: true }, warnings);
          const chunks = chat.messages.some((m) => m.role === "tool") ? secondTurn : firstTurn;
          const ctx = { id: `resp_codex${turns.length}`, model: String(parsed.model), createdAt: 1_765_000_000, request: parsed as Req, inputTokens: 900, outputEstimate: () => 30 };
          const reader = sourceOf(chunks).pipeThrough(responsesStreamTransformer(ctx)).getReader();
          const events: ResponsesStreamEvent[] = [];
          res.writeHead(200, { "content-type": "text/event-stream" });
          for (let r = await reader.read(); !r.done; r = await reader.read()) {
            events.push(r.value);
            res.write(encodeResponsesEvent(r.value));
          }
          res.end();
          turns.push({ input: parsed.input, chat, warnings, events });
        })().catch((e: unknown) => {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: String(e), type: "invalid_request_error", param: null, code: null } }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    home = mkdtempSync(path.join(tmpdir(), "vecstruct-codex-"));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      path.join(home, "config.toml"),
      `model = "deepseek/deepseek-chat"\nmodel_provider = "vecstruct"\n\n[model_providers.vecstruct]\nname = "vecstruct"\nbase_url = "http://127.0.0.1:${port}/v1"\nwire_api = "responses"\nenv_key = "VECSTRUCT_API_KEY"\n`,
    );
  });

  afterAll(() => {
    server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("codex exec runs the translated tool call and finishes with the translated answer", async () => {
    // stdin closed: with a pipe open, `codex exec` waits to read more of the prompt from it.
    const child = spawn(codexBin, ["exec", "--skip-git-repo-check", "-c", "web_search=disabled", "run the command"], {
      cwd: home,
      env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: home, CODEX_HOME: home, VECSTRUCT_API_KEY: "sk-test" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 90_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ code, stderr: code === 0 ? "" : stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("The command printed vecstruct-42.");
    expect(turns).toHaveLength(2);
    for (const t of turns) assertResponsesGrammar(t.events);
    // Turn 2: Codex sent our reasoning item and the call back; the chat history has both, and the
    // command's real output (computed by the shell, not echoed from the script).
    const reasoning = (turns[1]!.input as Record<string, unknown>[]).find((i) => i.type === "reasoning");
    expect(openReasoning(reasoning?.encrypted_content as string)).toEqual({ v: 1, t: "I should run the command." });
    const history = turns[1]!.chat.messages;
    const assistant = history.find((m) => m.role === "assistant");
    expect(assistant).toMatchObject({ reasoning_content: "I should run the command.", tool_calls: [{ id: "call_core1", function: { name: "exec_command", arguments: '{"cmd":"echo vecstruct-$((40+2))"}' } }] });
    expect(history.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_core1", content: expect.stringContaining("vecstruct-42") });
    expect(turns[1]!.warnings.sort()).toEqual(["client_metadata has no effect on this model and was ignored.", "prompt_cache_key has no effect on this model and was ignored."]);
  }, 120_000);
});
