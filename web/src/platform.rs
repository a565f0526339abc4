//! The browser around the app: local storage, files, downloads, the clock, printing.
//! The only module that talks to the browser directly.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::Callback;

use crate::state::{AppState, Drafts, Language};

const DRAFTS_KEY: &str = "dti.v1.drafts";
const LANGUAGE_KEY: &str = "dti.v1.language";

/// The state saved by the last session, or a fresh one: the crash journal's drafts when
/// they are newer than localStorage's (`journal.js` hands them over), else localStorage's.
pub fn restore() -> AppState {
    let recovered = js_sys::Reflect::get(&gloo::utils::window(), &"dtiRecoveredDrafts".into())
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_str::<Drafts>(&text).ok());
    let drafts: Drafts = recovered
        .or_else(|| LocalStorage::get(DRAFTS_KEY).ok())
        .filter(|drafts: &Drafts| !drafts.drafts.is_empty())
        .unwrap_or_default();
    let language = LocalStorage::get(LANGUAGE_KEY).unwrap_or_default();
    AppState { language, drafts, storage_error: None }
}

/// Gives the whole document the page's language (screen readers, fonts, hyphenation and
/// the checks that no English reaches a Vietnamese page all read it there).
pub fn set_document_language(language: Language) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("lang", language.code());
    }
}

/// The saved language, for the panic panel.
pub fn saved_language() -> Language {
    LocalStorage::get(LANGUAGE_KEY).unwrap_or_default()
}

const SAVED_AT_KEY: &str = "dti.v1.saved_at";

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `journal.js`: writes the drafts to IndexedDB, durably (see that file for why).
    #[wasm_bindgen(catch, js_namespace = dtiJournal, js_name = write)]
    fn journal_write(text: &str, saved_at: f64) -> Result<(), wasm_bindgen::JsValue>;
}

/// Saves the drafts and the language; the error says why it failed. The drafts also go to
/// the crash journal, first, so that a full localStorage loses nothing either.
pub fn save(drafts: &Drafts, language: Language) -> Result<(), String> {
    let saved_at = js_sys::Date::now();
    if let Ok(text) = serde_json::to_string(drafts)
        && let Err(error) = journal_write(&text, saved_at)
    {
        web_sys::console::warn_2(&"dti: no crash journal".into(), &error);
    }
    LocalStorage::set(DRAFTS_KEY, drafts).map_err(|error| error.to_string())?;
    LocalStorage::set(SAVED_AT_KEY, saved_at).map_err(|error| error.to_string())?;
    LocalStorage::set(LANGUAGE_KEY, language).map_err(|error| error.to_string())
}

/// The time now, ISO 8601 in UTC.
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A monotonic clock in milliseconds, for the page's own timing figures.
pub fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |performance| performance.now())
}

/// Offers bytes (text as UTF-8) as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    let result = (|| -> Result<(), wasm_bindgen::JsValue> {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let document = gloo::utils::document();
        let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        web_sys::Url::revoke_object_url(&url)
    })();
    if let Err(error) = result {
        web_sys::console::error_2(&"download failed".into(), &error);
    }
}

/// Reads the file chosen in an `<input type="file">` as text, then calls `done(name, text)`.
/// An indicator file or a submission larger than the engine reads is refused before it
/// is read, with a message (it would only be refused after filling the tab's memory).
pub fn read_file(input: &HtmlInputElement, done: impl FnOnce(String, String) + 'static) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    let name = file.name();
    if too_large(&name, file.size(), dti_core::limits::MAX_FRAMEWORK_BYTES) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => done(name, text.as_string().unwrap_or_default()),
            Err(error) => web_sys::console::error_2(&"reading the file failed".into(), &error),
        }
    });
}

/// Reads the file chosen in an `<input type=file>` as bytes (a workbook).
pub fn read_file_bytes(input: &HtmlInputElement, done: impl FnOnce(String, Vec<u8>) + 'static) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
    let name = file.name();
    if too_large(&name, file.size(), dti_core::limits::MAX_DATA_BYTES) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => done(name, js_sys::Uint8Array::new(&buffer).to_vec()),
            Err(error) => web_sys::console::error_2(&"reading the file failed".into(), &error),
        }
    });
}

/// Turns a workbook into CSV in a worker running the ministry build (which has the Excel
/// reader this page's build leaves out): `done` gets the CSV, or why not.
pub fn workbook_to_csv(name: &str, bytes: &[u8], done: impl FnOnce(Result<String, String>) + 'static) {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = match web_sys::Worker::new_with_options("xlsx-worker.js", &options) {
        Ok(worker) => worker,
        Err(error) => return done(Err(format!("{error:?}"))),
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"name".into(), &name.into());
    let _ = js_sys::Reflect::set(&message, &"bytes".into(), &js_sys::Uint8Array::from(bytes).into());
    let done = std::cell::RefCell::new(Some(done));
    let answered = worker.clone();
    let listener = gloo::events::EventListener::once(&worker, "message", move |event| {
        let field = |name: &str| {
            let data = event.dyn_ref::<web_sys::MessageEvent>()?.data();
            js_sys::Reflect::get(&data, &name.into()).ok()?.as_string()
        };
        let result = match (field("csv"), field("error")) {
            (Some(csv), _) => Ok(csv),
            (_, Some(error)) => Err(error),
            _ => Err("no answer".to_owned()),
        };
        answered.terminate();
        if let Some(done) = done.borrow_mut().take() {
            done(result);
        }
    });
    listener.forget();
    if let Err(error) = worker.post_message(&message) {
        web_sys::console::error_2(&"the workbook could not be sent".into(), &error);
    }
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Err(error) = gloo::utils::window().print() {
        web_sys::console::error_2(&"print failed".into(), &error);
    }
}

/// Shows an error panel over the page when the app panics, so that it never stays dead.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let report = info.to_string();
        web_sys::console::error_1(&report.clone().into());
        let t = crate::i18n::texts(saved_language());
        let document = gloo::utils::document();
        if let (Ok(panel), Some(body)) = (document.create_element("div"), document.body()) {
            panel.set_id("panic");
            panel.set_class_name("panic");
            let _ = panel.set_attribute("role", "alert");
            let title = document.create_element("h2").ok();
            let text = document.create_element("p").ok();
            let details = document.create_element("pre").ok();
            if let (Some(title), Some(text), Some(details)) = (title, text, details) {
                title.set_text_content(Some(t.panic_title));
                text.set_text_content(Some(t.panic_body));
                details.set_text_content(Some(&format!("dti {} · {report}", dti_core::ENGINE_VERSION)));
                let _ = panel.append_child(&title);
                let _ = panel.append_child(&text);
                let _ = panel.append_child(&details);
            }
            let _ = body.append_child(&panel);
        }
    }));
}

/// The other language, saved, on a click (the ministry view's and the workbench's button).
pub fn language_toggle(language: yew::UseStateHandle<Language>) -> yew::Callback<web_sys::MouseEvent> {
    yew::Callback::from(move |_| {
        let next = if *language == Language::Vi { Language::En } else { Language::Vi };
        save_language(next);
        language.set(next);
    })
}

/// Saves the language alone (the ministry view has no drafts).
pub fn save_language(language: Language) {
    if let Err(error) = LocalStorage::set(LANGUAGE_KEY, language) {
        web_sys::console::error_1(&error.to_string().into());
    }
}

/// Today's date from the browser's clock, for alert deadlines and evidence ages.
pub fn today() -> Option<dti_core::period::Date> {
    let now = js_sys::Date::new_0();
    let month = u8::try_from(now.get_month() + 1).ok()?;
    let day = u8::try_from(now.get_date()).ok()?;
    dti_core::period::Date::new(i32::try_from(now.get_full_year()).ok()?, month, day)
}

/// The address's `#...` part.
pub fn location_hash() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Goes to a `#...` address (a new history entry, so Back returns).
pub fn set_location_hash(hash: &str) {
    if let Err(error) = gloo::utils::window().location().set_hash(hash) {
        web_sys::console::error_2(&"navigation failed".into(), &error);
    }
}

/// Calls `changed` with the new `#...` part whenever it changes, while the listener lives.
pub fn on_hash_change(changed: impl Fn(String) + 'static) -> gloo::events::EventListener {
    gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| changed(location_hash()))
}

/// Reads every file of a list as bytes (names with their folder, when a folder was
/// chosen), then calls `done` once with all of them.
pub fn read_files(files: Option<web_sys::FileList>, done: Callback<Vec<crate::ministry::load::OpenedFile>>) {
    let Some(files) = files else { return };
    let files: Vec<(String, web_sys::File)> = (0..files.length())
        .filter_map(|index| files.get(index))
        .map(|file| {
            let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                .ok()
                .and_then(|path| path.as_string())
                .filter(|path| !path.is_empty());
            (relative.unwrap_or_else(|| file.name()), file)
        })
        .collect();
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move { done.emit(read_all(files).await) });
}

/// Reads what was dropped: files, and folders with every file in them at any depth (named
/// with their path in the folder). Browsers without folder entries give the files alone.
pub fn read_dropped(transfer: web_sys::DataTransfer, done: Callback<Vec<crate::ministry::load::OpenedFile>>) {
    // The entries exist only while the drop event runs: take them now, read them later.
    let items = transfer.items();
    let entries: Vec<web_sys::FileSystemEntry> =
        (0..items.length()).filter_map(|index| items.get(index)?.webkit_get_as_entry().ok().flatten()).collect();
    if entries.is_empty() {
        read_files(transfer.files(), done);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut files = Vec::new();
        let mut pending = entries;
        while let Some(entry) = pending.pop() {
            let path = entry.full_path().trim_start_matches('/').to_owned();
            if entry.is_directory() {
                let reader = entry.unchecked_into::<web_sys::FileSystemDirectoryEntry>().create_reader();
                // `readEntries` gives a batch at a time, until an empty one.
                loop {
                    let batch = callback_promise(|resolve, reject| {
                        let _ = reader.read_entries_with_callback_and_callback(resolve, reject);
                    });
                    match wasm_bindgen_futures::JsFuture::from(batch).await {
                        Ok(batch) => {
                            let batch = js_sys::Array::from(&batch);
                            if batch.length() == 0 {
                                break;
                            }
                            pending.extend(batch.iter().map(|entry| entry.unchecked_into()));
                        }
                        Err(error) => {
                            web_sys::console::error_2(&format!("reading the folder {path} failed").into(), &error);
                            break;
                        }
                    }
                }
            } else if entry.is_file() {
                let entry = entry.unchecked_into::<web_sys::FileSystemFileEntry>();
                let file = callback_promise(|resolve, reject| entry.file_with_callback_and_callback(resolve, reject));
                match wasm_bindgen_futures::JsFuture::from(file).await {
                    Ok(file) => files.push((path, file.unchecked_into())),
                    Err(error) => web_sys::console::error_2(&format!("reading {path} failed").into(), &error),
                }
            }
        }
        // Folder order is the browser's: give the files in name order, as the folder button does.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        done.emit(read_all(files).await);
    });
}

/// A promise settled by a callback-style browser API.
fn callback_promise(call: impl FnOnce(&js_sys::Function, &js_sys::Function)) -> js_sys::Promise {
    let mut call = Some(call);
    js_sys::Promise::new(&mut |resolve, reject| {
        if let Some(call) = call.take() {
            call(&resolve, &reject);
        }
    })
}

/// Whether a file is over `limit` bytes; if so, the user is told (in both languages, as
/// the page's language is not known here) and the file is not read.
fn too_large(name: &str, size: f64, limit: usize) -> bool {
    if size <= limit as f64 {
        return false;
    }
    let size = dti_core::limits::bytes_text(size as u64);
    let limit = dti_core::limits::bytes_text(limit as u64);
    let message = format!(
        "Tệp {name} quá lớn ({size}, tối đa {limit}): tệp không được mở.\n\
         The file {name} is too large ({size}, at most {limit}): it was not opened."
    );
    web_sys::console::error_1(&message.clone().into());
    let _ = gloo::utils::window().alert_with_message(&message);
    true
}

/// Reads named files as bytes; a file that cannot be read, or is larger than the engine
/// reads, is reported and left out.
async fn read_all(files: Vec<(String, web_sys::File)>) -> Vec<crate::ministry::load::OpenedFile> {
    let mut opened = Vec::with_capacity(files.len());
    for (name, file) in files {
        if too_large(&name, file.size(), dti_core::limits::MAX_DATA_BYTES) {
            continue;
        }
        match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => opened
                .push(crate::ministry::load::OpenedFile { name, bytes: js_sys::Uint8Array::new(&buffer).to_vec() }),
            Err(error) => web_sys::console::error_2(&format!("reading {name} failed").into(), &error),
        }
    }
    opened
}

/// The workbench's analysis worker (`workbench-worker.js`, the ministry build's engine),
/// as a typed channel: [`AnalysisWorker::send`] takes the analysis' inputs and settings,
/// and the reply comes back as the engine's [`Report`](dti_core::robustness::Report), or
/// the reason it failed. No other module sees the worker's messages.
#[cfg(feature = "ministry")]
pub struct AnalysisWorker {
    worker: web_sys::Worker,
    _listener: gloo::events::EventListener,
}

/// What the analysis runs on.
#[cfg(feature = "ministry")]
pub struct AnalysisRequest<'a> {
    /// The indicator file's name.
    pub file_name: &'a str,
    /// Its text, as edited.
    pub text: &'a str,
    /// The data file's name.
    pub data_name: &'a str,
    /// Its bytes.
    pub data: &'a [u8],
    /// The settings.
    pub settings: &'a crate::workbench::analysis::Settings,
}

/// The worker's answer: the report and the milliseconds it took, or why it failed.
#[cfg(feature = "ministry")]
pub type AnalysisReply = Result<(dti_core::robustness::Report, f64), String>;

#[cfg(feature = "ministry")]
impl AnalysisWorker {
    /// Starts the worker; `replied` gets each answer.
    pub fn start(replied: impl Fn(AnalysisReply) + 'static) -> Result<Self, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("workbench-worker.js", &options)
            .map_err(|error| format!("the analysis cannot start: {error:?}"))?;
        let listener = gloo::events::EventListener::new(&worker, "message", move |event| {
            let Some(message) = event.dyn_ref::<web_sys::MessageEvent>() else { return };
            replied(Self::reply(&message.data()));
        });
        Ok(Self { worker, _listener: listener })
    }

    /// Sends an analysis to run.
    pub fn send(&self, request: &AnalysisRequest<'_>) -> Result<(), String> {
        let settings = serde_json::to_string(request.settings).map_err(|error| error.to_string())?;
        let message = js_sys::Object::new();
        let fields: [(&str, wasm_bindgen::JsValue); 5] = [
            ("fileName", request.file_name.into()),
            ("text", request.text.into()),
            ("dataName", request.data_name.into()),
            ("data", js_sys::Uint8Array::from(request.data).into()),
            ("settings", settings.into()),
        ];
        for (key, value) in fields {
            js_sys::Reflect::set(&message, &key.into(), &value).map_err(|error| format!("{error:?}"))?;
        }
        self.worker.post_message(&message).map_err(|error| format!("{error:?}"))
    }

    /// Reads the worker's message: `{ result: JSON text, ms }`, the JSON holding the
    /// report under `robustness` or an `error`.
    fn reply(data: &wasm_bindgen::JsValue) -> AnalysisReply {
        #[derive(serde::Deserialize)]
        struct Answer {
            robustness: Option<dti_core::robustness::Report>,
            error: Option<String>,
        }
        let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
        let result = field("result").and_then(|value| value.as_string()).unwrap_or_default();
        let milliseconds = field("ms").and_then(|value| value.as_f64()).unwrap_or(0.0);
        match serde_json::from_str::<Answer>(&result) {
            Ok(Answer { robustness: Some(report), .. }) => Ok((report, milliseconds)),
            Ok(Answer { error: Some(error), .. }) => Err(error),
            Ok(_) => Err("the analysis gave no report".to_owned()),
            Err(error) => Err(error.to_string()),
        }
    }
}
