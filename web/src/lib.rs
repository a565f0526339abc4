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
pub mod state;
pub mod xlsx;

use wasm_bindgen::prelude::wasm_bindgen;

/// Starts the app in the page's body.
#[wasm_bindgen(start)]
pub fn start() {
    platform::install_panic_hook();
    if let Some(root) = gloo::utils::document().get_element_by_id("app") {
        // One crate, two pages: the ministry's view is its own build (`--features
        // ministry`, with the Excel reader), so that the self-assessment page stays small.
        #[cfg(feature = "ministry")]
        yew::Renderer::<ministry::Ministry>::with_root(root).render();
        #[cfg(not(feature = "ministry"))]
        yew::Renderer::<app::App>::with_root(root).render();
    }
}

/// Every node's score for every unit of a built-in set's sample data (latest period), as
/// JSON: the page exposes it so that a test can compare the browser's results with the
/// native ones bit for bit.
#[wasm_bindgen(js_name = dtiSampleScores)]
pub fn sample_scores(id: &str) -> String {
    let Some(set) = dti_core::builtin::builtin(id) else { return format!("{{\"error\":\"no built-in set `{id}`\"}}") };
    let Some(framework) = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework else {
        return "{\"error\":\"invalid built-in set\"}".into();
    };
    let Some(dataset) = dti_core::load_data(set.data_name, set.data().as_bytes(), &framework).dataset else {
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
