// The self-assessment page's Excel import, off the page's thread: the ministry build,
// which carries the Excel reader the page's own small build leaves out, turns the
// workbook into the CSV the page reads. Loaded only when a workbook is imported.
import init, { dtiXlsxToCsv } from "./dti_ministry.js";

const ready = init();

self.onmessage = async (event) => {
  await ready;
  let result;
  try {
    result = dtiXlsxToCsv(event.data.name, new Uint8Array(event.data.bytes));
  } catch (error) {
    result = JSON.stringify({ error: String(error) });
  }
  self.postMessage(result);
};
