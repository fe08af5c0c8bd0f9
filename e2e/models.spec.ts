import { expect, test } from "@playwright/test";
import { grantOperator } from "./operator";

// The admin key (playwright.config.ts) makes this console user the operator.
test("the operator adds a model and edits its prices on Models & pricing", async ({ page, request }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("operator@e2e.test");
  await page.getByLabel("Password").fill("operator password 1");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await grantOperator(request, "operator@e2e.test");

  await page.goto("/models");
  await page.getByRole("button", { name: "Add model" }).click();
  await page.getByLabel("Model id (provider/model)").fill("acme/e2e-model");
  await page.getByLabel("Input $ per 1M tokens").fill("0.5");
  await page.getByLabel("Output $ per 1M tokens").fill("1.5");
  await page.getByRole("button", { name: "Add model" }).click();
  const row = page.getByTestId("model-row").filter({ hasText: "acme/e2e-model" });
  await expect(row).toContainText("$0.500 / $1.50 / —");
  await expect(row).toContainText("no provider");

  await row.getByRole("button", { name: "Edit prices of acme/e2e-model" }).click();
  await row.getByLabel("Output $/M").fill("2");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("$0.500 / $2.00 / —");

  const api = await page.request.get("/api/models/acme/e2e-model");
  expect(await api.json()).toMatchObject({ input_price_per_mtok: 0.5, output_price_per_mtok: 2 });
});
