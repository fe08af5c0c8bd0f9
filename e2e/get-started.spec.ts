import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { sameOrigin } from "./same-origin";
import { startMockUpstream, type MockUpstream } from "../tests/mocks/upstream";

const SHOTS = "/tmp/vs-shots";

let upstream: MockUpstream;
test.beforeAll(async () => {
  // On the address the app allow-lists for the specs' upstreams (playwright.config.ts).
  upstream = await startMockUpstream("127.0.0.2");
});
test.afterAll(() => upstream.close());

test("first run: a new account gets a default project and a get-started path that ends in a working request", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Fay Firstrun");
  await page.getByLabel("Email").fill(`e2e-first-run-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);

  // Not an empty page: the default project, and a pointer to the steps.
  await expect(page.getByTestId("project-row")).toHaveCount(1);
  await expect(page.getByTestId("project-row")).toContainText("Default");
  await expect(page.getByTestId("get-started-banner")).toBeVisible();
  await page.getByRole("link", { name: "Get started" }).click();
  await expect(page).toHaveURL(/\/overview$/);

  // Step 1 says that nothing can answer yet, before any request fails.
  const card = page.getByTestId("get-started");
  await expect(card.getByTestId("get-started-provider-status")).toContainText("No chat model is available to this organization yet");
  await expect(card.getByTestId("get-started-step-1")).toContainText("to do");
  await expect(card.getByRole("link", { name: "Add a provider and its models" })).toBeVisible();

  // The organization configures its own upstream (as the Providers page does), then the step turns done.
  const provider = await page.request.post("/api/providers", {
    headers: sameOrigin(),
    data: { provider: "mock", protocol: "openai-compatible", name: "Mock upstream", base_url: `${upstream.origin}/v1`, api_key: "sk-mock-first-run" },
  });
  expect(provider.status()).toBe(201);
  expect((await page.request.post("/api/models", { headers: sameOrigin(), data: { id: "mock/echo-1", input_price_per_mtok: 1, output_price_per_mtok: 2 } })).status()).toBe(201);
  await page.reload();
  await expect(card.getByTestId("get-started-provider-status")).toContainText("1 chat model available: mock/echo-1.");
  await expect(card.getByTestId("get-started-step-1")).toContainText("done");

  // Step 2: a key for the default project, shown once.
  await expect(card.getByTestId("get-started-step-2")).toContainText("Default");
  await card.getByRole("button", { name: "Create API key" }).click();
  const key = (await card.getByTestId("get-started-key").textContent()) ?? "";
  expect(key).toMatch(/^sk-vs-[A-Za-z0-9]{40}$/);

  // Step 3: the snippet carries the key, this server's /v1 and an available model, in each language.
  const snippet = card.getByTestId("get-started-snippet");
  await expect(snippet).toContainText(`export VECSTRUCT_API_KEY=${key}`);
  await expect(snippet).toContainText("/v1/chat/completions");
  await expect(snippet).toContainText('"model": "mock/echo-1"');
  await card.getByRole("tab", { name: "Python" }).click();
  await expect(snippet).toContainText("from openai import OpenAI");
  await expect(snippet).toContainText('model="mock/echo-1"');
  await card.getByRole("tab", { name: "TypeScript" }).click();
  await expect(snippet).toContainText('import OpenAI from "openai"');
  await card.getByRole("tab", { name: "curl" }).click();
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/get-started.png`, fullPage: true });
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: `${SHOTS}/get-started-dark.png`, fullPage: true });
  await page.getByRole("button", { name: "Dark theme" }).click();

  // And it works: the curl snippet's own URL and body, with the key it exports.
  const text = (await snippet.textContent()) ?? "";
  const url = /curl (\S+)/.exec(text)![1]!;
  const body = JSON.parse(/-d '([\s\S]*)'$/.exec(text.trim())![1]!);
  const res = await request.post(url, { headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, data: body });
  expect(res.status()).toBe(200);
  const reply = await res.json();
  expect(reply.model).toBe("mock/echo-1");
  expect(reply.choices[0].message.content).toContain("Echo: Say hello in one sentence.");

  // The Anthropic Messages entry works as written too (the key in x-api-key, as the snippet sends it).
  await card.getByRole("button", { name: "Anthropic Messages" }).click();
  await expect(snippet).toContainText("/v1/messages");
  const messagesText = (await snippet.textContent()) ?? "";
  const messagesUrl = /curl (\S+)/.exec(messagesText)![1]!;
  const messagesBody = JSON.parse(/-d '([\s\S]*)'$/.exec(messagesText.trim())![1]!);
  const viaMessages = await request.post(messagesUrl, { headers: { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" }, data: messagesBody });
  expect(viaMessages.status()).toBe(200);
  const message = await viaMessages.json();
  expect(message).toMatchObject({ type: "message", role: "assistant", model: "mock/echo-1" });
  expect(message.content[0].text).toContain("Echo: Say hello in one sentence.");
  await card.getByRole("tab", { name: "Python" }).click();
  await expect(snippet).toContainText("from anthropic import Anthropic");
});
