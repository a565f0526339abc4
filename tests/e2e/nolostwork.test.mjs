// No lost work in the self-assessment page: a tab that crashes and a browser that is killed
// just after an edit, a full localStorage, and imports that never overwrite a draft. Run by
// `cargo xtask e2e` with the other end-to-end tests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { launchChromium, launchPersistent, openSelfAssessment, removeAtExit, scratchFolder } from "./browser.mjs";

const url = process.env.DTI_URL;
const fixturePath = new URL("./fixtures/submission.json", import.meta.url).pathname;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

/** The page in `context`, started, with console errors collected. */
const open = (context) => openSelfAssessment(context, url);

/** Types a few values, the way the tests below check they survive. */
async function typeSome(page) {
  await page.fill("#unit-name", "Sở Nội vụ tỉnh Lào Cai");
  await page.fill("#value-aw-leaders-trained", "72,5");
  await page.fill("#note-aw-leaders-trained", "theo báo cáo quý IV");
  await page.fill("#value-if-cloud", "64");
}

async function assertTyped(page, cloud = "64") {
  assert.equal(await page.inputValue("#unit-name"), "Sở Nội vụ tỉnh Lào Cai");
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "72,5", "as a Vietnamese page writes it");
  assert.equal(await page.inputValue("#note-aw-leaders-trained"), "theo báo cáo quý IV");
  assert.equal(await page.inputValue("#value-if-cloud"), cloud);
}

/** Waits until the crash journal holds a save made after `since` (ms since 1970). */
async function journaled(page, since) {
  await page.waitForFunction((since) => Number(document.documentElement.dataset.journaledAt ?? 0) >= since, since);
}

test("a browser killed just after an edit loses nothing: the crash journal brings the edit back", async () => {
  const profile = scratchFolder();
  const first = await launchPersistent(profile);
  const page = await open(first);
  await typeSome(page);
  // The last edit: the browser is killed as soon as the journal has it on disk.
  const typed = Date.now();
  await page.fill("#value-if-cloud", "65");
  await journaled(page, typed);
  const latency = (await page.evaluate(() => Number(document.documentElement.dataset.journalCommittedAt))) - typed;
  console.log(`measured: an edit is in the crash journal on disk ${latency} ms after it was typed`);
  // Kill the whole browser at once, as a crash or a power cut would: no unload, no flush.
  // A killed Chromium leaves behind the folder of its profile's lock socket.
  removeAtExit(dirname(readlinkSync(join(profile, "SingletonSocket"))));
  execFileSync("pkill", ["-9", "-f", `[u]ser-data-dir=${profile}`]);
  await first.close().catch(() => {});

  const second = await launchPersistent(profile);
  const again = await open(second);
  await assertTyped(again, "65");
  const recovered = await again.evaluate(() => document.documentElement.dataset.recovered === "true");
  console.log(`measured: restored from the crash journal (localStorage had not reached the disk): ${recovered}`);
  assert.deepEqual(again.errors, []);
  await second.close();
});

test("a tab that crashes mid-edit loses nothing", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  await typeSome(page);
  const cdp = await context.newCDPSession(page);
  const crashed = new Promise((resolve) => page.once("crash", resolve));
  cdp.send("Page.crash").catch(() => {});
  await crashed;
  const again = await open(context);
  await assertTyped(again);
  assert.deepEqual(again.errors, []);
  await context.close();
});

test("with localStorage full, what is typed stays on the page, is said, exports, and survives a reload", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await open(context);
  // Fill this origin's localStorage to the last few bytes.
  await page.evaluate(() => {
    let index = 0;
    for (let size = 1 << 20; size >= 8; ) {
      try {
        localStorage.setItem(`junk-${index++}`, "x".repeat(size));
      } catch {
        size >>= 1;
      }
    }
  });
  await typeSome(page);
  await page.waitForSelector("#storage-error");
  await assertTyped(page);
  assert.notEqual(await page.getAttribute("#score", "data-value"), "0.0000", "the score follows what is typed");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(exported.values["aw-leaders-trained"].value, "72.5");
  assert.equal(exported.unit_name, "Sở Nội vụ tỉnh Lào Cai");

  // A reload while storage is still full: the crash journal has every edit.
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  await assertTyped(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.recovered), "true");

  // Room again: the next save works and the message goes away.
  await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("junk-")).forEach((key) => localStorage.removeItem(key)));
  await page.fill("#value-if-cloud", "65");
  await page.waitForSelector("#storage-error", { state: "detached" });
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.inputValue("#value-if-cloud"), "65");
  const unexpected = page.errors.filter((error) => !/quota|exceeded/i.test(error));
  assert.deepEqual(unexpected, []);
  await context.close();
});

test("importing a submission opens it as a new draft: the draft being edited is kept as it was", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await open(context);
  await typeSome(page);
  await page.setInputFiles("#import", fixturePath);
  await page.waitForSelector("#import-done");
  assert.equal(await page.locator("#draft option").count(), 2);
  assert.equal(await page.inputValue("#unit-name"), "Bộ Thử nghiệm");
  assert.equal(await page.locator("#import-edited").count(), 0, "an unsealed file is not called edited");
  // The first draft, untouched.
  const first = await page.locator("#draft option").first().getAttribute("value");
  await page.selectOption("#draft", first);
  await assertTyped(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a submission changed after its export is opened, and said to be changed", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await open(context);
  await typeSome(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  const exported = readFileSync(await download.path(), "utf8");
  assert.match(exported, /"seal": "[0-9a-f]{64}"/);
  const folder = scratchFolder();
  const intact = join(folder, "intact.json");
  const edited = join(folder, "edited.json");
  writeFileSync(intact, exported);
  writeFileSync(edited, exported.replace('"72.5"', '"97.5"'));

  await page.setInputFiles("#import", intact);
  await page.waitForSelector("#import-done");
  assert.equal(await page.locator("#import-edited").count(), 0);
  await page.setInputFiles("#import", edited);
  await page.waitForSelector("#import-edited");
  assert.match(await page.textContent("#import-edited"), /edited\.json: .*sửa sau khi xuất/);
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "97,5", "its values are opened all the same");
  assert.equal(await page.locator("#draft option").count(), 3, "every import is its own draft");
  assert.deepEqual(page.errors, []);
  await context.close();
});
