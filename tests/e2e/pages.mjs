// What every page is held to (issue 18): WCAG 2.2 A/AA by axe-core, no horizontal
// overflow, and on a Vietnamese page no English sentence. Shared by the page tests.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The two screens the pages are judged on: a laptop and a phone. */
export const SCREENS = [
  { name: "laptop", width: 1366, height: 768 },
  { name: "phone", width: 390, height: 844 },
];

/** axe-core's WCAG 2.2 A and AA violations on the page, each as one readable line. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const result = await page.evaluate(async () => {
    const run = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return run.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
      count: violation.nodes.length,
    }));
  });
  return result.map((v) => `${v.id} (${v.count}): ${v.help} — ${v.nodes.join(" | ")}`);
}

/** How far the page is wider than the screen, in CSS pixels (0 when it fits). */
export async function overflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** The elements that stick out of the screen on the right, for the failure message. */
export async function overflowing(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const found = [];
    for (const element of document.querySelectorAll("body *")) {
      const box = element.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && !element.closest(".table-wrap, .scroll")) {
        found.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}.${[...element.classList].join(".")} (${Math.round(box.right)}px)`);
      }
      if (found.length >= 8) break;
    }
    return found;
  });
}

// Words no Vietnamese sentence has, and most English ones do.
const ENGLISH = new Set(["the", "is", "are", "not", "and", "with", "must", "this", "that", "which", "cannot",
  "from", "was", "were", "has", "have", "of", "no", "or", "its", "be", "to", "in", "at", "by", "for",
  "value", "values", "file", "units", "indicator", "refused", "missing", "evaluated", "problems",
  "warning", "critical", "info", "error", "loading", "points", "score", "rank", "level", "block"]);

/** The English words in the page's visible text, outside code, ids (`<small>`, `<code>`)
 * and anything marked with another language (`lang="en"`, the language switch). */
export async function englishOnVietnamesePage(page) {
  const text = await page.evaluate(() => {
    const page = document.documentElement.lang;
    const skip = (element) =>
      element.closest("code, kbd, samp, script, style, [translate=no], .id, svg") ||
      (element.closest("[lang]") && element.closest("[lang]").getAttribute("lang") !== page);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || skip(parent)) continue;
      const style = window.getComputedStyle(parent);
      if (style.display === "none" || style.visibility === "hidden") continue;
      if (parent.closest("details:not([open])") && !parent.closest("summary")) continue;
      parts.push(node.textContent);
    }
    return parts.join(" ");
  });
  const found = [];
  for (const sentence of text.split(/[.;:!?\n]+/)) {
    const words = sentence.toLowerCase().split(/[\s,()“”"'`/]+/).filter((word) => /^[a-z]+$/.test(word));
    const english = words.filter((word) => ENGLISH.has(word));
    if (english.length >= 2 || (english.length === 1 && words.length <= 3 && english[0].length > 3)) {
      found.push(sentence.trim().slice(0, 120));
    }
  }
  return found;
}
