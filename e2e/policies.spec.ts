import { expect, test } from "@playwright/test";

// The Policies page: a project's cache settings and guardrail rules, and the "test this text" box.
test("policies: set the cache mode, save guardrail rules, and test a text against them", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Policies User");
  await page.getByLabel("Email").fill(`e2e-policies-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.getByRole("button", { name: "New project" }).click();
  await page.getByLabel("Name").fill("Support bot");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("project-row").filter({ hasText: "Support bot" })).toBeVisible();

  await page.getByRole("link", { name: "Policies" }).click();
  await expect(page).toHaveURL(/\/policies$/);
  await expect(page.getByTestId("cache-hits")).toHaveText("0");
  await page.getByLabel("Mode").selectOption("semantic");
  await page.getByLabel("TTL (seconds)").fill("600");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Cache settings saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Mode")).toHaveValue("semantic");
  await expect(page.getByLabel("TTL (seconds)")).toHaveValue("600");

  // A rule RE2 refuses is the API's 400, shown as is.
  const rules = page.getByLabel("Rules (JSON)");
  await rules.fill('[{"detector": "regex", "pattern": "(a)\\\\1", "input": "block"}]');
  await page.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "RE2" })).toBeVisible();

  await rules.fill('[{"detector": "email", "input": "redact"}, {"detector": "secret", "input": "block", "output": "block"}]');
  await page.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rules saved." })).toBeVisible();

  await page.getByRole("textbox", { name: /Test this text/ }).fill("Mail bob@example.com about the invoice");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const input = page.getByTestId("guardrails-test-input");
  await expect(input).toContainText("email: redact (1)");
  await expect(input).toContainText("Mail [EMAIL] about the invoice");
  await expect(page.getByTestId("guardrails-test-output")).toContainText("clean");

  await page.getByRole("textbox", { name: /Test this text/ }).fill("my key is sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(input).toContainText("blocked");
  await expect(input).not.toContainText("sk-proj-");
  await page.screenshot({ path: "docs/screenshots/policies.png", fullPage: true });
});
