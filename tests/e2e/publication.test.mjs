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
  assert.ok(score.startsWith(Number(top.dti).toFixed(4)), `${score} vs ${top.dti}`);
  assert.ok((await page.textContent("[data-field=rank]")).startsWith("1"));
  assert.equal(await page.locator("svg.radar").count(), 1);
  assert.equal(await page.locator("svg.history").count(), 1);
  assert.ok(await page.locator("table.contributions tbody tr").count() > 20);
  if (screenshots) await page.screenshot({ path: join(screenshots, "publication-unit.png") });
  // The same page in English, through the language link.
  await page.click("a.language");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok((await page.textContent("[data-field=score]")).startsWith(score.slice(0, 8)));
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
  const values = await section.locator("tbody tr").evaluateAll((rows) => rows.map((row) => Number(row.cells[6].dataset.v)));
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
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
