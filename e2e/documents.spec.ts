import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { sameOrigin } from "./same-origin";

const SHOTS = "/tmp/vs-shots";
const FIXTURES = path.resolve(import.meta.dirname, "../tests/fixtures/documents");
// Ingestion runs in the background; the first one also loads the offline embedding model.
const INGESTION = { timeout: 60_000 };

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("E2E Librarian");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
}

test("documents: upload, ingestion status, chunks, test a query, failure reason, delete", async ({ page }) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  await signUp(page, `e2e-docs-${Date.now()}@example.com`);

  // The session cookie authenticates the management API; the full load below picks the project up.
  const project = await (await page.request.post("/api/projects", { headers: sameOrigin(), data: { name: "Knowledge base" } })).json();
  await page.goto("/documents");
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Documents" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("Project")).toHaveValue(project.id);
  await expect(page.getByRole("main").getByText("No documents in this project yet")).toBeVisible();
  await expect(page.getByRole("main")).toContainText("then send vecstruct: {rag: true} with a chat request");

  const fileInput = page.getByLabel("Upload documents");
  const rows = page.getByTestId("document-row");

  // ---- Client-side checks: refused before anything is sent ----
  await fileInput.setInputFiles([
    { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ not a document") },
    { name: "huge.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) },
  ]);
  const uploads = page.getByTestId("upload-item");
  await expect(uploads.filter({ hasText: "setup.exe" })).toContainText(".exe files are not supported: upload txt, md, html, pdf or docx.");
  await expect(uploads.filter({ hasText: "huge.pdf" })).toContainText("uploads are limited to 10 MB");
  await page.getByRole("button", { name: "Dismiss setup.exe" }).click();
  await page.getByRole("button", { name: "Dismiss huge.pdf" }).click();
  await expect(uploads).toHaveCount(0);
  await expect(rows).toHaveCount(0);

  // ---- Progress and cancel: on a slow link the bar moves; "Cancel" stops the upload ----
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const link = (uploadThroughput: number) => cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
  await link(128 * 1024);
  await fileInput.setInputFiles({ name: "slow.txt", mimeType: "text/plain", buffer: Buffer.alloc(2 * 1024 * 1024, "a") });
  const bar = page.getByRole("progressbar", { name: "Upload of slow.txt" });
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(Number(await bar.getAttribute("aria-valuenow"))).toBeLessThan(100);
  await page.screenshot({ path: `${SHOTS}/documents-uploading.png` });
  await page.getByRole("button", { name: "Cancel upload of slow.txt" }).click();
  await expect(uploads.filter({ hasText: "slow.txt" })).toContainText("Cancelled");
  await link(-1);
  await page.getByRole("button", { name: "Dismiss slow.txt" }).click();
  await expect(uploads).toHaveCount(0);
  await expect(rows).toHaveCount(0);

  // ---- Upload the guide through the file input; it is queued, then ready ----
  await fileInput.setInputFiles(path.join(FIXTURES, "guide.pdf"));
  const guide = rows.filter({ hasText: "guide.pdf" });
  await expect(guide).toHaveCount(1);
  await expect(guide).toContainText("PDF");
  await expect(guide).toContainText("3.5 KB");
  await expect(guide).toContainText("ready", INGESTION);
  await expect(guide.getByRole("cell").nth(4)).toHaveText(/^[1-9]\d*$/); // chunk count

  // ---- Chunks panel: headings from the guide, with token counts ----
  await guide.getByRole("button", { name: "Chunks of guide" }).click();
  const panel = page.getByRole("dialog", { name: "Chunks of guide" });
  await expect(panel).toBeFocused();
  await expect(panel.getByTestId("chunk").filter({ hasText: "Bandwidth Limits" }).first()).toContainText(/\d+ tokens/);
  await expect(panel).toContainText("Configuration");
  await page.screenshot({ path: `${SHOTS}/documents-chunks.png` });
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(guide.getByRole("button", { name: "Chunks of guide" })).toBeFocused();

  // ---- Test a query: the guide's bandwidth section, with similarity and ranks ----
  await page.getByLabel("Query", { exact: true }).fill("What are the upload bandwidth limits?");
  await page.getByLabel("Top k").fill("3");
  await page.getByLabel("Mode").selectOption("hybrid");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const hits = page.getByTestId("search-hit");
  await expect(hits.first()).toBeVisible();
  expect(await hits.count()).toBeLessThanOrEqual(3);
  const top = hits.filter({ hasText: "guide" }).filter({ hasText: /bandwidth/i }).first();
  await expect(top).toBeVisible();
  await expect(top.getByTestId("hit-similarity")).toHaveText(/^(0|1)\.\d{3}$/);
  await expect(top).toContainText("Vector rank");
  await expect(top).toContainText("Lexical rank");
  await expect(top).toContainText(/Fused score\s*0\.\d{4}/);

  await expect(top).toContainText(/Cosine\s*(0|1)\.\d{3}/);

  // A threshold nothing reaches leaves no hit, and says what to try. No document has these words, so the
  // best hit is first in the vector ranking only: similarity 0.5 (docs/rag.md, "Similarity and order").
  await page.getByLabel("Query", { exact: true }).fill("xylophone quasar");
  await page.getByLabel("Min similarity").fill("0.9");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("No chunk matched")).toBeVisible();
  await expect(hits).toHaveCount(0);
  await page.getByLabel("Query", { exact: true }).fill("What are the upload bandwidth limits?");

  // ---- Paste text ----
  await page.getByRole("button", { name: "Paste text" }).click();
  await page.getByLabel("Title").fill("Refund policy");
  await page.getByLabel("Content").fill("# Refunds\n\nCustomers can ask for a refund within 30 days of purchase.");
  await page.getByRole("button", { name: "Add document" }).click();
  const refund = rows.filter({ hasText: "Refund policy" });
  await expect(refund).toContainText("Markdown");
  await expect(refund).toContainText("ready", INGESTION);

  // ---- Drag and drop onto the zone ----
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["# Dropped\n\nA note that arrived by drag and drop."], "dropped.md", { type: "text/markdown" }));
    return dt;
  });
  await page.getByTestId("upload-zone").dispatchEvent("drop", { dataTransfer });
  await expect(rows.filter({ hasText: "dropped.md" })).toContainText("ready", INGESTION);

  // ---- A scanned PDF fails, with its reason ----
  await fileInput.setInputFiles(path.join(FIXTURES, "scanned.pdf"));
  const scanned = rows.filter({ hasText: "scanned.pdf" });
  await expect(scanned).toContainText("failed", INGESTION);
  await expect(scanned).toContainText("no extractable text (scanned PDF?)");

  await page.getByLabel("Min similarity").fill("");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(hits.first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/documents.png`, fullPage: true });

  // ---- Delete the PDF, with a confirmation step ----
  await guide.getByRole("button", { name: "Delete guide" }).click();
  await guide.getByRole("button", { name: "Keep" }).click();
  await expect(guide).toHaveCount(1);
  await guide.getByRole("button", { name: "Delete guide" }).click();
  await guide.getByRole("button", { name: "Delete document" }).click();
  await expect(guide).toHaveCount(0);
  await expect(rows).toHaveCount(3);

  const listed = await (await page.request.get(`/api/projects/${project.id}/documents`)).json();
  expect(listed.data.map((d: { filename: string }) => d.filename).sort()).toEqual(["Refund policy.md", "dropped.md", "scanned.pdf"]);
});
