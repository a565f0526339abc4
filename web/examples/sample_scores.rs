//! Prints, natively, what the end-to-end tests compare the browser with: what the page's
//! `dtiSampleScores` returns for every built-in set (bit patterns), and the score, level
//! and indicator-file digest of the fixture submission `tests/e2e/fixtures/submission.json`.

#![allow(clippy::disallowed_macros)]

use dti_core::assessment::Submission;
use dti_web::model::{fixed, load_set, results};
use dti_web::state::FrameworkChoice;

fn main() {
    let samples: Vec<serde_json::Value> = dti_core::builtin::BUILTINS
        .iter()
        .map(|set| {
            serde_json::from_str(&dti_web::sample_scores(set.id, &set.data())).unwrap_or(serde_json::Value::Null)
        })
        .collect();
    let text = include_str!("../../tests/e2e/fixtures/submission.json");
    let submission = Submission::from_json("submission.json", text).unwrap_or_else(|error| panic!("{error}"));
    let set = load_set(&FrameworkChoice::Builtin(submission.framework.id.clone()));
    let framework = set.framework.expect("the fixture's set is valid");
    let result = results(&framework, &submission);
    let level = result.level.map(|name| serde_json::json!({ "vi": name.vi, "en": name.en }));
    let out = serde_json::json!({
        "samples": samples,
        "fixture": {
            "score": fixed(result.score.unwrap_or(0.0), usize::from(framework.scale.decimals)),
            "level": level,
            "sha256": set.sha256,
            "version": framework.version,
        }
    });
    println!("{out}");
}
