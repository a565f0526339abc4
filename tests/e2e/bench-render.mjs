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

// The workbench with the same file: re-ranking after a weight moves, and 1,000 Monte
// Carlo runs of the robustness analysis in its worker.
const bench = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
await bench.goto(`${url}app/workbench.html`);
await bench.waitForSelector("#workbench-ranking tbody tr");
await bench.setInputFiles("#workbench-data-file", process.env.DTI_DATA);
await bench.waitForFunction(() => document.querySelector("#workbench-opened")?.textContent.includes("3300x8"), null, { timeout: 120000 });
const reranks = [];
const frames = [];
for (const [run, weight] of [1.2, 0.8, 1.5, 0.6, 1.1, 0.9, 1.3].entries()) {
  const frame = await bench.evaluate((weight) => new Promise((resolve) => {
    const input = document.querySelector('input[type=range][data-node="cybersecurity"]');
    const started = performance.now();
    input.value = String(weight);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    requestAnimationFrame(() => resolve(performance.now() - started));
  }), weight);
  await bench.waitForFunction((text) => document.querySelector("#workbench-changes")?.textContent.includes(text), `${weight}`);
  frames.push(frame);
  reranks.push(Number(await bench.getAttribute("#workbench-timing", "data-ms")));
  if (run === 0) continue;
}
console.log(`workbench, 3,245 units: re-ranking after a weight moves ${show(reranks)}; ` +
  `to the next frame, the first 100 rows redrawn, ${show(frames)}`);
await bench.fill("#robustness-runs", "1000");
await bench.fill("#robustness-factor", "0.25");
await bench.check("#robustness-leave-out");
const analysisStarted = Date.now();
await bench.click("#robustness-run");
await bench.waitForSelector("#robustness-table tbody tr", { timeout: 600000 });
const analysisWall = Date.now() - analysisStarted;
const workerMs = Number(await bench.getAttribute("#robustness-status", "data-ms"));
console.log(`workbench, 1,000 Monte Carlo runs (weights +/- 25%, each pillar left out) in the worker: ` +
  `${workerMs.toFixed(0)} ms in the engine, ${analysisWall} ms from the click to the chart`);
await browser.close();
