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
  // A new organization starts with its default project (and nothing else).
  await expect(page.getByTestId("project-row")).toHaveCount(1);
  await expect(page.getByTestId("project-row")).toContainText("Default");
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

test("the key form lets a key name other projects (projects), through the console's own same-origin calls", async ({ page }) => {
  // The CSP must let Next's inline scripts run: any violation is a failure.
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const email = `e2e-projects-${Date.now()}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Projects User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);

  // Both projects through the UI: the console's fetch wrapper passes the server's origin check.
  for (const name of ["Storefront", "Warehouse"]) {
    await page.getByRole("button", { name: "New project" }).click();
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByRole("cell", { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  const projects = (await (await page.request.get("/api/projects")).json()).data as { id: string; name: string }[];
  const storefront = projects.find((p) => p.name === "Storefront")!;
  const warehouse = projects.find((p) => p.name === "Warehouse")!;
  await page.getByLabel("Project").selectOption(storefront.id);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill("cross-project");
  await expect(page.getByRole("checkbox", { name: "Storefront" })).toHaveCount(0); // its own project is implied
  await page.getByRole("checkbox", { name: "Warehouse" }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-key-secret")).toHaveText(/^sk-vs-/);
  await expect(page.getByTestId("key-row").filter({ hasText: "cross-project" })).toContainText("+1 project(s)");

  // "Any project" sends ["*"] (and disables the individual choices).
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "New API key" }).click();
  await page.getByLabel("Name").fill("any-project");
  await page.getByRole("checkbox", { name: "Any project of the organization" }).check();
  await expect(page.getByRole("checkbox", { name: "Warehouse" })).toBeDisabled();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("key-row").filter({ hasText: "any-project" })).toContainText("any project");

  const keys = (await (await page.request.get(`/api/keys?project_id=${storefront.id}`)).json()).data as { name: string; project_id: string; projects: string[] | null }[];
  expect(keys.find((k) => k.name === "cross-project")).toMatchObject({ project_id: storefront.id, projects: [warehouse.id] });
  expect(keys.find((k) => k.name === "any-project")).toMatchObject({ projects: ["*"] });

  // A change from the session without the console's origin is refused (CSRF).
  const forged = await page.request.post("/api/projects", { headers: { origin: "https://evil.example" }, data: { name: "forged" } });
  expect(forged.status()).toBe(403);
  expect(violations).toEqual([]);
});
