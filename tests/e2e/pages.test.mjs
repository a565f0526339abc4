// Issue 18 in the browser: every page in Vietnamese and English, on a 1366x768 laptop
// and a 390x844 phone, checked by axe-core (WCAG 2.2 A/AA), for horizontal overflow, and
// on Vietnamese pages for English sentences, errors included; Vietnamese numbers, the
// score in sight while typing on a phone, drafts deleted with a confirmation and an
// undo, evidence marked and checked, the CSV export imported back, the printed report,
// the ministry view ranking everyone past one refused value, and pages opened from disk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium, openSelfAssessment, scratchFolder } from "./browser.mjs";
import { SCREENS, axeViolations, overflow, overflowing, englishOnVietnamesePage } from "./pages.mjs";

const url = process.env.DTI_URL;
const publication = process.env.DTI_PUBLICATION_URL;
const siteDir = process.env.DTI_SITE_DIR;
const screenshots = process.env.DTI_SCREENSHOTS;
const sample = readFileSync(process.env.DTI_SAMPLE_CSV, "utf8");

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

/** A fresh profile at a screen size, in a language (saved as the app saves it). */
async function context(screen, language = "vi") {
  const created = await browser.newContext({ acceptDownloads: true, viewport: { width: screen.width, height: screen.height } });
  await created.addInitScript((language) => {
    if (!localStorage.getItem("dti.v1.language")) localStorage.setItem("dti.v1.language", JSON.stringify(language === "en" ? "En" : "Vi"));
  }, language);
  return created;
}

/** Three units' rows of the ministry sample as three files, the third with a
 * percentage of 140. */
function withRefusedValue() {
  const [header, ...rows] = sample.trim().split("\n");
  const column = header.split(",").indexOf("dt-online-dossiers");
  const typo = rows[2].split(",");
  typo[column] = "140";
  return [rows[0], rows[1], typo.join(",")].map((row, index) => ({
    name: `don-vi-${index}.csv`, mimeType: "text/csv", buffer: Buffer.from(`${header}\n${row}\n`),
  }));
}

/** The self-assessment page with a percentage above 100 and a "yes" without its required
 * evidence: the form's error states on show. */
async function selfAssessmentWithErrors(page) {
  await page.fill("#value-aw-leaders-trained", "140");
  const required = page.locator(".indicator:has(.badge.required) select").first();
  const id = (await required.getAttribute("id")).replace(/^value-/, "");
  await required.selectOption("1");
  await page.waitForSelector("#error-summary");
  return id;
}

/** Every check of the issue on the page as it is now. */
async function judge(page, where) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${where}: axe WCAG 2.2 A/AA`);
  const wider = await overflow(page);
  assert.equal(wider, 0, `${where}: ${wider}px wider than the screen: ${(await overflowing(page)).join(", ")}`);
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang.startsWith("vi")) {
    assert.deepEqual(await englishOnVietnamesePage(page), [], `${where}: English on a Vietnamese page`);
  }
}

for (const screen of SCREENS) {
  test(`the self-assessment page passes axe, fits and speaks one language on a ${screen.name}, errors included`, async () => {
    for (const language of ["vi", "en"]) {
      const created = await context(screen, language);
      const page = await openSelfAssessment(created, url);
      await judge(page, `self-assessment (${language}, ${screen.name})`);
      await selfAssessmentWithErrors(page);
      await judge(page, `self-assessment with errors (${language}, ${screen.name})`);
      if (screenshots && language === "vi") await page.screenshot({ path: join(screenshots, `self-assessment-${screen.name}.png`) });
      assert.deepEqual(page.errors, []);
      await created.close();
    }
  });

  test(`the ministry view and the workbench pass axe, fit and speak one language on a ${screen.name}`, async () => {
    const created = await context(screen);
    const page = await created.newPage();
    await page.goto(`${url}ministry.html`);
    await page.waitForSelector(".pages table.ranking");
    await judge(page, `ministry (${screen.name})`);
    // Three files, one with a percentage of 140: everyone is still ranked, and the
    // problem (opened) is said in Vietnamese.
    await page.setInputFiles("#ministry-data", withRefusedValue());
    await page.waitForSelector(".flag.refused");
    await page.click(".messages summary");
    await page.waitForSelector(".messages li");
    await judge(page, `ministry with a refused value (${screen.name})`);
    await page.goto(`${url}workbench.html`);
    await page.waitForSelector("#workbench-ranking tbody tr");
    await judge(page, `workbench (${screen.name})`);
    await page.fill("#workbench-text", (await page.inputValue("#workbench-text")).replace('aggregate = "sum"', 'aggregate = "summ"'));
    await page.waitForSelector("#workbench-problems li.error");
    await judge(page, `workbench with an error (${screen.name})`);
    await created.close();
  });

  test(`the publication's pages pass axe, fit and speak one language on a ${screen.name}`, async () => {
    const created = await context(screen);
    const page = await created.newPage();
    for (const path of ["index.html", "units/M01.html", "alerts.html", "methodology.html", "en/index.html", "en/alerts.html"]) {
      await page.goto(`${publication}${path}`);
      await page.waitForSelector("main");
      await judge(page, `publication ${path} (${screen.name})`);
      if (screenshots && path === "index.html") await page.screenshot({ path: join(screenshots, `publication-${screen.name}.png`) });
    }
    await created.close();
  });
}

test("on a phone the score stays in sight while typing far down the form", async () => {
  const created = await context(SCREENS[1]);
  const page = await openSelfAssessment(created, url);
  const last = page.locator(".indicator input[inputmode=decimal]").last();
  await last.scrollIntoViewIfNeeded();
  await last.fill("90");
  await page.waitForFunction(() => document.querySelector("#bar-score")?.textContent !== "0,0000");
  const bar = await page.locator("#summary-bar").boundingBox();
  assert.ok(bar, "the summary bar is shown on a phone");
  assert.ok(bar.y >= 0 && bar.y + bar.height <= 844 + 1, `the score is on the screen: ${JSON.stringify(bar)}`);
  assert.equal(await page.textContent("#bar-score"), await page.textContent("#score"));
  await created.close();
});

test("72,5 is read on a Vietnamese page, shown back as typed, and exported as 72.5", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  await page.fill("#value-aw-leaders-trained", "72,5");
  await page.waitForFunction(() => document.querySelector("#score").dataset.value !== "0.0000");
  assert.equal(await page.locator("#problem-aw-leaders-trained").count(), 0, "no problem: a decimal comma is a number");
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "72,5");
  assert.match(await page.textContent("#score"), /^\d+,\d{4}$/, "the score with a decimal comma");
  const download = page.waitForEvent("download");
  await page.click("#export-json");
  const saved = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  assert.equal(saved.values["aw-leaders-trained"].value, "72.5");
  await created.close();
});

test("a filled draft is deleted only after a confirmation, and can be brought back", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  await page.fill("#unit-name", "Sở Nội vụ");
  await page.fill("#value-aw-leaders-trained", "50");
  await page.click("#new-draft");
  await page.fill("#unit-name", "Sở Nội vụ");
  const titles = await page.locator("#draft option").allTextContents();
  assert.equal(new Set(titles).size, titles.length, `drafts are named apart: ${titles}`);
  await page.selectOption("#draft", { index: 0 });
  await page.click("#delete-draft");
  await page.waitForSelector("#confirm-delete");
  assert.equal(await page.locator("#draft option").count(), 2, "nothing deleted before the confirmation");
  await page.click("#delete-yes");
  await page.waitForSelector("#undo-delete");
  assert.equal(await page.locator("#draft option").count(), 1);
  await page.click("#undo-delete");
  await page.waitForFunction(() => document.querySelectorAll("#draft option").length === 2);
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "50");
  await created.close();
});

test("required evidence is marked; a yes without it and a link that is no web address are listed at the top, linked to the field", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  const id = await selfAssessmentWithErrors(page);
  const summary = page.locator("#error-summary");
  assert.equal(await summary.locator(`a[href="#evidence-${id}"]`).count(), 1);
  assert.equal(await summary.locator('a[href="#value-aw-leaders-trained"]').count(), 1);
  await page.fill(`#evidence-${id}`, "quyết định số 12");
  await page.waitForSelector(`#evidence-problem-${id}`);
  assert.match(await page.textContent(`#evidence-problem-${id}`), /https:\/\//);
  await page.fill(`#evidence-${id}`, "https://so.gov.vn/qd-12.pdf");
  await page.waitForFunction((id) => !document.querySelector(`#evidence-problem-${id}`), id);
  // Exporting with a refused value asks first.
  await page.click("#export-json");
  await page.waitForSelector("#confirm-export");
  await created.close();
});

test("the CSV export imports back into the same values", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  await page.fill("#unit-id", "S01");
  await page.fill("#period", "2026");
  await page.fill("#value-aw-leaders-trained", "61,5");
  await page.waitForFunction(() => document.querySelector("#score").dataset.value !== "0.0000");
  const score = await page.getAttribute("#score", "data-value");
  const download = page.waitForEvent("download");
  await page.click("#export-csv");
  const csv = readFileSync(await (await download).path());
  const file = join(scratchFolder(), "export.csv");
  writeFileSync(file, csv);
  await page.click("#new-draft");
  await page.setInputFiles("#import", file);
  await page.waitForSelector("#import-done");
  await page.waitForFunction((score) => document.querySelector("#score").dataset.value === score, score);
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "61,5");
  await created.close();
});

test("the Excel export imports back into the same values, through the ministry build's reader", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  await page.fill("#unit-id", "S02");
  await page.fill("#period", "2026");
  await page.fill("#value-aw-leaders-trained", "33,5");
  await page.waitForFunction(() => document.querySelector("#score").dataset.value !== "0.0000");
  const score = await page.getAttribute("#score", "data-value");
  const download = page.waitForEvent("download");
  await page.click("#export-xlsx");
  const file = join(scratchFolder(), "export.xlsx");
  writeFileSync(file, readFileSync(await (await download).path()));
  await page.click("#new-draft");
  await page.setInputFiles("#import", file);
  await page.waitForSelector("#import-done");
  await page.waitForFunction((score) => document.querySelector("#score").dataset.value === score, score);
  assert.equal(await page.inputValue("#value-aw-leaders-trained"), "33,5");
  assert.deepEqual(page.errors, []);
  await created.close();
});

test("the printed report is the result and every value, not the form", async () => {
  const created = await context(SCREENS[0]);
  const page = await openSelfAssessment(created, url);
  await page.fill("#unit-name", "Sở Nội vụ");
  await page.fill("#value-aw-leaders-trained", "80");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#print-report").isVisible(), true);
  assert.equal(await page.locator(".layout").isVisible(), false);
  const report = await page.textContent("#print-report");
  assert.match(report, /Sở Nội vụ/);
  assert.match(report, /80%/);
  assert.match(report, /Nên cải thiện tiếp/);
  await created.close();
});

test("the ministry view ranks everyone past a refused value, flags the unit, names the file, and downloads the data", async () => {
  const created = await context(SCREENS[0]);
  const page = await created.newPage();
  await page.goto(`${url}ministry.html`);
  await page.waitForSelector(".pages table.ranking");
  await page.setInputFiles("#ministry-data", withRefusedValue());
  await page.waitForSelector(".flag.refused");
  assert.match(await page.textContent(".flag.refused"), /1 giá trị bị từ chối/);
  const said = await page.textContent(".messages");
  assert.match(said, /don-vi-2\.csv/);
  assert.match(said, /không phải là tỉ lệ phần trăm/);
  assert.doesNotMatch(said, /merged/);
  const download = page.waitForEvent("download");
  await page.click("#ministry-download-data");
  const data = readFileSync(await (await download).path(), "utf8");
  assert.match(data, /140/, "the value as given, to be refused again where it is published");
  await created.close();
});

test("the app's pages opened from disk say why they cannot run and what to do", async () => {
  const created = await context(SCREENS[0]);
  const page = await created.newPage();
  for (const file of ["index.html", "ministry.html", "workbench.html"]) {
    await page.goto(pathToFileURL(join(siteDir, file)).href);
    await page.waitForSelector(".app-offline");
    assert.match(await page.textContent(".app-offline"), /python3 -m http\.server/);
  }
  await created.close();
});
