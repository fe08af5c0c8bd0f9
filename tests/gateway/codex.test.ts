// Codex CLI itself (headless `codex exec` of the @openai/codex devDependency) through POST /v1/responses
// on an OpenAI model (native), an Anthropic model and a Gemini model (translated), each with a round
// trip through Codex's own exec_command tool: the mock upstreams are steered by
// [[use-tool:exec_command:{…}]] (tests/mocks/scripted-tools.ts), Codex runs the command, and the
// upstream's second turn quotes the output it got back. Offline: a fresh CODEX_HOME whose config names
// the gateway as a `wire_api = "responses"` provider (docs/clients.md), hosted web search off.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseURL, dbQuery, newKey, until } from "./helpers";

const CODEX = path.resolve(import.meta.dirname, "../../node_modules/.bin/codex");
const work = mkdtempSync(path.join(tmpdir(), "vecstruct-codex-gw-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `codex exec` with its own CODEX_HOME and nothing of the caller's environment. */
function codex(model: string, prompt: string, key: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = mkdtempSync(path.join(work, "home-"));
  writeFileSync(
    path.join(home, "config.toml"),
    [
      `model = "${model}"`,
      `model_provider = "vecstruct"`,
      `web_search = "disabled"`,
      "",
      "[model_providers.vecstruct]",
      `name = "vecstruct"`,
      `base_url = "${baseURL}/v1"`,
      `wire_api = "responses"`,
      `env_key = "VECSTRUCT_API_KEY"`,
      "",
    ].join("\n"),
  );
  return new Promise((resolve, reject) => {
    // stdin closed: with a pipe open, `codex exec` waits to read more of the prompt from it.
    const child = spawn(CODEX, ["exec", "--skip-git-repo-check", prompt], {
      cwd: home,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, CODEX_HOME: home, VECSTRUCT_API_KEY: key } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "google/gemini-2.0-flash"])("codex exec through /v1/responses on %s", (model) => {
  it("runs its exec_command tool on the model's call and prints the model's answer", async () => {
    const marker = `codex-${model.split("/")[0]}`;
    const prompt = `${marker} [[use-tool:exec_command:{"cmd":"echo ${marker}-$((40+2))"}]]`;
    const { key, keyId } = await newKey();
    const r = await codex(model, prompt, key);
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
    // The shell computed 42: the output went back to the upstream, which quoted it.
    expect(r.stdout).toContain("Tool said:");
    expect(r.stdout).toContain(`${marker}-42`);
    // Two calls, two audit rows on /v1/responses, billed like chat.
    await until(async () => (await dbQuery(`SELECT id FROM audit_logs WHERE "apiKeyId" = ?`, keyId)).length >= 2);
    const rows = await dbQuery(`SELECT * FROM audit_logs WHERE "apiKeyId" = ? ORDER BY "createdAt"`, keyId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ endpoint: "/v1/responses", model, status: "success", httpStatus: 200 });
      expect(row.promptTokens).toBeGreaterThan(0);
      expect(row.completionTokens).toBeGreaterThan(0);
      const entries = await dbQuery<{ amountMicros: number; currency: string }>(`SELECT "amountMicros", currency FROM ledger_entries WHERE "auditLogId" = ?`, row.id);
      expect(entries.filter((e) => e.currency === "usd").map((e) => BigInt(e.amountMicros))).toEqual([-BigInt(row.costMicros)]);
    }
  }, 90_000);
});
