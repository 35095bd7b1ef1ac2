// Drives code-server (VS Code in the browser) with playwright-core and Debian's Chromium:
// opens the playbook with a known mistake, waits for its diagnostic in the Problems panel,
// fixes the mistake and waits for the diagnostic to go, then types `{{ $.params.` and checks
// the completion list. Started by e2e.sh, which passes:
//   E2E_URL        the workbench URL (with ?folder=)
//   E2E_WORKSPACE  the workspace folder (a copy of playbooks/)
//   E2E_SHOTS      where the screenshots go
//   E2E_CHROMIUM   the browser binary
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");

const FILE = "e2e-mistake.yaml";
const MISTAKE = "TargetHots";
const FIX = "TargetHost";
const CODE = "PB301";
const MESSAGE = "unknown parameter `TargetHots`";
const PARAMS = ["TargetHost", "TimeoutSeconds", "runner"];

const t0 = Date.now();
const timings = [];
let phaseStart = t0;
function phase(name) {
  const now = Date.now();
  timings.push([name, now - phaseStart]);
  console.log(`  [${((now - t0) / 1000).toFixed(1)}s] ${name} (${now - phaseStart} ms)`);
  phaseStart = now;
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(`>${title}`);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press("Enter");
}

/** The rows of the Problems panel, as text. */
async function problemRows(page) {
  return page.locator(".markers-panel .monaco-list-row").evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("aria-label") || r.textContent || ""),
  );
}

async function main() {
  const shots = process.env.E2E_SHOTS;
  const text = fs.readFileSync(path.join(process.env.E2E_WORKSPACE, FILE), "utf8");
  const lines = text.split("\n");
  const mistakeLine = lines.findIndex((l) => l.includes(MISTAKE));
  if (mistakeLine < 0) throw new Error(`${FILE} has no ${MISTAKE}`);
  const mistakeColumn = lines[mistakeLine].indexOf(MISTAKE) + 1;

  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("pageerror", (e) => console.log("  [pageerror]", String(e).slice(0, 300)));
    await page.goto(process.env.E2E_URL, { waitUntil: "domcontentloaded" });
    await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
    await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 60000 });
    phase("workbench loaded");

    // Open the file with Quick Open.
    await page.keyboard.press("Control+P");
    await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: 10000 });
    await page.keyboard.type(FILE);
    await page.locator(".quick-input-list .monaco-list-row", { hasText: FILE }).first().waitFor({ timeout: 20000 });
    await page.keyboard.press("Enter");
    await page.locator(`.tab[aria-label*="${FILE}"]`).waitFor({ timeout: 20000 });
    await page.waitForFunction(
      (word) => document.querySelector(".editor-instance .view-lines")?.textContent.includes(word),
      MISTAKE, { timeout: 20000 });
    phase(`${FILE} open`);

    // The status bar item says the server runs.
    const statusItem = page.locator(".statusbar-item", { hasText: "Playbook" }).first();
    await statusItem.waitFor({ timeout: 30000 });
    console.log("  status bar:", JSON.stringify(await statusItem.getAttribute("aria-label")));

    // The diagnostic, in the Problems panel.
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ timeout: 5000 }).catch(() =>
      runCommand(page, "Problems: Focus on Problems View"));
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: MESSAGE });
    await row.first().waitFor({ timeout: 60000 });
    const rows = await problemRows(page);
    const found = rows.find((r) => r.includes(MESSAGE));
    console.log("  problems:", JSON.stringify(rows));
    const rowText = await row.first().textContent();
    if (!rowText.includes(CODE)) throw new Error(`the problem row has no code ${CODE}: ${rowText}`);
    if (!rowText.includes(`[Ln ${mistakeLine + 1}, Col ${mistakeColumn}]`)) {
      throw new Error(`the problem is not at ${mistakeLine + 1}:${mistakeColumn}: ${rowText}`);
    }
    // Go to the mistake (the screenshot shows it), then wait for its squiggle.
    await page.locator(".editor-instance .view-lines").first().click();
    await runCommand(page, "Go to Line/Column...");
    await page.keyboard.type(`${mistakeLine + 1}:${mistakeColumn}`);
    await page.keyboard.press("Enter");
    await page.locator(".editor-instance .squiggly-error").first().waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(shots, "1-diagnostic.png") });
    console.log("  problem:", JSON.stringify(found));
    phase(`diagnostic ${CODE} "${MESSAGE}" at ${mistakeLine + 1}:${mistakeColumn} in the Problems panel`);

    // Fix it: select the word at the cursor, type the right name.
    await page.keyboard.press("Control+D");
    await page.keyboard.type(FIX);
    await page.waitForFunction(
      ([bad, good]) => {
        const t = (document.querySelector(".editor-instance .view-lines")?.textContent ?? "").replace(/\u00a0/g, " ");
        return !t.includes(bad) && t.includes(`params.${good} }}/`);
      },
      [MISTAKE, FIX], { timeout: 10000 });
    await row.first().waitFor({ state: "detached", timeout: 30000 });
    await page.waitForFunction(() => !document.querySelector(".editor-instance .squiggly-error"), null, { timeout: 10000 });
    await page.screenshot({ path: path.join(shots, "2-fixed.png") });
    phase("diagnostic gone after the fix");

    // Completion of parameters: a new env entry typed on the empty last line.
    await page.keyboard.press("Control+End");
    await page.keyboard.type("      METHOD: ");
    await page.keyboard.type("\"{{ $.params.");
    const suggest = page.locator(".suggest-widget .monaco-list-row");
    try {
      await suggest.first().waitFor({ timeout: 10000 });
    } catch {
      await page.keyboard.press("Control+Space");
      await suggest.first().waitFor({ timeout: 20000 });
    }
    await page.waitForFunction(
      (names) => {
        const labels = [...document.querySelectorAll(".suggest-widget .monaco-list-row")].map((r) => r.getAttribute("aria-label") || r.textContent);
        return names.every((n) => labels.some((l) => l.includes(n)));
      },
      PARAMS, { timeout: 20000 });
    const labels = await suggest.evaluateAll((rs) => rs.map((r) => r.getAttribute("aria-label") || r.textContent));
    const line = await page.locator(".editor-instance .view-line", { hasText: "METHOD" }).first().textContent();
    console.log("  typed:", JSON.stringify(line.replace(/\u00a0/g, " ")));
    console.log("  completion:", JSON.stringify(labels));
    await page.screenshot({ path: path.join(shots, "3-completion.png") });
    phase(`completion after \`{{ $.params.\` lists ${PARAMS.join(", ")}`);

    // Playbook: Check Workspace runs `playbook check` as a task: the unfinished `$.params.`
    // (saved to disk by auto save) is reported by the task too, beside the server's report.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+S");
    await runCommand(page, "Playbook: Check Workspace");
    // The status bar counts 2 errors once the task's report is in; the task's terminal comes
    // up when `playbook check` exits with 1, so go back to the Problems panel.
    await page.waitForFunction(() => {
      const item = document.getElementById("status.problems");
      const errors = Number.parseInt((item?.textContent ?? "").trim(), 10);
      return errors >= 2;
    }, null, { timeout: 30000 });
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ timeout: 10000 });
    await page.waitForFunction(
      (text) => [...document.querySelectorAll(".markers-panel .monaco-list-row")]
        .filter((r) => (r.getAttribute("aria-label") || "").includes(text)).length >= 2,
      "missing field name after", { timeout: 30000 });
    await page.screenshot({ path: path.join(shots, "4-check-workspace.png") });
    phase("Playbook: Check Workspace adds the task's report to the Problems panel");
  } catch (err) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages[0]) await pages[0].screenshot({ path: path.join(shots, "failure.png") }).catch(() => {});
    throw err;
  } finally {
    await browser.close();
  }
}

main().then(
  () => {
    console.log("e2e timings (ms):");
    for (const [name, ms] of timings) console.log(`  ${String(ms).padStart(6)}  ${name}`);
    console.log("PASS");
  },
  (err) => {
    console.error("FAIL:", err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
