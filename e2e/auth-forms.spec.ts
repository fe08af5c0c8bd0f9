import { expect, test, type Page } from "@playwright/test";

// A slow link: the page's JavaScript arrives 3 s late. A form submitted before React hydrated it
// would be the browser's own submit — formerly a GET with the password in the URL
// (`/sign-up?name=&email=…&password=…`), its history, the server's logs and the Referer.

async function delayScripts(page: Page) {
  await page.route("**/_next/static/**/*.js", async (route) => {
    await new Promise((r) => setTimeout(r, 3_000));
    await route.continue();
  });
}

/** Every request URL and every address the page showed, to search for the password. */
function record(page: Page) {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(`${r.method()} ${r.url()}`));
  page.on("framenavigated", (f) => urls.push(`NAV ${f.url()}`));
  return urls;
}

/** Enter in the password field before hydration (formerly the browser's own GET submit), then the
 *  hydrated form's submit: the password never reaches a URL, and the form works once hydrated. */
async function earlyEnterThenSubmit(page: Page, button: "Sign up" | "Sign in", password: string, urls: string[]) {
  const submit = page.getByRole("button", { name: button });
  // Give a navigation time to happen (a wait, not an assertion on time), then look at the address.
  await page.getByLabel("Password").press("Enter");
  await page.waitForTimeout(1_000);
  expect(page.url()).not.toContain(password);
  await expect(page.getByLabel("Password")).toHaveValue(password); // still the same page
  // Before hydration the button is inert (and so is Enter, by HTML's implicit-submission rule).
  await expect(submit).toBeDisabled();

  // Once the scripts arrive the form works as usual (JSON POST, then the session).
  await expect(submit).toBeEnabled({ timeout: 30_000 });
  await submit.click();
  await expect(page).toHaveURL(/\/projects$/, { timeout: 30_000 });
  expect(urls.filter((u) => u.includes(password) || u.includes("password="))).toEqual([]);
  const path = button === "Sign up" ? "/sign-up?" : "/sign-in?";
  expect(urls.filter((u) => u.startsWith("GET ") && u.includes(path))).toEqual([]);
}

test("sign-up submitted before hydration: the password never reaches a URL, and sign-up works once hydrated", async ({ page }) => {
  const password = `pre-hydration-${Date.now()}`;
  const urls = record(page);
  await delayScripts(page);
  await page.goto("/sign-up", { waitUntil: "commit" });
  await page.getByLabel("Name").fill("Early Bird");
  await page.getByLabel("Email").fill(`e2e-early-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill(password);
  await earlyEnterThenSubmit(page, "Sign up", password, urls);
});

test("sign-in submitted before hydration: the password never reaches a URL, and sign-in works once hydrated", async ({ page, request }) => {
  const email = `e2e-early-in-${Date.now()}@example.com`;
  const password = `pre-hydration-in-${Date.now()}`;
  expect((await request.post("/api/sign-up", { data: { email, password } })).status()).toBe(202);

  const urls = record(page);
  await delayScripts(page);
  await page.goto("/sign-in", { waitUntil: "commit" });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await earlyEnterThenSubmit(page, "Sign in", password, urls);
});

test("the form is a POST form even if a script-less submit happens", async ({ page }) => {
  await page.route("**/_next/static/**/*.js", (route) => route.abort());
  await page.goto("/sign-up", { waitUntil: "domcontentloaded" });
  await expect(page.locator("form")).toHaveAttribute("method", "post");
});
