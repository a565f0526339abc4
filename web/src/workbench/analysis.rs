//! The workbench's robustness analysis, as its worker runs it: pure, so the same call
//! natively gives the same JSON (tested against `dti sensitivity` in the end-to-end tests).

use dti_core::pipeline::{EvaluateOptions, Overrides};
use dti_core::robustness::{Analysis, Input, Method, coherence::coherence, levels_below_root};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the page asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Random runs.
    pub points: usize,
    /// The seed of the design.
    pub seed: u64,
    /// Weights vary by up to +/- this share (none when 0).
    pub factor: f64,
    /// Whether each pillar is also left out in turn.
    pub leave_out_pillars: bool,
    /// The sliders' weights, the nominal ones of the analysis.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Also each input's sensitivity indices (`points x (inputs + 2)` runs).
    #[serde(default)]
    pub sensitivity: bool,
}

/// Bootstrap resamples of the sensitivity indices' intervals.
const BOOTSTRAP: usize = 200;

/// Runs the analysis of `text` (the indicator file `file_name` as edited) on the data file
/// `data_name`; the report and the coherence as JSON.
pub fn run(file_name: &str, text: &str, data_name: &str, data: &[u8], settings: &str) -> Result<String, String> {
    let settings: Settings = serde_json::from_str(settings).map_err(|error| format!("settings: {error}"))?;
    let loaded = dti_core::load_framework(file_name, text.as_bytes());
    let framework = loaded.framework.ok_or("the indicator file has errors: fix them first")?;
    let data = dti_core::load_data(data_name, data, &framework);
    let dataset = data.dataset.ok_or_else(|| format!("{data_name} does not fit this indicator file"))?;
    let mut inputs = Vec::new();
    if settings.factor > 0.0 {
        inputs.push(Input::Weights { levels: levels_below_root(&framework), factor: settings.factor });
    }
    if settings.leave_out_pillars {
        let pillars =
            framework.nodes[framework.root()].children.iter().map(|&node| Some(framework.nodes[node].id.clone()));
        inputs.push(Input::LeaveOut(std::iter::once(None).chain(pillars).collect()));
    }
    let weights =
        settings.weights.into_iter().filter(|(id, _)| framework.node_index(id).is_some()).collect::<BTreeMap<_, _>>();
    let options =
        EvaluateOptions { overrides: Overrides { weights, ..Overrides::default() }, ..EvaluateOptions::default() };
    let method = if settings.sensitivity { Method::Sensitivity } else { Method::Uncertainty };
    let analysis = Analysis::new(&framework, &options, inputs, method, settings.points, settings.seed)
        .map_err(|error| error.to_string())?;
    let nominal = analysis.nominal(&dataset).map_err(|error| match std::error::Error::source(&error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    })?;
    let outcomes: Vec<_> = (0..analysis.runs()).map(|run| analysis.run(&dataset, run)).collect();
    let report = analysis.report(&dataset, &nominal, &outcomes, BOOTSTRAP).map_err(|error| match error {
        dti_core::robustness::indices::IndexError::Missing(run) => {
            format!("{error} ({})", outcomes[run].failure.as_deref().unwrap_or("no unit scored"))
        }
        other => other.to_string(),
    })?;
    let evaluation = dti_core::evaluate(&framework, &dataset, &options).map_err(|error| error.to_string())?;
    Ok(serde_json::json!({ "robustness": report, "coherence": coherence(&evaluation) }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_settings_give_the_same_report_and_errors_say_what_is_wrong() {
        let set = dti_core::builtin::builtin("vn-ministry").expect("built in");
        let data = set.data();
        let run = |text: &str, data: &[u8], settings: &str| run(set.file_name, text, set.data_name, data, settings);
        let settings = r#"{"points": 30, "seed": 4, "factor": 0.25, "leave_out_pillars": true}"#;
        let first = run(set.framework, data.as_bytes(), settings).expect("runs");
        assert_eq!(first, run(set.framework, data.as_bytes(), settings).expect("runs"));
        let report: serde_json::Value = serde_json::from_str(&first).expect("JSON");
        assert_eq!(report["robustness"]["runs"], 30);
        assert_eq!(report["robustness"]["inputs"], serde_json::json!(["weights", "leave-out"]));
        assert!(run("id = [", data.as_bytes(), settings).unwrap_err().contains("has errors"));
        assert!(run(set.framework, b"name\nx\n", settings).unwrap_err().contains("does not fit"));
        let nothing = r#"{"points": 30, "seed": 4, "factor": 0, "leave_out_pillars": false}"#;
        assert!(run(set.framework, data.as_bytes(), nothing).unwrap_err().contains("no uncertain input"));
        let sensitivity =
            r#"{"points": 20, "seed": 4, "factor": 0.25, "leave_out_pillars": true, "sensitivity": true}"#;
        let report: serde_json::Value =
            serde_json::from_str(&run(set.framework, data.as_bytes(), sensitivity).expect("runs")).expect("JSON");
        assert_eq!(report["robustness"]["runs"], 80);
        let indices = report["robustness"]["sensitivity"].as_array().expect("indices");
        assert_eq!(indices.len(), 2);
        assert!(indices.iter().all(|index| index["total_interval"].is_array()));
        let alone = r#"{"points": 20, "seed": 4, "factor": 0.25, "leave_out_pillars": false, "sensitivity": true}"#;
        assert!(run(set.framework, data.as_bytes(), alone).unwrap_err().contains("at least two"));
    }
}
