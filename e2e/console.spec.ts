import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { sameOrigin } from "./same-origin";
import { startMockUpstream, type MockUpstream } from "../tests/mocks/upstream";

// Screenshots of the main pages for the README, taken on the way through the main paths.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");

let upstream: MockUpstream;
test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // A real HTTP server speaking OpenAI's wire format, on the address the app allow-lists for it.
  upstream = await startMockUpstream("127.0.0.2");
});
test.afterAll(() => upstream.close());

async function signUp(page: Page, email: string, name: string, next?: string) {
  await page.goto(next ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
}

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true }).click();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

test("a new user adds and tests a provider, then chats in the playground with RAG and finds it in the audit log", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, `e2e-pg-${Date.now()}@example.com`, "Pat Playground");
  await expect(page).toHaveURL(/\/projects$/);

  // ---- Providers & models: add an upstream credential, a model it serves, and test it ----
  await nav(page, "Providers & models");
  await expect(page.getByText("No upstream provider yet")).toBeVisible();
  await page.getByRole("button", { name: "Add provider" }).click();
  await page.getByLabel("Provider name (used in model ids)").fill("mock");
  await page.getByLabel("Protocol").selectOption("openai-compatible");
  await page.getByLabel("Label").fill("Mock upstream");
  await page.getByLabel("Base URL").fill(`${upstream.origin}/v1`);
  await page.getByLabel("API key").fill("sk-mock-e2e-secret");
  await page.getByRole("button", { name: "Add provider" }).click();
  const row = page.getByTestId("provider-row").filter({ hasText: "Mock upstream" });
  await expect(row).toContainText("••••••••");
  await expect(row).not.toContainText("sk-mock-e2e-secret"); // write-only

  await page.getByRole("button", { name: "Add model" }).click();
  await page.getByLabel("Model id (provider/model)").fill("mock/echo-1");
  await page.getByLabel("Input $ per 1M tokens").fill("1");
  await page.getByLabel("Output $ per 1M tokens").fill("2");
  await page.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByTestId("model-row").filter({ hasText: "mock/echo-1" })).toContainText("available");

  await row.getByRole("button", { name: "Test Mock upstream" }).click();
  await expect(row.getByTestId("test-result")).toContainText("OK · mock/echo-1");
  expect(upstream.requests.at(-1)?.body).toMatchObject({ model: "echo-1", max_tokens: 1 });
  await shot(page, "providers");

  // ---- A project with one document ----
  const project = await (await page.request.post("/api/projects", { headers: sameOrigin(), data: { name: "Support bot" } })).json();
  const doc = await (
    await page.request.post(`/api/projects/${project.id}/documents`, { headers: sameOrigin(), data: { title: "Refund policy", content: "Refunds are accepted within 30 days of purchase with a receipt." } })
  ).json();
  await expect.poll(async () => (await (await page.request.get(`/api/documents/${doc.id}`)).json()).status, { timeout: 90_000 }).toBe("ready");

  // ---- Playground: streams a reply with its sources, tokens, cost and audit link ----
  await page.goto("/playground");
  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("mock/echo-1");
  await page.getByLabel("System prompt").fill("Answer from the documents.");
  await page.getByLabel("Temperature").fill("0.2");
  await page.getByLabel("Use the project's documents").check();
  await page.getByLabel("Refund policy").check();
  await page.getByLabel("Message", { exact: true }).fill("What is the refund window?");
  await page.keyboard.press("Enter");
  const reply = page.getByTestId("assistant-message").last();
  await expect(reply).toContainText("Echo: What is the refund window?");
  await expect(reply).toHaveAttribute("data-state", "done");
  await expect(reply.getByTestId("rag-sources")).toContainText("Refund policy");
  await expect(reply.getByTestId("reply-tokens")).toContainText(" out");
  await expect(reply.getByTestId("reply-cost")).toContainText("$");
  await expect(reply.getByTestId("reply-latency")).toContainText(" s");
  const sent = upstream.requests.at(-1)!;
  expect(sent.body).toMatchObject({ model: "echo-1", temperature: 0.2, stream: true });
  expect(JSON.stringify(sent.body.messages)).toContain("Refunds are accepted within 30 days");
  await shot(page, "playground");

  // Stop aborts a slow reply.
  await page.getByLabel("Message", { exact: true }).fill("Tell me slowly [[fault:trickle:400]]");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("assistant-message").last()).toContainText("Echo");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("assistant-message").last()).toHaveAttribute("data-state", "stopped");

  // View code shows the same request for API clients.
  await page.getByRole("button", { name: "View code" }).click();
  const code = page.getByTestId("code-snippet");
  await expect(code).toContainText("curl");
  await expect(code).toContainText('"model": "mock/echo-1"');
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(code).toContainText('extra_body={"vecstruct": {');
  await page.getByRole("tab", { name: "TypeScript" }).click();
  await expect(code).toContainText('import OpenAI from "openai"');
  await page.keyboard.press("Escape");

  // The reply's audit entry opens in the audit log drawer.
  await reply.getByRole("link", { name: "Audit entry" }).click();
  await expect(page).toHaveURL(/\/audit-logs\?id=/);
  const drawer = page.getByRole("dialog", { name: "Request details" });
  await expect(drawer).toContainText("mock/echo-1");
  await expect(drawer).toContainText("Refund policy");
  await expect(drawer).toContainText("/v1/chat/completions");
  await page.keyboard.press("Escape");

  // ---- The same playground through the Anthropic Messages front door (translated for this OpenAI-protocol model) ----
  const viaMessages = await replyThrough(page, "Anthropic Messages", "/v1/messages (Anthropic Messages)", "Refund window, Anthropic style?");
  const translated = upstream.requests.at(-1)!;
  expect(translated.path).toBe("/v1/chat/completions");
  expect(translated.body).toMatchObject({ model: "echo-1", stream: true });
  expect(JSON.stringify(translated.body.messages)).toContain("Refunds are accepted within 30 days");

  // View code follows the dialect: Anthropic's headers and SDKs, with the origin as base URL.
  await page.getByRole("button", { name: "View code" }).click();
  await expect(code).toContainText("/v1/messages");
  await expect(code).toContainText("anthropic-version: 2023-06-01");
  await expect(code).toContainText('"max_tokens": 1024');
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(code).toContainText("from anthropic import Anthropic");
  await expect(code).toContainText(`Anthropic(base_url="${new URL(page.url()).origin}"`);
  await page.getByRole("tab", { name: "TypeScript" }).click();
  await expect(code).toContainText('import Anthropic from "@anthropic-ai/sdk"');
  await page.keyboard.press("Escape");

  // Its audit entry names the endpoint, in the drawer and in the list.
  await viaMessages.getByRole("link", { name: "Audit entry" }).click();
  await expect(drawer).toContainText("/v1/messages");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("audit-endpoint").first()).toHaveText("/v1/messages");

  // ---- And through the OpenAI Responses front door: events stream in, usage and vecstruct come with response.completed ----
  const viaResponses = await replyThrough(page, "OpenAI Responses", "/v1/responses (OpenAI Responses)", "Refund window, Responses style?");
  // Translated to chat or native on the upstream: either way it got the model and the RAG passages.
  const viaResponsesUpstream = upstream.requests.at(-1)!;
  expect(viaResponsesUpstream.body).toMatchObject({ model: "echo-1", stream: true });
  expect(JSON.stringify(viaResponsesUpstream.body)).toContain("Refunds are accepted within 30 days");

  // View code: `client.responses` of the OpenAI SDKs, with <origin>/v1 as base URL.
  await page.getByRole("button", { name: "View code" }).click();
  await expect(code).toContainText("/v1/responses");
  await expect(code).toContainText('"input": [');
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(code).toContainText("client.responses.create(");
  await expect(code).toContainText(`OpenAI(base_url="${new URL(page.url()).origin}/v1"`);
  await page.getByRole("tab", { name: "TypeScript" }).click();
  await expect(code).toContainText("await client.responses.create({");
  await page.keyboard.press("Escape");

  await viaResponses.getByRole("link", { name: "Audit entry" }).click();
  await expect(drawer).toContainText("/v1/responses");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("audit-endpoint").first()).toHaveText("/v1/responses");

  // ---- Overview: the project's traffic ----
  await nav(page, "Overview");
  await expect(page.getByTestId("overview-requests")).not.toHaveText("0");
  await shot(page, "overview");

  // Dark mode, remembered across reloads.
  await page.getByRole("button", { name: "Dark theme" }).click();
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await nav(page, "Playground");
  await shot(page, "playground-dark");
  await page.getByRole("button", { name: "Dark theme" }).click();

  // Cookies alone never authorize /v1: without the project header it is a request without a key.
  const bare = await page.request.post("/v1/chat/completions", { data: { model: "mock/echo-1", messages: [{ role: "user", content: "hi" }] } });
  expect(bare.status()).toBe(401);
});

/**
 * The playground through another front door, with the project's documents: sends one message and
 * waits for its reply to stream in with its sources, tokens and cost (the dialect's reader at work).
 */
async function replyThrough(page: Page, dialect: string, heading: string, prompt: string) {
  await page.goto("/playground");
  await page.getByLabel("Use the project's documents").check();
  await page.getByLabel(dialect).check();
  await expect(page.getByText(`Chat through ${heading}`)).toBeVisible();
  await page.getByLabel("Message", { exact: true }).fill(prompt);
  await page.keyboard.press("Enter");
  const reply = page.getByTestId("assistant-message").last();
  await expect(reply).toHaveAttribute("data-state", "done");
  await expect(reply).toContainText(`Echo: ${prompt}`);
  await expect(reply.getByTestId("rag-sources")).toContainText("Refund policy");
  await expect(reply.getByTestId("reply-tokens")).toContainText(" out");
  await expect(reply.getByTestId("reply-cost")).toContainText("$");
  return reply;
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test("an owner invites a member by link; the member's view is restricted", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  await signUp(page, `e2e-owner-${stamp}@example.com`, "Olive Owner");
  await expect(page).toHaveURL(/\/projects$/);
  await page.request.post("/api/projects", { headers: sameOrigin(), data: { name: "Shared project" } });

  await nav(page, "Organization");
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/inv_/);
  await expect(page.getByTestId("invitation-row")).toHaveCount(1);
  await shot(page, "organization");

  // The invitee signs up from the link and comes back to accept it.
  const member = await newPage(browser);
  await member.goto(link);
  await member.getByRole("link", { name: "Sign up" }).click();
  await member.getByLabel("Name").fill("Max Member");
  await member.getByLabel("Email").fill(`e2e-member-${stamp}@example.com`);
  await member.getByLabel("Password").fill("e2e password 123");
  await member.getByRole("button", { name: "Sign up" }).click();
  await expect(member).toHaveURL(/\/invite\//);
  await member.getByRole("button", { name: /^Join / }).click();
  await expect(member).toHaveURL(/\/overview$/);

  // A member sees the organization but manages nothing in it — and the API agrees.
  await member.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Organization", exact: true }).click();
  await expect(member.getByTestId("member-notice")).toBeVisible();
  await expect(member.getByTestId("member-row")).toHaveCount(2);
  await expect(member.getByRole("button", { name: "Create link" })).toHaveCount(0);
  await member.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Providers & models", exact: true }).click();
  await expect(member.getByText("Ask an admin of this organization to add one.")).toBeVisible();
  await expect(member.getByRole("button", { name: "Add provider" })).toHaveCount(0);
  // Keys and projects: the member sees them, with a hint instead of the admins' controls.
  await member.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API keys", exact: true }).click();
  await expect(member.getByTestId("admin-only-note")).toHaveText("Only admins can create or revoke API keys.");
  await expect(member.getByRole("button", { name: "New API key" })).toHaveCount(0);
  await member.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Projects", exact: true }).click();
  await expect(member.getByTestId("admin-only-note")).toHaveText("Only admins can create, configure or delete projects.");
  await expect(member.getByTestId("project-row").first()).toBeVisible();
  await expect(member.getByRole("button", { name: "New project" })).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  const orgId = await member.evaluate(() => window.localStorage.getItem("vecstruct.org"));
  const projects = await (await member.request.get(`/api/projects?org_id=${orgId}`)).json();
  expect(projects.data.map((p: { name: string }) => p.name)).toEqual(["Shared project", "Default"]);
  const denied = await member.request.post("/api/keys", { headers: sameOrigin(), data: { name: "nope", project_id: projects.data[0].id, org_id: orgId } });
  expect(denied.status()).toBe(403);

  // The owner sees the new member and the invitation is used up.
  await page.reload();
  await expect(page.getByTestId("member-row")).toHaveCount(2);
  await expect(page.getByTestId("invitation-row")).toHaveCount(0);
  await member.context().close();
});
