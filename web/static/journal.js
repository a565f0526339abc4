// The crash journal of the self-assessment page.
//
// The app saves the drafts to localStorage after every change, but Chromium writes
// localStorage to disk only seconds later: a browser that crashes or is killed within
// about five seconds of an edit loses it (measured). So every save is also written here,
// to IndexedDB with strict durability, which is on disk when its transaction completes.
// Before the app starts, a journal entry newer than what localStorage holds is handed to
// the app, which then saves it again everywhere.
//
// Writes are coalesced: while one is in flight only the latest waiting text is kept.

const DATABASE = "dti";
const STORE = "journal";
const ENTRY = "drafts";
const SAVED_AT_KEY = "dti.v1.saved_at";

let database = null;
let waiting = null;
let writing = false;

function openDatabase() {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

function transact(mode, run) {
  return openDatabase().then((db) => new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode, { durability: "strict" });
    const request = run(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  }));
}

/** Journals the drafts' JSON text, saved at `savedAt` (milliseconds since 1970). */
export function write(text, savedAt) {
  waiting = { text, savedAt };
  if (!writing) flush();
}

async function flush() {
  writing = true;
  while (waiting) {
    const entry = waiting;
    waiting = null;
    try {
      await transact("readwrite", (store) => store.put(entry, ENTRY));
      // For the end-to-end tests: which save is on disk, and since when.
      document.documentElement.dataset.journaledAt = String(entry.savedAt);
      document.documentElement.dataset.journalCommittedAt = String(Date.now());
    } catch (error) {
      console.warn("dti: the crash journal could not be written", error);
    }
  }
  writing = false;
}

/**
 * Hands the app a journal entry newer than localStorage's drafts (as
 * `window.dtiRecoveredDrafts`, which the app reads before localStorage); true when there
 * is one. localStorage is left alone: it may be the full storage that lost the edits.
 */
export async function recover() {
  try {
    const entry = await transact("readonly", (store) => store.get(ENTRY));
    const savedAt = Number(localStorage.getItem(SAVED_AT_KEY) ?? 0);
    if (!entry || !(entry.savedAt > savedAt)) return false;
    window.dtiRecoveredDrafts = entry.text;
    return true;
  } catch (error) {
    console.warn("dti: the crash journal could not be read", error);
    return false;
  }
}

window.dtiJournal = { write };
