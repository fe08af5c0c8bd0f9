import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { sameOrigin } from "./same-origin";

const SHOTS = "/tmp/vs-shots";

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("E2E Rememberer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
}

type Listed = { data: { user_id: string; content: string; source_audit_id: string | null }[] };

test("memory: add, filter by user, edit with history, search, delete, forget a user", async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  await signUp(page, `e2e-memory-${Date.now()}@example.com`);

  // The session cookie authenticates the management API; the full load below picks the project up.
  const project = await (await page.request.post("/api/projects", { headers: sameOrigin(), data: { name: "Assistant" } })).json();
  const listUrl = `/api/projects/${project.id}/memories`;
  await page.goto("/memory");
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Memory" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("Project")).toHaveValue(project.id);
  await expect(page.getByRole("main").getByText("No memories in this project yet")).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Send vecstruct: {use_memory: true, metadata: {user_id}} with chat requests; memories appear here.");
  await page.screenshot({ path: `${SHOTS}/memory-empty.png` });

  const rows = page.getByTestId("memory-row");

  // ---- Add two memories for alice and one for bob through the form ----
  await page.getByRole("button", { name: "Add memory" }).click();
  const form = page.getByRole("form", { name: "Add memory" });
  const add = async (user: string, content: string, expected: number) => {
    await form.getByLabel("User ID").fill(user);
    await form.getByLabel("Content").fill(content);
    await form.getByRole("button", { name: "Add memory" }).click();
    await expect(rows).toHaveCount(expected);
    await expect(rows.filter({ hasText: content })).toContainText(user);
    await expect(form.getByLabel("Content")).toHaveValue(""); // ready for the next one, user id kept
    await expect(form.getByLabel("User ID")).toHaveValue(user);
  };
  await add("alice", "Prefers dark mode", 1);
  await add("alice", "Lives in Paris", 2);
  await add("bob", "Allergic to peanuts", 3);
  await expect(form).toContainText("Memory added for “bob”.");
  const paris = rows.filter({ hasText: "Lives in Paris" });
  await expect(paris).toContainText("Manual"); // added by hand: no source request
  await page.screenshot({ path: `${SHOTS}/memory.png`, fullPage: true });
  await form.getByRole("button", { name: "Close" }).click();
  await expect(form).toHaveCount(0);

  // ---- Forgetting needs a user; filtering by typing narrows the list to alice ----
  const forgetButton = page.getByRole("button", { name: "Forget this user" });
  await expect(forgetButton).toBeDisabled();
  await page.getByLabel("Filter by user ID").fill("alice");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "bob" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Memories of alice" })).toBeVisible();
  await expect(forgetButton).toBeEnabled();

  // ---- Inline edit: Escape drops the change, Save keeps it ----
  // One row edits at a time; while it does, its text is in the editor, not the row.
  const editor = page.getByRole("textbox", { name: "Memory content" });
  await paris.getByRole("button", { name: "Edit" }).click();
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue("Lives in Paris");
  await editor.fill("Lives on the moon");
  await editor.press("Escape");
  await expect(editor).toHaveCount(0);
  await expect(paris).toContainText("Lives in Paris");
  await paris.getByRole("button", { name: "Edit" }).click();
  await editor.fill("Moved to Berlin in 2024");
  await rows.filter({ has: editor }).getByRole("button", { name: "Save" }).click();
  const berlin = rows.filter({ hasText: "Moved to Berlin in 2024" });
  await expect(berlin).toHaveCount(1);
  await expect(rows.filter({ hasText: "Lives in Paris" })).toHaveCount(0);
  await expect(berlin.getByRole("button", { name: "Edit" })).toBeFocused();

  // ---- History panel: add → update, with before and after ----
  await berlin.getByRole("button", { name: "History" }).click();
  const panel = page.getByRole("dialog", { name: "Memory history" });
  await expect(panel).toBeFocused();
  await expect(panel).toContainText("alice");
  const events = panel.getByTestId("memory-event");
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("add");
  await expect(events.nth(0).getByTestId("event-after")).toContainText("Lives in Paris");
  await expect(events.nth(0).getByTestId("event-before")).toHaveCount(0);
  await expect(events.nth(1)).toContainText("update");
  await expect(events.nth(1).getByTestId("event-before")).toContainText("Lives in Paris");
  await expect(events.nth(1).getByTestId("event-after")).toContainText("Moved to Berlin in 2024");
  await expect(events.nth(1)).toContainText("Manual");
  await page.screenshot({ path: `${SHOTS}/memory-history.png` });
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(berlin.getByRole("button", { name: "History" })).toBeFocused();

  // ---- Search (q) finds the edited text ----
  const search = page.getByLabel("Search memories");
  await search.fill("Berlin");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Moved to Berlin in 2024");
  await search.fill("Paris");
  await expect(page.getByText("No memories match")).toBeVisible();
  await expect(rows).toHaveCount(0);
  await search.fill("");
  await expect(rows).toHaveCount(2);

  // ---- Delete one, with a confirmation step ----
  const dark = rows.filter({ hasText: "Prefers dark mode" });
  await dark.getByRole("button", { name: "Delete" }).click();
  await dark.getByRole("button", { name: "Keep" }).click();
  await expect(dark).toHaveCount(1);
  await dark.getByRole("button", { name: "Delete", exact: true }).click();
  await dark.getByRole("button", { name: "Delete memory" }).click();
  await expect(dark).toHaveCount(0);
  await expect(rows).toHaveCount(1);

  // ---- Forget alice: the confirmation names her; the result says how many went ----
  await forgetButton.click();
  const confirm = page.getByRole("alertdialog", { name: "Forget end user “alice”?" });
  await expect(confirm).toContainText("This deletes 1 memory of “alice” in project “Assistant”");
  await confirm.getByRole("button", { name: "Keep" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(rows).toHaveCount(1);
  await forgetButton.click();
  await page.screenshot({ path: `${SHOTS}/memory-forget.png` });
  await confirm.getByRole("button", { name: "Forget alice" }).click();
  await expect(page.getByTestId("forget-result")).toHaveText("Forgot “alice”: 1 memory deleted.");
  // The filter is cleared: what is left of the project shows, bob's memory untouched.
  await expect(page.getByLabel("Filter by user ID")).toHaveValue("");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("bob");
  await expect(rows.first()).toContainText("Allergic to peanuts");
  await expect(forgetButton).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/memory-forgotten.png` });

  const alice: Listed = await (await page.request.get(listUrl, { params: { user_id: "alice" } })).json();
  expect(alice.data).toEqual([]);
  const all: Listed = await (await page.request.get(listUrl)).json();
  expect(all.data.map((m) => [m.user_id, m.content])).toEqual([["bob", "Allergic to peanuts"]]);

  // ---- A memory learnt from a chat request links to its audit entry ----
  // E2E has no upstream model, so nothing is learnt from chat here: a real audit entry (a failed
  // request) is put on bob's memory in the listing, to check where the link leads.
  const key = await page.request.post("/api/keys", { headers: sameOrigin(), data: { name: "memory", project_id: project.id } });
  expect(key.status()).toBe(201);
  const chat = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${(await key.json()).key}` },
    data: { model: "nope/none", messages: [{ role: "user", content: "hi" }] },
  });
  expect(chat.status()).toBe(404);
  let auditId = "";
  await expect
    .poll(async () => {
      auditId = (await (await page.request.get("/api/audit-logs")).json()).data[0]?.id ?? "";
      return auditId;
    })
    .not.toBe("");
  await page.route(
    (url) => url.pathname === listUrl,
    async (route) => {
      const res = await route.fetch();
      const body: Listed = await res.json();
      await route.fulfill({ response: res, json: { ...body, data: body.data.map((m) => ({ ...m, source_audit_id: auditId })) } });
    },
  );
  await page.reload();
  const link = rows.first().getByRole("link", { name: "View request" });
  await expect(link).toHaveAttribute("href", `/audit-logs?id=${auditId}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/audit-logs\\?id=${auditId}$`));
  await expect(page.getByRole("dialog", { name: "Request details" })).toContainText("model_not_found");
});
