import { expect, test } from "@playwright/test";

// No upstream is configured in the e2e run, so the only embedding model is the offline default and
// there is no rerank model: the drawer must say so and save without re-embedding anything.
test("project retrieval settings: offline default embedding model, no rerank model", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Settings User");
  await page.getByLabel("Email").fill(`e2e-settings-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);

  await page.getByRole("button", { name: "New project" }).click();
  await page.getByLabel("Name").fill("Docs bot");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const models = page.getByTestId("project-row").filter({ hasText: "Docs bot" }).getByTestId("project-rag-models");
  await expect(models).toHaveText("embeddings: offline default");

  await page.getByRole("button", { name: "Retrieval settings of Docs bot" }).click();
  const drawer = page.getByRole("dialog", { name: "Retrieval settings" });
  await expect(drawer).toBeVisible();
  const embedding = drawer.getByLabel("Embedding model");
  await expect(embedding).toHaveValue("");
  await expect(embedding.locator("option")).toHaveText(["Offline default (vecstruct/local-embeddings-en, 512 dimensions)"]);
  await expect(drawer.getByLabel("Rerank model").locator("option")).toHaveText(["None (hybrid search order)"]);
  await expect(drawer.getByText("Saving re-embeds every document")).toHaveCount(0);

  await drawer.getByRole("button", { name: "Save" }).click();
  await expect(drawer).toBeHidden();
  await expect(models).toHaveText("embeddings: offline default");
});
