// The workbench's robustness analysis, off the page's thread: the same engine (the
// ministry build), called with the edited indicator file and the page's settings.
import init, { dtiRobustness } from "./dti_ministry.js";

const ready = init();

self.onmessage = async (event) => {
  await ready;
  const { fileName, text, dataName, data, settings } = event.data;
  const started = performance.now();
  let result;
  try {
    result = dtiRobustness(fileName, text, dataName, data, settings);
  } catch (error) {
    result = JSON.stringify({ error: String(error) });
  }
  self.postMessage({ result, ms: performance.now() - started });
};
