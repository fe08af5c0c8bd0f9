// Claude Code itself (the headless `claude -p` of @anthropic-ai/claude-code, a devDependency) through
// POST /v1/messages on an Anthropic model (native passthrough), an OpenAI model and a Gemini model
// (translated), each with a round trip through Claude Code's own Read tool. The mock upstreams are
// steered by [[use-tool:Read:{…}]] (tests/mocks/scripted-tools.ts). Offline: nonessential traffic
// off, a fresh HOME, only the gateway as ANTHROPIC_BASE_URL. What Claude Code sends: docs/clients.md.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseURL, dbQuery, newKey, until, upstreamRequests } from "./helpers";

const CLAUDE = path.resolve(import.meta.dirname, "../../node_modules/@anthropic-ai/claude-code/bin/claude.exe");
const installed = existsSync(CLAUDE);
if (!installed) console.warn(`claude-code.test.ts skipped: the Claude Code binary is missing (${CLAUDE}); run npm install`);

interface ClaudeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

const work = mkdtempSync(path.join(tmpdir(), "vecstruct-cc-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `claude -p` headless against the gateway, with nothing of the caller's environment. */
function claude(cwd: string, prompt: string, token: string, args: string[], env: Record<string, string> = {}): Promise<ClaudeResult> {
  const home = mkdtempSync(path.join(work, "home-"));
  return new Promise((resolve, reject) => {
    const child = spawn(CLAUDE, ["-p", prompt, "--output-format", "json", "--max-turns", "3", ...args], {
      cwd,
      // Typed loosely: Next's ProcessEnv requires NODE_ENV, which Claude Code does not need.
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        ANTHROPIC_BASE_URL: baseURL,
        ANTHROPIC_AUTH_TOKEN: token,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        ...env,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      let json: any = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // asserted below with stdout/stderr in the message
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

/**
 * A working directory with a file for Claude Code's Read tool (inside the working directory, so
 * reading needs no permission grant), holding a word only this test knows.
 */
function workspace(word: string): { cwd: string; file: string } {
  const cwd = mkdtempSync(path.join(work, "cwd-"));
  const file = path.join(cwd, `${word}.txt`);
  writeFileSync(file, `The secret word is ${word}.\n`);
  return { cwd, file };
}

const cases: { model: string; upstreamPath: RegExp; args: (model: string) => string[]; env: Record<string, string> }[] = [
  { model: "anthropic/claude-sonnet-4", upstreamPath: /^\/v1\/messages/, args: (m: string) => ["--model", m], env: {} },
  { model: "openai/gpt-4o", upstreamPath: /^\/v1\/chat\/completions/, args: (m: string) => ["--model", m], env: {} },
  // Through the alias, as docs/clients.md configures it: `--model sonnet` + ANTHROPIC_DEFAULT_SONNET_MODEL.
  {
    model: "google/gemini-2.0-flash",
    upstreamPath: /^\/v1beta\/models\/gemini-2\.0-flash:/,
    args: () => ["--model", "sonnet"],
    env: { ANTHROPIC_DEFAULT_SONNET_MODEL: "google/gemini-2.0-flash" },
  },
];

describe.skipIf(!installed)("Claude Code (claude -p) through /v1/messages", () => {
  it.each(cases)("$model: a Read tool round trip, with usage, audit and ledger", async ({ model, upstreamPath, args, env }) => {
    const { key, keyId } = await newKey();
    const word = `pineapple${Math.random().toString(36).slice(2, 10)}`;
    const { cwd, file } = workspace(word);
    const prompt = `What does the file say? [[use-tool:Read:${JSON.stringify({ file_path: file })}]]`;

    const run = await claude(cwd, prompt, key, args(model), env);
    const context = `exit ${run.code}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
    expect(run.code, context).toBe(0);
    expect(run.json, context).toMatchObject({ type: "result", subtype: "success", is_error: false, num_turns: 2 });
    // The final answer came from the upstream after it saw the file's content through Claude Code's tool.
    expect(run.json.result).toContain(`Tool said:`);
    expect(run.json.result).toContain(`The secret word is ${word}.`);
    // Claude Code's own cost tracking sees real usage (the classic gateway bug is 0/0).
    const usage = run.json.usage;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);

    // The upstream got the tool call's result: one request per turn, on the model's own protocol.
    const upstream = (await upstreamRequests()).filter((r) => JSON.stringify(r.body).includes(word));
    expect(upstream.map((r) => r.path).every((p) => upstreamPath.test(p)), upstream.map((r) => r.path).join(", ")).toBe(true);
    expect(upstream).toHaveLength(2);
    expect(JSON.stringify(upstream[1]!.body)).toContain(`The secret word is ${word}.`);
    if (model.startsWith("anthropic/")) {
      // Native: only the model id is rewritten; the betas and cache_control reach Anthropic unchanged.
      expect(upstream[0]!.headers["anthropic-beta"]).toContain("claude-code-20250219");
      expect(upstream[0]!.body.model).toBe("claude-sonnet-4-20250514");
      expect(JSON.stringify(upstream[0]!.body.system)).toContain('"cache_control"');
    }

    // One audit row per turn, endpoint /v1/messages, streamed, with the usage Claude Code counted.
    await until(async () => (await dbQuery(`SELECT id FROM audit_logs WHERE "apiKeyId" = ?`, keyId)).length >= 2);
    const rows = await dbQuery(`SELECT * FROM audit_logs WHERE "apiKeyId" = ? ORDER BY "createdAt"`, keyId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ endpoint: "/v1/messages", model, status: "success", httpStatus: 200, stream: 1 });
      expect(row.promptTokens).toBeGreaterThan(0);
      expect(row.completionTokens).toBeGreaterThan(0);
      expect(Number(row.costMicros)).toBeGreaterThan(0);
    }
    const sum = (k: string) => rows.reduce((s, r) => s + Number(r[k]), 0);
    expect(sum("completionTokens")).toBe(usage.output_tokens);
    expect(sum("promptTokens")).toBe(usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens);

    // The ledger charged exactly the audited cost of each turn.
    for (const row of rows) {
      const entries = await dbQuery<{ amountMicros: number; currency: string }>(`SELECT "amountMicros", currency FROM ledger_entries WHERE "auditLogId" = ?`, row.id);
      expect(entries.filter((e) => e.currency === "usd").map((e) => BigInt(e.amountMicros))).toEqual([-BigInt(row.costMicros)]);
    }
  });
});
