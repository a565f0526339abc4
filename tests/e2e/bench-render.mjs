// Rendering timings of a large publication, run by `cargo xtask bench-publish` (not a
// test: the figures are reported). The published rankings page: from navigation to the
// load event and to the first paint; the ministry view: evaluating the opened file in the
// browser, and rendering its rankings page.
import { launchChromium } from "./browser.mjs";

const url = process.env.DTI_PUBLICATION_URL;
const browser = await launchChromium();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One visit of the rankings page: navigation to load event, to first contentful paint, to
// the first frame after load, then to every deferred row in its table.
async function visit(page, run) {
  await page.goto(`${url}index.html?run=${run}`, { waitUntil: "load" });
  const timing = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    resolve({ load: navigation.loadEventEnd - navigation.startTime, paint: paint ? paint.startTime : NaN,
      frame: performance.now(), rows: document.querySelectorAll("table.ranking tbody tr").length });
  }, 0))));
  await page.waitForFunction(() => window.dtiSite && window.dtiSite.pending() === 0, null, { timeout: 60000 });
  timing.complete = await page.evaluate(() => performance.now());
  timing.allRows = await page.evaluate(() => document.querySelectorAll("table.ranking tbody tr").length);
  return timing;
}

const show = (times) => `${median(times).toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(", ")})`;
function report(label, visits) {
  const last = visits[visits.length - 1];
  console.log(`published rankings page, ${label}, ${last.allRows} units (${last.rows} rows at load): ` +
    `load event ${show(visits.map((v) => v.load))}; first frame after load ${show(visits.map((v) => v.frame))}; ` +
    `first contentful paint ${show(visits.map((v) => v.paint).filter((t) => !isNaN(t)))}; every row in its table ` +
    `(sortable, searchable) after ${show(visits.map((v) => v.complete))}`);
}

// In a new tab each time (a new renderer process), then in a tab already showing a page.
const cold = [];
for (let run = 0; run < 5; run += 1) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  cold.push(await visit(page, run));
  await page.close();
}
report("new tab", cold);
// What a new tab costs any page: a small one (the methodology, 20 KB) the same way.
const small = [];
for (let run = 0; run < 5; run += 1) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}methodology.html?run=${run}`, { waitUntil: "load" });
  small.push(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    resolve({ load: navigation.loadEventEnd - navigation.startTime, frame: performance.now() });
  }, 0)))));
  await page.close();
}
console.log(`for comparison, a small page (methodology) in a new tab: load event ${show(small.map((v) => v.load))}; ` +
  `first frame after load ${show(small.map((v) => v.frame))}`);
const warmPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await warmPage.goto(`${url}methodology.html`, { waitUntil: "load" });
const warm = [];
for (let run = 0; run < 5; run += 1) {
  // From a small page each time, as a reader arrives: leaving a page of 3,245 rows costs
  // the next navigation several hundred milliseconds of its own.
  await warmPage.goto(`${url}methodology.html?run=${run}`, { waitUntil: "load" });
  warm.push(await visit(warmPage, run));
}
report("open tab", warm);
await warmPage.close();

const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${url}app/ministry.html`);
await page.waitForSelector("html[data-ready=true]");
const started = Date.now();
await page.setInputFiles("#ministry-data", process.env.DTI_DATA);
await page.waitForFunction(() => document.querySelector("#ministry-status")?.textContent.startsWith("ministries"), null, { timeout: 120000 });
await page.waitForSelector("table.ranking tbody tr");
const elapsed = Date.now() - started;
const status = await page.textContent("#ministry-status");
const render = await page.getAttribute("#ministry-status", "data-render-ms");
console.log(`ministry view, same file opened in the browser: ${elapsed} ms to rankings on screen; ${status}; ` +
  `rankings page HTML built in ${render} ms`);
await browser.close();
