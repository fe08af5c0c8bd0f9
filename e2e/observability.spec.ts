import { mkdirSync, readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { grantOperator } from "./operator";
import { sameOrigin } from "./same-origin";

const SHOTS = "/tmp/vs-shots";

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("E2E Observer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
}

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true }).click();

/** A card's number as the API would give it: "$4.5", "1,234" → 4.5, 1234. */
const numberIn = async (page: Page, testId: string) => Number(((await page.getByTestId(testId).textContent()) ?? "").replace(/[$,%]/g, ""));

test("audit logs, usage and billing show the requests and balances the API reports", async ({ page, request }) => {
  mkdirSync(SHOTS, { recursive: true });
  await signUp(page, `e2e-obs-${Date.now()}@example.com`);

  // The session cookie authenticates these management calls.
  const project = await (await page.request.post("/api/projects", { headers: sameOrigin(), data: { name: "Observed" } })).json();
  const created = await page.request.post("/api/keys", { headers: sameOrigin(), data: { name: "obs", project_id: project.id } });
  expect(created.status()).toBe(201);
  const headers = { authorization: `Bearer ${(await created.json()).key}`, "content-type": "application/json" };
  await page.reload(); // the console learns about the project created behind its back

  // No upstream is configured in e2e: each of these fails, and each is still audited.
  const unknownModel = await request.post("/v1/chat/completions", { headers, data: { model: "nope/none", messages: [{ role: "user", content: "hi" }] } });
  expect(unknownModel.status()).toBe(404);
  const badJson = await request.post("/v1/chat/completions", { headers, data: "{not json" });
  expect(badJson.status()).toBe(400);
  const noMessages = await request.post("/v1/chat/completions", { headers, data: { model: "nope/none" } });
  expect(noMessages.status()).toBe(400);
  // Audit rows are written in batches off the hot path.
  await expect.poll(async () => (await (await page.request.get("/api/audit-logs")).json()).data.length).toBe(3);

  // ---- Audit logs ----
  await nav(page, "Audit logs");
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await expect(row).toContainText("error");
  // The export downloads through a busy button (disabled while the file streams in).
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = await downloading;
  expect(csv.suggestedFilename()).toMatch(/^vecstruct-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = readFileSync(await csv.path(), "utf8");
  expect(exported.match(/model_not_found/g)).toHaveLength(1);
  await expect(page.getByRole("button", { name: "Export CSV" })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/audit-logs.png`, fullPage: true });

  await rows.filter({ hasText: "model_not_found" }).click();
  const drawer = page.getByRole("dialog", { name: "Request details" });
  await expect(drawer).toBeFocused();
  await expect(drawer.getByTestId("detail-http-status")).toHaveText("404");
  await expect(drawer.getByTestId("detail-error-code")).toHaveText("model_not_found");
  await expect(drawer).toContainText("nope/none");
  await expect(drawer).toContainText("hi"); // the request message
  await page.screenshot({ path: `${SHOTS}/audit-logs-drawer.png` });
  await drawer.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.screenshot({ path: `${SHOTS}/audit-logs-drawer-end.png` });
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // Filters go to the API: nothing succeeded.
  await page.getByLabel("Status").selectOption("success");
  await expect(page.getByText("No requests match these filters")).toBeVisible();
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(rows).toHaveCount(3);

  // ---- Usage: the page's default period is the last 30 UTC days ----
  await nav(page, "Usage");
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10);
  const usage = await (await page.request.get(`/api/usage?group_by=day&from=${from}&to=${today}`)).json();
  expect(usage.totals.requests).toBe(3);
  await expect(page.getByTestId("usage-total-requests")).toHaveText("3");
  expect(await numberIn(page, "usage-total-requests")).toBe(usage.totals.requests);
  expect(await numberIn(page, "usage-total-tokens")).toBe(usage.totals.total_tokens);
  expect(await numberIn(page, "usage-total-cost")).toBe(usage.totals.cost_usd);
  expect(await numberIn(page, "usage-error-rate")).toBe(Number(((usage.totals.errors / usage.totals.requests) * 100).toFixed(1)));
  await expect(page.getByRole("img", { name: /^Requests per day: 3 in total over 30 days/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Observed" })).toBeVisible(); // per-project table shows the name
  await page.screenshot({ path: `${SHOTS}/usage.png`, fullPage: true });

  // ---- Billing: the signup grant, and no top-up form for a tenant ----
  await nav(page, "Billing");
  const billing = await (await page.request.get("/api/billing")).json();
  expect(billing.usd).toBe(5);
  expect(billing.credits).toBe(100);
  await expect(page.getByTestId("balance-usd")).toHaveText("$5.00");
  await expect(page.getByTestId("balance-credits")).toHaveText("100");
  expect(await numberIn(page, "balance-usd")).toBe(billing.usd);
  expect(await numberIn(page, "balance-credits")).toBe(billing.credits);
  expect(await numberIn(page, "reserved-usd")).toBe(billing.reserved_usd);
  const ledger = page.getByTestId("ledger-row");
  await expect(ledger).toHaveCount(billing.ledger.length);
  await expect(ledger.filter({ hasText: "grant" })).toHaveCount(2);
  await expect(ledger.filter({ hasText: "+$5.00" })).toContainText("Signup grant");
  await expect(ledger.filter({ hasText: "+100 credits" })).toContainText("Signup grant");
  await expect(page.getByLabel("USD", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/billing.png`, fullPage: true });
});

// operator@e2e.test is made the operator with the admin key. models.spec.ts may have created that
// user already (same server, same password): sign-up answers 202 either way, then sign in.
const OPERATOR = { email: "operator@e2e.test", password: "operator password 1" };

test("an operator tops up and sees the API's validation errors", async ({ page, request }) => {
  mkdirSync(SHOTS, { recursive: true });
  const account = await page.request.post("/api/sign-up", { data: OPERATOR });
  expect(account.status()).toBe(202);
  await grantOperator(request, OPERATOR.email);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  expect((await (await page.request.get("/api/me")).json()).operator).toBe(true);

  await nav(page, "Billing");
  // The operator sees every organization: ask the API about the one the page shows.
  const orgId = await page.getByLabel("Organization").inputValue();
  const before = await (await page.request.get(`/api/billing?org_id=${orgId}`)).json();
  await expect(page.getByTestId("balance-usd")).toBeVisible();

  // An adjustment larger than the balance is the API's 400, shown as is.
  await page.getByLabel("USD", { exact: true }).fill(String(-(before.usd + 1000)));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "larger than the available" })).toBeVisible();

  await page.getByLabel("USD", { exact: true }).fill("2.5");
  await page.getByLabel("Credits").fill("-10");
  await page.getByLabel("Note").fill("e2e top-up");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Balance updated" })).toBeVisible();
  const after = await (await page.request.get(`/api/billing?org_id=${orgId}`)).json();
  expect(after.usd).toBeCloseTo(before.usd + 2.5, 6);
  expect(after.credits).toBeCloseTo(before.credits - 10, 6);
  // The page refetches the balance after "Balance updated" shows: poll rather than read once.
  await expect.poll(() => numberIn(page, "balance-usd")).toBe(after.usd);
  await expect.poll(() => numberIn(page, "balance-credits")).toBe(after.credits);
  const rows = page.getByTestId("ledger-row").filter({ hasText: "e2e top-up" });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "topup" })).toContainText("+$2.50");
  await expect(rows.filter({ hasText: "adjustment" })).toContainText("−10 credits");
  await page.screenshot({ path: `${SHOTS}/billing-operator.png`, fullPage: true });
});
