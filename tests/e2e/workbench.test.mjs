// End-to-end tests of the evaluator's workbench (`workbench.html`, the ministry build) in
// headless Chromium: diagnostics at their line as the file is typed, re-ranking after a
// weight is moved, the edited file downloaded, and the robustness analysis run in a Web
// Worker giving the command line's report bit for bit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./browser.mjs";

const url = `${process.env.DTI_URL}workbench.html`;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

async function open() {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (message) => message.type() === "error" && page.errors.push(message.text()));
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(url);
  await page.waitForSelector("#workbench-ranking tbody tr[data-unit]");
  return page;
}

/** Sets a slider (a range input) the way a user's drag ends, firing `input`. */
async function slide(page, node, value) {
  await page.$eval(`input[type=range][data-node="${node}"]`, (input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

test("moving a weight re-ranks the units with their moves and lists the change", async () => {
  const page = await open();
  const before = await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) => rows.map((row) => row.dataset.unit));
  const beforeRanks = await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) =>
    rows.map((row) => [row.dataset.unit, Number(row.cells[0].textContent)]));
  assert.equal(before.length, 25);
  // Ranked by block, as the ministry view and the publication rank.
  assert.equal(await page.locator("#workbench-ranking tr.block-row").count(), 2);
  assert.ok(await page.$$eval("#workbench-ranking td.move", (cells) => cells.every((cell) => cell.textContent === "=")));
  await slide(page, "dt-activities", 0.2);
  await page.waitForSelector("#workbench-changes li[data-what=weight]");
  const after = await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) => rows.map((row) => row.dataset.unit));
  assert.notDeepEqual(after, before, "the order changed");
  const moves = await page.$$eval("#workbench-ranking td.move", (cells) => cells.map((cell) => cell.textContent));
  assert.ok(moves.some((move) => move.startsWith("▲")) && moves.some((move) => move.startsWith("▼")), moves.join(" "));
  // Each unit's move is its rank in its block before minus its rank now.
  const rankBefore = new Map(beforeRanks);
  const rows = await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) =>
    rows.map((row) => [row.dataset.unit, Number(row.cells[0].textContent), row.cells[1].textContent]));
  for (const [unit, rank, move] of rows) {
    const places = rankBefore.get(unit) - rank;
    if (new Set(rows.map((row) => row[1])).size === rows.length) {
      assert.equal(move, places > 0 ? `▲${places}` : places < 0 ? `▼${-places}` : "=", unit);
    }
  }
  const change = await page.textContent("#workbench-changes li[data-what=weight]");
  assert.match(change, /trọng số 1 → 0\.2/);
  assert.doesNotMatch(change, /dt-activities/, "by its name, not its id");
  const ms = Number(await page.getAttribute("#workbench-timing", "data-ms"));
  assert.ok(ms >= 0 && ms < 1000, `re-ranked in ${ms} ms`);
  // The edited file carries the new weight where the node is written.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#workbench-download")]);
  const text = readFileSync(await download.path(), "utf8");
  const block = text.slice(text.indexOf('id = "dt-activities"'));
  assert.match(block.slice(0, block.indexOf("[[")), /\nweight = 0\.2\n/);
  assert.deepEqual(page.errors, []);
});

test("a typing mistake is shown at its line, and the last valid version stays", async () => {
  const page = await open();
  const text = await page.inputValue("#workbench-text");
  // A valid edit first: a goalpost moved.
  const edited = text.replace("lower = 0, upper = 100 }", "lower = 0, upper = 80 }");
  assert.notEqual(edited, text);
  await page.fill("#workbench-text", edited);
  await page.waitForSelector("#workbench-changes li[data-what=scoring]");
  const broken = edited.replace('aggregate = "sum"', 'aggregate = "summ"');
  assert.notEqual(broken, text);
  const line = broken.split("\n").findIndex((row) => row.includes('"summ"')) + 1;
  await page.fill("#workbench-text", broken);
  await page.waitForSelector("#workbench-problems li.error");
  assert.equal(await page.getAttribute("#workbench-validity", "class"), "invalid");
  const lines = await page.$$eval("#workbench-problems li.error", (items) => items.map((item) => Number(item.dataset.line)));
  assert.ok(lines.includes(line), `an error at line ${line}: ${lines}`);
  assert.equal(await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) => rows.length), 25);
  // The ranking and the changes are still those of the valid edit.
  assert.equal(await page.$$eval("#workbench-changes li[data-what=scoring]", (items) => items.length), 1);
  await page.fill("#workbench-text", text);
  await page.waitForSelector("#workbench-validity.valid");
  await page.waitForFunction(() => document.querySelectorAll("#workbench-changes li").length === 0);
  assert.deepEqual(page.errors, []);
});

test("the robustness analysis runs in a worker and gives the command line's report", async () => {
  const page = await open();
  await page.fill("#robustness-runs", "200");
  await page.fill("#robustness-factor", "0.25");
  await page.check("#robustness-leave-out");
  await page.click("#robustness-run");
  // The page answers while the worker runs.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.waitForSelector("#robustness-table tbody tr", { timeout: 60000 });
  const cli = JSON.parse(readFileSync(process.env.DTI_SENSITIVITY_JSON, "utf8")).robustness;
  const shown = await page.$$eval("#robustness-table tbody tr", (rows) => rows.map((row) => ({
    unit: row.dataset.unit, median: Number(row.dataset.median), low: Number(row.dataset.low), high: Number(row.dataset.high),
  })));
  assert.equal(shown.length, cli.units.length);
  const byUnit = new Map(cli.units.map((unit) => [unit.unit, unit]));
  for (const unit of shown) {
    const expected = byUnit.get(unit.unit);
    assert.equal(unit.median, expected.median_rank, unit.unit);
    assert.deepEqual([unit.low, unit.high], expected.rank_interval, unit.unit);
  }
  const status = await page.textContent("#robustness-status");
  assert.match(status, /^200 /);
  if (process.env.DTI_SCREENSHOTS) {
    mkdirSync(process.env.DTI_SCREENSHOTS, { recursive: true });
    await slide(page, "dt-activities", 0.6);
    await page.waitForSelector("#workbench-changes li[data-what=weight]");
    await page.screenshot({ path: join(process.env.DTI_SCREENSHOTS, "workbench.png"), fullPage: true });
  }
  assert.deepEqual(page.errors, []);
});

test("a data file opened in the workbench is ranked, the first hundred units listed", async () => {
  const page = await open();
  await page.setInputFiles("#workbench-data-file", process.env.DTI_LARGE_DATA);
  await page.waitForFunction(() => document.querySelector("#workbench-opened")?.textContent.includes("e2e-large.csv"));
  const opened = await page.textContent("#workbench-opened");
  assert.match(opened, /vn-ministry\.toml · e2e-large\.csv \(400 đơn vị\)/);
  assert.equal(await page.$$eval("#workbench-ranking tbody tr[data-unit]", (rows) => rows.length), 100);
  assert.match(await page.textContent("#workbench-more"), /^\+ \d+ /);
  await slide(page, "cybersecurity", 2.5);
  await page.waitForSelector("#workbench-changes li[data-what=weight]");
  const moves = await page.$$eval("#workbench-ranking td.move", (cells) => cells.map((cell) => cell.textContent));
  assert.ok(moves.some((move) => move !== "="), "some unit moved");
  // A file that does not fit is refused with its reason, and the opened one stays.
  await page.setInputFiles("#workbench-data-file", { name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from("name\nx\n") });
  await page.waitForSelector("#workbench-message");
  assert.match(await page.textContent("#workbench-message"), /^broken\.csv: dữ liệu không có cột đơn vị/, "said in the page's language");
  assert.match(await page.textContent("#workbench-opened"), /e2e-large\.csv/);
  assert.deepEqual(page.errors, []);
});

test("with sensitivity indices, the worker gives the command line's indices and intervals", async () => {
  const page = await open();
  await page.fill("#robustness-runs", "50");
  await page.fill("#robustness-factor", "0.25");
  await page.check("#robustness-leave-out");
  await page.check("#robustness-sensitivity");
  await page.click("#robustness-run");
  await page.waitForSelector("#robustness-indices tbody tr", { timeout: 60000 });
  const cli = JSON.parse(readFileSync(process.env.DTI_SENSITIVITY_INDICES_JSON, "utf8")).robustness.sensitivity;
  const shown = await page.$$eval("#robustness-indices tbody tr", (rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
  assert.deepEqual(shown.map((row) => row[0]), cli.map((index) => index.input));
  const three = (value) => value.toFixed(3);
  for (const [row, index] of shown.map((row, position) => [row, cli[position]])) {
    assert.equal(row[1], three(index.first), index.input);
    assert.equal(row[3], three(index.total), index.input);
    assert.equal(row[4], `${three(index.total_interval[0])} – ${three(index.total_interval[1])}`, index.input);
  }
  assert.match(await page.textContent("#robustness-status"), /^200 /);
  assert.deepEqual(page.errors, []);
});

test("the rules editor rewrites a scoring band, a level and an alert threshold in the file", async () => {
  const page = await open();
  // Each number by its field's path (its label is in the page's language).
  const numberAt = (label) => page.locator(`.rules label.number[title="${label}"] input`);
  // A band of an indicator: the text changes at that number, the change is listed, units move.
  await page.selectOption("#workbench-element", "indicators:dt-online-dossiers");
  await numberAt("scoring.bands[2].points").fill("45");
  await numberAt("scoring.bands[2].points").dispatchEvent("change");
  await page.waitForSelector("#workbench-changes li[data-what=scoring]");
  assert.match(await page.inputValue("#workbench-text"), /\{ from = 50, to = 80, points = 45 \}/);
  // A level's minimum.
  await page.selectOption("#workbench-element", "levels:level-2");
  await numberAt("min").fill("420");
  await numberAt("min").dispatchEvent("change");
  await page.waitForSelector("#workbench-changes li[data-what=levels]");
  assert.match(await page.inputValue("#workbench-text"), /id = "level-2"\nname = [^\n]*\nmin = 420\n/);
  // An alert rule's threshold.
  await page.selectOption("#workbench-element", "alerts:weak-cybersecurity");
  await numberAt("below").fill("45");
  await numberAt("below").dispatchEvent("change");
  await page.waitForFunction(() => document.querySelector("#workbench-text").value.includes('node = "cybersecurity"\nbelow = 45\n'));
  assert.equal(await page.getAttribute("#workbench-validity", "class"), "valid");
  // The downloaded file is the text with every edit.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#workbench-download")]);
  const text = readFileSync(await download.path(), "utf8");
  assert.match(text, /points = 45 \}/);
  assert.match(text, /min = 420\n/);
  assert.match(text, /below = 45\n/);
  assert.deepEqual(page.errors, []);
});
