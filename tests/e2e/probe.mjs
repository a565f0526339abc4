// Not a test: prints what pages.mjs finds on each page (for working on the pages).
import { launchChromium } from "./browser.mjs";
import { SCREENS, axeViolations, overflow, overflowing, englishOnVietnamesePage } from "./pages.mjs";
const urls = process.argv.slice(2);
const browser = await launchChromium();
for (const screen of SCREENS) {
  const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
  for (const url of urls) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForTimeout(1500);
    const lang = await page.evaluate(() => document.documentElement.lang);
    console.log(`\n## ${screen.name} ${url} lang=${lang}`);
    console.log("overflow", await overflow(page), (await overflowing(page)).join(", "));
    for (const v of await axeViolations(page)) console.log("  axe", v);
    if (lang.startsWith("vi")) for (const e of await englishOnVietnamesePage(page)) console.log("  en:", e);
    await page.close();
  }
  await context.close();
}
await browser.close();
