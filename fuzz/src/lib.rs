//! The fuzz targets' bodies, one function per target, and the checks every evaluation
//! must pass whatever its input. The libFuzzer binaries in `fuzz_targets/` call these; the
//! workspace's `tests/fuzz_corpus.rs` runs them too (this file included by path) on every
//! input of the committed corpus and on every input that once crashed, as ordinary tests.

use dti_core::{EvaluateOptions, Evaluation, Framework};
use std::sync::OnceLock;

/// A target's body: it panics on what it must not accept.
pub type Body = fn(&[u8]);

/// Every target, by the name of its binary and of its corpus folder.
pub const TARGETS: &[(&str, Body)] = &[
    ("framework", framework),
    ("coinr", coinr),
    ("data_csv", data_csv),
    ("data_json", data_json),
    ("data_xlsx", data_xlsx),
    ("submission", submission),
    ("evaluate", evaluate),
    ("merge", merge),
];

/// The indicator-file reader and validator, on TOML text (JSON when it starts with `{`).
pub fn framework(bytes: &[u8]) {
    let name = if bytes.first() == Some(&b'{') { "fuzz.json" } else { "fuzz.toml" };
    let _ = dti_core::load_framework(name, bytes);
}

/// COINr's iMeta table read as an indicator file (CSV, or Excel when the input is a zip).
pub fn coinr(bytes: &[u8]) {
    let name = if bytes.starts_with(b"PK") { "iMeta.xlsx" } else { "iMeta.csv" };
    let _ = dti_core::load_framework(name, bytes);
}

/// The CSV data reader (long and wide tables, evidence columns, COINr iData), then the
/// evaluation of whatever it accepts.
pub fn data_csv(bytes: &[u8]) {
    let (dataset, _) = dti_core::data::read_csv("fuzz.csv", bytes, ministry());
    evaluate_and_check(ministry(), dataset);
}

/// The JSON data reader, then the evaluation of whatever it accepts.
pub fn data_json(bytes: &[u8]) {
    evaluate_and_check(ministry(), dti_core::load_data("fuzz.json", bytes, ministry()).dataset);
}

/// The Excel data reader (the zip archive, its XML, the sheet's cells), then the evaluation.
pub fn data_xlsx(bytes: &[u8]) {
    let (dataset, _) = dti_core::data::read_xlsx("fuzz.xlsx", bytes, ministry());
    evaluate_and_check(ministry(), dataset);
}

/// A submission file as the web page exports it, read back and assessed.
pub fn submission(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Ok(submission) = dti_core::assessment::Submission::from_json("fuzz.json", text) else { return };
    let framework = if submission.framework.id == "vn-unit" { unit() } else { ministry() };
    let assessment = dti_core::assessment::assess(framework, &submission);
    if let Some(evaluation) = &assessment.evaluation {
        check(evaluation);
    }
    for step in dti_core::assessment::next_steps(framework, &submission, &assessment, 5) {
        assert!(step.gain > 0.0 && step.gain.is_finite(), "a next step gains: {}", step.gain);
    }
}

/// The whole evaluation with the indicator file and the data both fuzzed: an indicator
/// file (TOML), a line `%%`, then CSV data. Every period is evaluated and checked, then
/// the file's alert rules and the first units' improvement plans run on the series.
pub fn evaluate(bytes: &[u8]) {
    let (framework_bytes, data_bytes) = split(bytes);
    let Some(framework) = dti_core::load_framework("fuzz.toml", framework_bytes).framework else { return };
    let (Some(dataset), _) = dti_core::data::read_csv("fuzz.csv", data_bytes, &framework) else { return };
    let Ok(series) = dti_core::series::evaluate_series(&framework, &dataset, &EvaluateOptions::default()) else {
        return;
    };
    series.iter().for_each(check);
    let context = dti_core::alerts::AlertContext { dataset: &dataset, series: &series, as_of: None, verified: None };
    let _ = dti_core::alerts::check_alerts(&context);
    let Some(latest) = dataset.periods.len().checked_sub(1) else { return };
    let framework = std::sync::Arc::new(framework);
    let units: Vec<usize> = (0..dataset.n_units().min(4)).collect();
    if let Ok(plans) = dti_core::assessment::unit_plans(&framework, "", &dataset, latest, &units, 3) {
        for step in plans.iter().flatten() {
            assert!(step.gain > 0.0 && step.gain.is_finite(), "a plan's step gains: {}", step.gain);
        }
    }
}

/// Several CSV data files (separated by lines holding `%%` alone) merged as `dti merge`
/// merges them: what the merge writes reads back without an error, with no more units or
/// values than were merged (the CSV writer's escapes undone by the reader, every limit of
/// the readers kept on the way).
pub fn merge(bytes: &[u8]) {
    let mut merged = dti_core::assessment::merge::Merged::default();
    let mut rest = bytes;
    for part in 0..4 {
        let (file, after) = split(rest);
        if let (Some(dataset), _) = dti_core::data::read_csv(&format!("part-{part}.csv"), file, ministry()) {
            merged.add_dataset(&dataset, &format!("part-{part}.csv"));
        }
        if after.is_empty() {
            break;
        }
        rest = after;
    }
    let outcome = merged.finish(Some(dti_core::assessment::merge::Keep::Last));
    let mut written = Vec::new();
    outcome.write_long_csv(&mut written).expect("a merge writes to memory");
    let (units, values) = outcome.counts();
    if values == 0 {
        return;
    }
    let (read, diagnostics) = dti_core::data::read_csv("merged.csv", written.as_slice(), ministry());
    let Some(read) = read else {
        panic!("the merged CSV does not read back: {:?}", diagnostics.iter().find(|d| d.is_error()))
    };
    assert!(read.n_units() <= units, "{} units read back from {units} merged", read.n_units());
}

fn evaluate_and_check(framework: &Framework, dataset: Option<dti_core::Dataset>) {
    let Some(dataset) = dataset else { return };
    if let Ok(evaluation) = dti_core::evaluate(framework, &dataset, &EvaluateOptions::default()) {
        check(&evaluation);
    }
}

/// The default built-in indicator set (`vn-ministry`), loaded once.
fn ministry() -> &'static Framework {
    builtin(0)
}

/// The unit-level built-in set (`vn-unit`), loaded once.
fn unit() -> &'static Framework {
    builtin(1)
}

fn builtin(index: usize) -> &'static Framework {
    static LOADED: [OnceLock<Framework>; 2] = [OnceLock::new(), OnceLock::new()];
    LOADED[index].get_or_init(|| {
        let builtin = &dti_core::builtin::BUILTINS[index];
        dti_core::load_framework(builtin.file_name, builtin.framework.as_bytes())
            .framework
            .expect("the built-in sets are valid")
    })
}

/// What holds for any evaluation, whatever the indicator file and the data: ranks run
/// from 1 to at most the number of units, and every root score is finite and within the
/// range the indicator file gives the root.
pub fn check(evaluation: &Evaluation) {
    let framework = &evaluation.framework;
    let n_units = evaluation.n_units();
    for unit in 0..n_units {
        if let Some(rank) = evaluation.rank[unit] {
            assert!(rank >= 1 && rank as usize <= n_units, "rank {rank} of unit {unit} among {n_units}");
        }
        let Some(score) = evaluation.root_score(unit) else { continue };
        assert!(score.is_finite(), "root score {score} of unit {unit}");
        if let Some(range) = framework.nodes[framework.root()].range {
            let slack = 1e-9 * (range.high - range.low).abs().max(1.0);
            assert!(score >= range.low - slack && score <= range.high + slack, "root score {score} outside {range:?}");
        }
    }
}

/// Splits an input at the first line holding `%%` alone: an indicator file, then data.
pub fn split(bytes: &[u8]) -> (&[u8], &[u8]) {
    const SEPARATOR: &[u8] = b"\n%%\n";
    match bytes.windows(SEPARATOR.len()).position(|window| window == SEPARATOR) {
        Some(at) => (&bytes[..at + 1], &bytes[at + SEPARATOR.len()..]),
        None => (bytes, &[]),
    }
}
