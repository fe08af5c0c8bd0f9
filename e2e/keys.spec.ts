import { expect, test } from "@playwright/test";

test("sign up → create project → create key → see it listed → revoke it", async ({ page, request }) => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "e2e password 123";

  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("link", { name: "Sign up" }).click();
  await page.getByLabel("Name").fill("E2E User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("main").getByText("No projects yet")).toBeVisible();
  await page.getByRole("button", { name: "New project" }).click();
  await page.getByLabel("Name").fill("Support bot");
  await page.getByLabel("Description").fill("Answers FAQ");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("cell", { name: "Support bot Answers FAQ" })).toBeVisible();
  await expect(page.getByLabel("Project")).toHaveValue(/.+/);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("main").getByText("No API keys in this project")).toBeVisible();
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill("production");
  await page.getByLabel("Requests per minute").fill("60");
  await page.getByRole("button", { name: "Create key" }).click();

  const secret = page.getByTestId("new-key-secret");
  await expect(secret).toHaveText(/^sk-vs-[A-Za-z0-9]{40}$/);
  const key = (await secret.textContent()) ?? "";
  const row = page.getByTestId("key-row").filter({ hasText: "production" });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).toContainText("active");
  await expect(row).toContainText("60 rpm");

  // The secret is shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByTestId("key-row").filter({ hasText: "production" })).toBeVisible();
  await expect(page.getByText(key)).toHaveCount(0);

  await page.getByRole("button", { name: "Revoke production" }).click();
  await page.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: "production" })).toContainText("revoked");

  // The console session is what authenticates the management API.
  const anonymous = await request.get("/api/projects");
  expect(anonymous.status()).toBe(401);
  const list = await page.request.get("/api/keys");
  expect(list.status()).toBe(200);
  expect((await list.json()).data[0].status).toBe("revoked");
});

test("sign-in rejects a wrong password and console pages require a session", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
});
