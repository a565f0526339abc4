// Debian's Chromium, headless, as the end-to-end tests and the rendering benchmark drive it
// (`DTI_CHROMIUM` is set by `cargo xtask`): no sandbox inside containers, and nothing
// reaching for the network on its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.DTI_CHROMIUM, args: ARGS });
}

const scratch = [];
process.on("exit", () => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A new empty folder under the system's temporary folder, removed when the tests end. */
export function scratchFolder() {
  const dir = mkdtempSync(join(tmpdir(), "dti-e2e-"));
  removeAtExit(dir);
  return dir;
}

/** Removes `dir` when the tests end, as a folder from `scratchFolder`. */
export function removeAtExit(dir) {
  scratch.push(dir);
}

/** Chromium with a profile kept in `dir`, so that a test can kill it and start it again. */
export function launchPersistent(dir) {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.DTI_CHROMIUM,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ARGS,
  });
}

/** The self-assessment page at `url` in a new page of `context`, started, with its
 * console errors and uncaught exceptions collected in `page.errors`. */
export async function openSelfAssessment(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (message) => message.type() === "error" && page.errors.push(message.text()));
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector("html[data-ready=true]");
  await page.waitForSelector("#score");
  return page;
}
