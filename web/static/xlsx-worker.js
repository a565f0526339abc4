// The self-assessment page's Excel import, off the page's thread: the ministry build,
// which carries the Excel reader the page's own small build leaves out, turns the
// workbook into the CSV the page reads. Loaded only when a workbook is imported.
import init, { dtiXlsxToCsv } from "./dti_ministry.js";

const ready = init();

self.onmessage = async (event) => {
  await ready;
  let result;
  try {
    result = JSON.parse(dtiXlsxToCsv(event.data.name, new Uint8Array(event.data.bytes)));
  } catch (error) {
    result = { error: String(error) };
  }
  // `{ csv }` or `{ error }`: the page reads the field, no JSON parser needed there.
  self.postMessage(result);
};
