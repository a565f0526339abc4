// End-to-end tests of the published sample (`dti publish`) and of the ministry view in
// the web app, in headless Chromium. `cargo xtask e2e` publishes the built-in vn-ministry
// sample with the app it has just built, and writes `dti evaluate --format csv` to compare.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./browser.mjs";

const url = process.env.DTI_PUBLICATION_URL;
const folder = process.env.DTI_PUBLICATION_DIR;
const evaluatedCsv = readFileSync(process.env.DTI_EVALUATE_CSV);
const screenshots = process.env.DTI_SCREENSHOTS;

/** The CLI's results: one object per unit, by column name. */
function cliUnits() {
  const [header, ...rows] = evaluatedCsv.toString("utf8").trim().split("\n").map((line) => line.split(","));
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
}

/** Units of each block in the CLI's order: rank, then id. */
function cliOrderByBlock() {
  const blocks = new Map();
  for (const unit of cliUnits()) {
    if (!blocks.has(unit.block)) blocks.set(unit.block, []);
    blocks.get(unit.block).push(unit);
  }
  for (const units of blocks.values()) {
    units.sort((a, b) => Number(a.rank || 1e9) - Number(b.rank || 1e9) || (a.unit < b.unit ? -1 : 1));
  }
  return new Map([...blocks].map(([block, units]) => [block, units.map((unit) => unit.unit)]));
}

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

async function open(address, width = 1280) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (message) => message.type() === "error" && page.errors.push(message.text()));
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(address);
  return page;
}

/** The unit ids of every block table on the page, by block. */
async function tableOrder(page) {
  return page.$$eval("section.block", (sections) => sections.map((section) => [
    section.dataset.block,
    [...section.querySelectorAll("tbody tr")].filter((row) => !row.hidden).map((row) => row.dataset.unit),
  ]));
}

test("the rankings list every block in the order the command line computes", async () => {
  const page = await open(url);
  const expected = cliOrderByBlock();
  const shown = await tableOrder(page);
  assert.equal(shown.length, expected.size);
  for (const [block, units] of shown) assert.deepEqual(units, expected.get(block), `block ${block}`);
  assert.deepEqual(page.errors, []);
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "publication-rankings.png") });
  }
});

test("a unit page shows the numbers the command line computes", async () => {
  const top = cliUnits().find((unit) => unit.rank === "1");
  const page = await open(`${url}units/${top.unit}.html`);
  const score = await page.textContent("[data-field=score]");
  // A Vietnamese page writes a decimal comma.
  assert.ok(score.startsWith(Number(top.dti).toFixed(4).replace(".", ",")), `${score} vs ${top.dti}`);
  assert.ok((await page.textContent("[data-field=rank]")).startsWith("1"));
  assert.equal(await page.locator("svg.radar").count(), 1);
  assert.equal(await page.locator("svg.history").count(), 1);
  assert.ok(await page.locator("table.contributions tbody tr").count() > 20);
  if (screenshots) await page.screenshot({ path: join(screenshots, "publication-unit.png") });
  // The same page in English, through the language link.
  await page.click("a.language");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok((await page.textContent("[data-field=score]")).startsWith(score.slice(0, 8).replace(",", ".")));
  assert.deepEqual(page.errors, []);
});

test("the CSV download equals `dti evaluate --format csv` byte for byte", async () => {
  const page = await open(url);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(".downloads a:text('CSV')")]);
  const downloaded = readFileSync(await download.path());
  assert.ok(downloaded.length > 1000);
  assert.ok(downloaded.equals(evaluatedCsv), "the published CSV differs from the command line's");
});

test("search finds names with and without diacritics, and sorting ranks by a pillar", async () => {
  const page = await open(url);
  const visible = async () => page.$$eval("tbody tr[data-unit]", (rows) => rows.filter((r) => !r.hidden && r.closest("section").hidden === false).map((r) => r.dataset.unit));
  for (const query of ["Giao duc", "giáo dục", "GIÁO DỤC VÀ ĐÀO TẠO", "dao tao"]) {
    await page.fill("[data-search]", query);
    const units = await visible();
    assert.equal(units.length, 1, `${query}: ${units}`);
    const name = await page.textContent(`tr[data-unit="${units[0]}"] td:nth-child(3) a`);
    assert.match(name, /Giáo dục và Đào tạo/);
  }
  await page.fill("[data-search]", "zzz không có");
  assert.deepEqual(await visible(), []);
  await page.fill("[data-search]", "");
  assert.equal((await visible()).length, cliUnits().length);
  // A pillar's column ranks the block by that pillar: its values then go down.
  const section = page.locator("section.block").first();
  await section.locator("th.pillar").first().click();
  const cells = await section.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [
    parseFloat(row.cells[6].textContent), Number(row.cells[6].querySelector("sub").textContent.slice(1))]));
  const values = cells.map(([value]) => value);
  const ranks = cells.map(([, rank]) => rank);
  assert.ok(values.length > 1 && values.every((value) => !isNaN(value)), `${values}`);
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
  // ... and the pillar's ranks in the block (ties share one) go up with them.
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.deepEqual(page.errors, []);
});

test("the site reads offline, from the files themselves", async () => {
  const page = await open(pathToFileURL(join(folder, "index.html")).href);
  const expected = cliOrderByBlock();
  for (const [block, units] of await tableOrder(page)) assert.deepEqual(units, expected.get(block));
  await page.click("header nav a[href='alerts.html']");
  assert.ok(await page.locator("table.alerts tbody tr").count() > 0);
  await page.click("header nav a[href='methodology.html']");
  assert.ok(await page.locator("table.indicators tbody tr").count() >= 31);
});

test("the ministry view evaluates an opened data file in the browser, with the same pages", async () => {
  const page = await open(`${url}app/ministry.html`);
  await page.waitForSelector("html[data-ready=true]");
  await page.setInputFiles("#ministry-data", process.env.DTI_SAMPLE_CSV);
  await page.waitForFunction(() => document.querySelector("#ministry-status")?.textContent.startsWith("vn-ministry-sample.csv:"));
  const expected = cliOrderByBlock();
  const shown = await tableOrder(page);
  assert.equal(shown.length, expected.size);
  for (const [block, units] of shown) assert.deepEqual(units, expected.get(block), `block ${block}`);
  // Links are routes of the app: a unit's page, then back.
  const first = shown[0][1][0];
  await page.click(`tr[data-unit="${first}"] td:nth-child(3) a`);
  await page.waitForSelector("[data-field=score]");
  assert.equal(await page.evaluate(() => location.hash), `#/unit/${first}`);
  await page.goBack();
  await page.waitForSelector("section.block");
  const render = Number(await page.getAttribute("#ministry-status", "data-render-ms"));
  console.log(`ministry view: rankings page rendered in ${render} ms (25 units)`);
  if (screenshots) await page.screenshot({ path: join(screenshots, "ministry-view.png") });
  assert.deepEqual(page.errors, []);
});

test("the ministry view reads a dropped folder of data files, subfolders included", async () => {
  const page = await open(`${url}app/ministry.html`);
  await page.waitForSelector("html[data-ready=true]");
  // The sample split in two files, one of them in a subfolder.
  const [header, ...rows] = readFileSync(process.env.DTI_SAMPLE_CSV, "utf8").trim().split("\n");
  const half = Math.floor(rows.length / 2);
  const parts = [[header, ...rows.slice(0, half)].join("\n"), [header, ...rows.slice(half)].join("\n")];
  // A synthetic drop carries no folder entries, so the page gets entries shaped as
  // Chromium's (`webkitGetAsEntry`, `createReader().readEntries`, `file`) for that folder.
  await page.evaluate((parts) => {
    const file = (path, text) => ({
      isFile: true, isDirectory: false, fullPath: path,
      file: (done) => setTimeout(() => done(new File([text], path.split("/").pop(), { type: "text/csv" })), 0),
    });
    const folder = (path, children) => ({
      isFile: false, isDirectory: true, fullPath: path,
      createReader: () => {
        let given = false;
        // Entries come in batches until an empty one, as in browsers.
        return { readEntries: (done) => setTimeout(() => { done(given ? [] : children); given = true; }, 0) };
      },
    });
    const dropped = folder("/submissions", [
      file("/submissions/first.csv", parts[0]),
      folder("/submissions/late", [file("/submissions/late/second.csv", parts[1])]),
    ]);
    DataTransferItem.prototype.webkitGetAsEntry = () => dropped;
    const transfer = new DataTransfer();
    transfer.items.add(new File([""], "submissions"));
    document.querySelector("div.ministry").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, parts);
  await page.waitForFunction(() => document.querySelector("#ministry-status")?.textContent.startsWith("2 tệp"));
  const expected = cliOrderByBlock();
  const shown = await tableOrder(page);
  assert.equal(shown.length, expected.size);
  for (const [block, units] of shown) assert.deepEqual(units, expected.get(block), `block ${block}`);
  assert.deepEqual(page.errors, []);
});

test("a long rankings page shows its first screen at once and every row soon after", async () => {
  const large = pathToFileURL(join(process.env.DTI_LARGE_PUBLICATION_DIR, "index.html")).href;
  // Without script: every row is on the page (the deferred ones in their own table).
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(large);
  const total = await plain.locator("table.ranking tbody tr").count();
  assert.ok(total > 300, `${total} rows without script`);
  await context.close();

  const page = await open(large);
  // With script: the first screen is in the tables, the rest arrive while the page is idle.
  await page.waitForFunction(() => window.dtiSite && window.dtiSite.pending() === 0);
  assert.equal(await page.locator("noscript[data-rows]").count(), 0);
  assert.equal(await page.locator("table.ranking tbody tr").count(), total);
  // Each block in rank order, its rows in one table.
  const ranks = await page.$$eval("table.ranking", (tables) => tables.map((table) =>
    [...table.tBodies[0].rows].map((row) => Number(row.cells[0].dataset.v || Infinity))));
  for (const block of ranks) assert.deepEqual(block, [...block].sort((a, b) => a - b));
  // A unit from far down the list is found by search, without diacritics.
  const last = await page.$eval("section.block:last-of-type tbody tr:last-child", (row) => row.dataset.unit);
  await page.fill("[data-search]", `don vi mo phong ${last.slice(1)}`);
  const visible = await page.$$eval("table.ranking tbody tr", (rows) => rows.filter((row) => !row.hidden).map((row) => row.dataset.unit));
  assert.deepEqual(visible, [last]);
  assert.deepEqual(page.errors, []);
});

test("a search typed before the deferred rows arrive searches them too", async () => {
  const large = pathToFileURL(join(process.env.DTI_LARGE_PUBLICATION_DIR, "index.html")).href;
  const context = await browser.newContext();
  const page = await context.newPage();
  // Idle callbacks never come: only the search can bring the deferred rows in.
  await page.addInitScript(() => { window.requestIdleCallback = () => 0; });
  await page.goto(large);
  assert.ok(await page.evaluate(() => window.dtiSite.pending()) > 0);
  const deferred = await page.$eval("noscript[data-rows]", (noscript) => /data-unit="([^"]+)"/.exec(noscript.textContent)[1]);
  await page.fill("[data-search]", deferred.toLowerCase());
  const visible = await page.$$eval("table.ranking tbody tr", (rows) => rows.filter((row) => !row.hidden).map((row) => row.dataset.unit));
  assert.ok(visible.includes(deferred), `${deferred} among ${visible}`);
  assert.equal(await page.evaluate(() => window.dtiSite.pending()), 0);
  await context.close();
});
