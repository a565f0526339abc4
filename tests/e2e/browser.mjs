// Debian's Chromium, headless, as the end-to-end tests and the rendering benchmark drive it
// (`DTI_CHROMIUM` is set by `cargo xtask`): no sandbox inside containers, and nothing
// reaching for the network on its own.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.DTI_CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Chromium with a profile kept in `dir`, so that a test can kill it and start it again. */
export function launchPersistent(dir) {
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.DTI_CHROMIUM,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
