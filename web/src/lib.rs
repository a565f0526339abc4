//! The `dti` self-assessment web app: a yew page that runs the engine (`dti-core`) in the
//! browser, so that a unit scores itself exactly as the ministry will.
//!
//! `state` (the reducer) and `model` (what the page shows) are pure and tested natively;
//! `app` holds the components; `platform` is the only module that talks to the browser.

pub mod app;
pub mod i18n;
pub mod ministry;
pub mod model;
pub mod platform;
pub mod set_bar;
pub mod state;
#[cfg(feature = "ministry")]
pub mod workbench;
pub mod xlsx;

use wasm_bindgen::prelude::wasm_bindgen;

/// Starts the app in the page's body.
#[wasm_bindgen(start)]
pub fn start() {
    // In a worker (the workbench's analysis) there is no page to start.
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    platform::install_panic_hook();
    // The ministry build (`--features ministry`, with the Excel reader) holds the
    // ministry's view and the evaluator's workbench; the self-assessment page is its own,
    // smaller build.
    #[cfg(feature = "ministry")]
    if let Some(root) = document.get_element_by_id("workbench") {
        yew::Renderer::<workbench::Workbench>::with_root(root).render();
        return;
    }
    if let Some(root) = document.get_element_by_id("app") {
        #[cfg(feature = "ministry")]
        yew::Renderer::<ministry::Ministry>::with_root(root).render();
        #[cfg(not(feature = "ministry"))]
        yew::Renderer::<app::App>::with_root(root).render();
    }
}

/// The workbench's robustness analysis, run in its worker: an uncertainty analysis of the
/// indicator file `text` (named `file_name`) on the data file, as JSON (the report and the
/// structure's coherence, or `{"error": ...}`). `settings` is JSON: `points`, `seed`,
/// `factor` (weights +/- that share), `leave_out_pillars`, and `weights` (the sliders').
#[cfg(feature = "ministry")]
#[wasm_bindgen(js_name = dtiRobustness)]
pub fn robustness(file_name: &str, text: &str, data_name: &str, data: &[u8], settings: &str) -> String {
    match workbench::analysis::run(file_name, text, data_name, data, settings) {
        Ok(json) => json,
        Err(error) => serde_json::json!({ "error": error }).to_string(),
    }
}

/// A workbook (a submission's Excel export, or any data workbook) as the CSV table the
/// self-assessment page imports: the sheet `submission` (or `data`, or the first), every
/// cell as text, as JSON `{"csv": ...}` or `{"error": ...}`. The page's own build has no
/// Excel reader; it asks this build, in a worker (`xlsx-worker.js`), only when a workbook
/// is imported.
#[cfg(feature = "ministry")]
#[wasm_bindgen(js_name = dtiXlsxToCsv)]
pub fn xlsx_to_csv(name: &str, bytes: &[u8]) -> String {
    match model::workbook_csv(name, bytes) {
        Ok(csv) => serde_json::json!({ "csv": csv }).to_string(),
        Err(error) => serde_json::json!({ "error": error }).to_string(),
    }
}

/// Every node's score for every unit of a built-in set's sample data `data` (the CSV
/// text of `indicators/samples/ID-sample.csv`, which the site serves under `samples/`;
/// the page does not carry the samples), latest period, as JSON: the page exposes it so
/// that a test can compare the browser's results with the native ones bit for bit.
#[wasm_bindgen(js_name = dtiSampleScores)]
pub fn sample_scores(id: &str, data: &str) -> String {
    let Some(set) = dti_core::builtin::builtin(id) else { return format!("{{\"error\":\"no built-in set `{id}`\"}}") };
    let Some(framework) = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework else {
        return "{\"error\":\"invalid built-in set\"}".into();
    };
    let Some(dataset) = dti_core::load_data(set.data_name, data.as_bytes(), &framework).dataset else {
        return "{\"error\":\"invalid sample data\"}".into();
    };
    match dti_core::evaluate(&framework, &dataset, &dti_core::EvaluateOptions::default()) {
        Ok(evaluation) => {
            let units: Vec<&str> = evaluation.units.iter().map(|unit| unit.id.as_str()).collect();
            // Scores as their bit patterns: equal strings mean bit-identical results.
            let scores: Vec<Vec<String>> = (0..framework.nodes.len())
                .map(|node| {
                    evaluation.node_scores(node).iter().map(|score| format!("{:016x}", score.to_bits())).collect()
                })
                .collect();
            serde_json::json!({ "id": id, "units": units, "scores": scores, "rank": evaluation.rank }).to_string()
        }
        Err(error) => serde_json::json!({ "error": error.to_string() }).to_string(),
    }
}
