// Rendering timings of a large publication, run by `cargo xtask bench-publish` (not a
// test: the figures are reported). The published rankings page: from navigation to the
// load event and to the first paint; the ministry view: evaluating the opened file in the
// browser, and rendering its rankings page.
import { launchChromium } from "./browser.mjs";

const url = process.env.DTI_PUBLICATION_URL;
const browser = await launchChromium();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const loads = [];
const paints = [];
let rows = 0;
for (let run = 0; run < 5; run += 1) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}index.html`, { waitUntil: "load" });
  const timing = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { load: navigation.loadEventEnd - navigation.startTime, paint: paint ? paint.startTime : NaN,
      rows: document.querySelectorAll("table.ranking tbody tr").length };
  });
  loads.push(timing.load);
  paints.push(timing.paint);
  rows = timing.rows;
  await page.close();
}
console.log(`published rankings page, ${rows} units: load event median ${median(loads).toFixed(0)} ms ` +
  `(runs ${loads.map((t) => t.toFixed(0)).join(", ")}), first contentful paint median ${median(paints).toFixed(0)} ms`);

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
