//! One unit's self-assessment: what it typed per indicator (a [`Submission`]), its
//! evaluation with a problem per field, and "what to improve next".
//!
//! The web app keeps a submission as the user types and calls [`assess`] on every
//! change; the same function runs natively, so a submission scores the same everywhere.

use crate::data::values::{Parsed, checklist_points, parse_value};
use crate::data::{Cell, Dataset, DatasetBuilder, Unit, ValueDetails};
use crate::diag::to_u32;
use crate::evaluation::Evaluation;
use crate::framework::{Band, Framework, Scoring, ValueType};
use crate::pipeline::{EvaluateOptions, evaluate, evaluate_shared};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The format tag written in every exported submission.
pub const SUBMISSION_FORMAT: &str = "dti-submission/1";

/// The indicator file a submission was made against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkRef {
    /// The indicator set's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// What a unit entered for one indicator, exactly as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entry {
    /// The value as typed (a number, yes/no, a level); empty when not given.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Checked items of a checklist.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// A link proving the value.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// The date of the evidence (ISO 8601).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence_date: String,
    /// A free note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Entry {
    /// Whether nothing was entered.
    pub fn is_empty(&self) -> bool {
        *self == Entry::default()
    }
}

/// One unit's values for one period, as exported and imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// Always [`SUBMISSION_FORMAT`].
    pub format: String,
    /// The indicator file.
    pub framework: FrameworkRef,
    /// The unit's id.
    pub unit_id: String,
    /// The unit's name.
    pub unit_name: String,
    /// The unit's block, when the indicator set has blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    /// The period.
    pub period: String,
    /// When it was exported (ISO 8601), set by the caller: the engine has no clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    /// Entries by indicator id.
    #[serde(default)]
    pub values: BTreeMap<String, Entry>,
}

/// Why a submission file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SubmissionError {
    /// Not JSON, or not the shape of a submission.
    #[error("{file}: line {line}, column {column}: {message}")]
    Syntax {
        /// The file's name.
        file: String,
        /// Line from 1.
        line: usize,
        /// Column from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Another format.
    #[error("{file}: not a dti submission (format `{found}`, expected `{SUBMISSION_FORMAT}`)")]
    Format {
        /// The file's name.
        file: String,
        /// The format found.
        found: String,
    },
}

impl Submission {
    /// An empty submission on a framework.
    pub fn new(framework: &Framework, sha256: &str) -> Self {
        Self {
            format: SUBMISSION_FORMAT.into(),
            framework: FrameworkRef {
                id: framework.id.clone(),
                version: framework.version.clone(),
                sha256: sha256.into(),
            },
            ..Self::default()
        }
    }

    /// Reads an exported submission.
    pub fn from_json(file: &str, text: &str) -> Result<Self, SubmissionError> {
        let submission: Submission = serde_json::from_str(text).map_err(|error| SubmissionError::Syntax {
            file: file.into(),
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })?;
        if submission.format != SUBMISSION_FORMAT {
            return Err(SubmissionError::Format { file: file.into(), found: submission.format });
        }
        Ok(submission)
    }

    /// The submission a unit's values in one period of a data set stand for: every value
    /// as text (checklists as their items), with its evidence, date and note.
    pub fn from_dataset(framework: &Framework, sha256: &str, dataset: &Dataset, period: usize, unit: usize) -> Self {
        let info = &dataset.units[unit];
        let mut submission = Self::new(framework, sha256);
        submission.unit_id = info.id.clone();
        submission.unit_name = info.name.clone();
        submission.block = info.block.clone();
        submission.period = dataset.periods.get(period).cloned().unwrap_or_default();
        for node in &framework.nodes {
            let Some(indicator) = node.indicator() else { continue };
            let Some(variable) = dataset.variable_index(&node.id) else { continue };
            let value = dataset.tables.get(period).and_then(|table| table.get(variable, unit));
            let key = (to_u32(period), to_u32(unit), to_u32(variable));
            let details = dataset.details.get(&key);
            let text = |field: Option<&String>| field.cloned().unwrap_or_default();
            let mut entry = Entry {
                evidence: text(details.and_then(|details| details.evidence.as_ref())),
                evidence_date: text(details.and_then(|details| details.evidence_date.as_ref())),
                note: text(details.and_then(|details| details.note.as_ref())),
                ..Entry::default()
            };
            match (&indicator.value_type, details.and_then(|details| details.items.as_ref())) {
                (ValueType::Checklist { .. }, Some(items)) => entry.items = items.clone(),
                _ => entry.value = value.map(crate::framework::validate::format_number).unwrap_or_default(),
            }
            if entry != Entry::default() {
                submission.values.insert(node.id.clone(), entry);
            }
        }
        submission
    }

    /// The submission as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The result of assessing a submission.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The evaluation of the single unit (`None` when nothing could be evaluated).
    pub evaluation: Option<Evaluation>,
    /// A problem per indicator id whose value was refused (the value then counts as missing).
    pub problems: BTreeMap<String, String>,
    /// Indicators (scored and applicable) with a value, over those that apply.
    pub completeness: (usize, usize),
}

/// Evaluates one submission against a framework.
pub fn assess(framework: &Framework, submission: &Submission) -> Assessment {
    let (dataset, problems, completeness) = submission_dataset(framework, submission);
    let evaluation = dataset.and_then(|dataset| evaluate(framework, &dataset, &EvaluateOptions::default()).ok());
    Assessment { evaluation, problems, completeness }
}

/// A submission as a one-unit data set, with a problem per refused field and the
/// completeness (present, applicable). A refused value counts as missing: the rest of
/// the submission still scores.
fn submission_dataset(
    framework: &Framework,
    submission: &Submission,
) -> (Option<Dataset>, BTreeMap<String, String>, (usize, usize)) {
    let first = build_dataset(framework, submission, &BTreeMap::new());
    if first.1.is_empty() {
        return first;
    }
    // The builder refuses a whole data set with an error in it: build it again without
    // the refused values.
    let (dataset, _, _) = build_dataset(framework, submission, &first.1);
    (dataset, first.1, first.2)
}

/// [`submission_dataset`] leaving out the entries in `skip`.
fn build_dataset(
    framework: &Framework,
    submission: &Submission,
    skip: &BTreeMap<String, String>,
) -> (Option<Dataset>, BTreeMap<String, String>, (usize, usize)) {
    let unit_id = if submission.unit_id.is_empty() { "unit" } else { submission.unit_id.as_str() };
    let block = submission.block.as_deref().and_then(|block| framework.block_index(block));
    let mut builder = DatasetBuilder::new(framework, "submission");
    let unit = builder.unit(
        Unit {
            id: unit_id.into(),
            name: submission.unit_name.clone(),
            block: block.map(|index| framework.blocks[index].id.clone()),
            ..Unit::default()
        },
        0,
    );
    builder.touch(SUBMISSION_PERIOD, unit);
    let mut problems = BTreeMap::new();
    let (mut present, mut applicable) = (0, 0);
    for node in &framework.nodes {
        let Some(indicator) = node.indicator() else { continue };
        let entry = submission.values.get(&node.id);
        let applies = indicator.applies_to_block(block) && !indicator.info_only;
        applicable += usize::from(applies);
        let Some(entry) = entry.filter(|_| !skip.contains_key(&node.id)) else { continue };
        let Some(variable) = builder.variable(&node.id) else { continue };
        let cell = entry_cell(&indicator.value_type, entry);
        let had = builder.diagnostic_count();
        let details = ValueDetails {
            evidence: non_empty(&entry.evidence),
            evidence_date: non_empty(&entry.evidence_date),
            note: non_empty(&entry.note),
            ..ValueDetails::default()
        };
        builder.value(SUBMISSION_PERIOD, unit, variable, &cell, details, 0, None, false);
        if let Some(problem) = builder.diagnostics_since(had).find(|diagnostic| diagnostic.is_error()) {
            problems.insert(node.id.clone(), problem.message.clone());
        } else if applies && !matches!(cell, Cell::Empty) {
            present += 1;
        }
    }
    (builder.finish().0, problems, (present, applicable))
}

/// The period of the one-unit data set: a submission is evaluated on its own.
const SUBMISSION_PERIOD: &str = "-";

/// The cell a typed entry stands for.
fn entry_cell(value_type: &ValueType, entry: &Entry) -> Cell {
    match value_type {
        ValueType::Checklist { .. } if !entry.items.is_empty() => Cell::Text(entry.items.join(";")),
        _ if entry.value.trim().is_empty() => Cell::Empty,
        _ => Cell::Text(entry.value.clone()),
    }
}

/// The number the data builder stores for an entry: `NaN` when it is empty or refused.
fn entry_number(value_type: &ValueType, entry: &Entry) -> f64 {
    match parse_value(&entry_cell(value_type, entry), value_type) {
        Ok(Parsed::Number(number)) => number,
        Ok(Parsed::Items(items)) => checklist_points(Some(value_type), &items),
        Ok(Parsed::Missing) | Err(_) => f64::NAN,
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// A step that would raise the unit's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    /// The indicator's id.
    pub indicator: String,
    /// The entry after the step.
    pub to: Entry,
    /// The new value as shown (a number, a level's index, an item id).
    pub to_shown: String,
    /// Points gained on the index.
    pub gain: f64,
}

/// The indicators that would gain the most points for the smallest step: per indicator,
/// the smallest change that raises its score (the next band, level or item, yes instead
/// of no), with the gain on the index; best first, at most `limit`. `base` is the
/// submission's own assessment, which the caller has already made.
pub fn next_steps(framework: &Framework, submission: &Submission, base: &Assessment, limit: usize) -> Vec<NextStep> {
    let relative =
        framework.nodes.iter().filter_map(|node| node.indicator()).any(|indicator| indicator.scoring.is_relative());
    // With relative scoring a candidate's score depends on the units beside it: each is
    // then scored alone, as the unit's own assessment is. The batch is for publishing
    // thousands of plans; the browser computes one at a time and keeps its bundle small
    // (the two give the same steps, bit for bit: see the tests).
    let scoring =
        if relative || cfg!(target_arch = "wasm32") { CandidateScoring::OneByOne } else { CandidateScoring::Together };
    next_steps_scored(framework, submission, base, limit, scoring)
}

/// How the candidate steps of [`next_steps`] are scored: the same numbers either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CandidateScoring {
    /// The submission's data set evaluated again for each candidate.
    OneByOne,
    /// Every candidate a unit of one data set, evaluated once. Only for absolute scoring:
    /// the other steps that look across units (imputation, outlier treatment) change
    /// nothing for a lone unit, so they are turned off for the batch.
    Together,
}

/// One candidate step: an indicator's value changed to another.
struct Candidate {
    node: usize,
    variable: usize,
    to: Entry,
    shown: String,
    number: f64,
}

fn next_steps_scored(
    framework: &Framework,
    submission: &Submission,
    base: &Assessment,
    limit: usize,
    scoring: CandidateScoring,
) -> Vec<NextStep> {
    let root = framework.root();
    let current = base.evaluation.as_ref().and_then(|evaluation| evaluation.score(root, 0)).unwrap_or(0.0);
    let block = submission.block.as_deref().and_then(|block| framework.block_index(block));
    let mut steps: Vec<NextStep> = Vec::new();
    // Each candidate changes one number of the submission's data set: the same result as
    // assessing the changed submission, without rebuilding it.
    let Some(dataset) = submission_dataset(framework, submission).0 else { return steps };
    let mut candidates = Vec::new();
    for (index, node) in framework.nodes.iter().enumerate() {
        let Some(indicator) = node.indicator() else { continue };
        if indicator.info_only || !indicator.applies_to_block(block) {
            continue;
        }
        let entry = submission.values.get(&node.id).cloned().unwrap_or_default();
        // The current value, when it was accepted and scored.
        let value = base
            .evaluation
            .as_ref()
            .and_then(|evaluation| evaluation.score(index, 0))
            .and(entry.value.trim().parse::<f64>().ok());
        let Some(variable) = dataset.variable_index(&node.id) else { continue };
        for (to, shown) in candidates_for(&indicator.value_type, &indicator.scoring, &entry, value) {
            let number = entry_number(&indicator.value_type, &to);
            candidates.push(Candidate { node: index, variable, to, shown, number });
        }
    }
    let shared = Arc::new(framework.clone());
    let scores = match scoring {
        CandidateScoring::OneByOne => scores_one_by_one(&shared, &dataset, &candidates),
        CandidateScoring::Together => scores_together(&shared, &dataset, &candidates),
    };
    // Per indicator, its smallest step that gains anything.
    let mut done = vec![false; framework.nodes.len()];
    for (candidate, score) in candidates.into_iter().zip(scores) {
        let gain = score - current;
        if done[candidate.node] || gain <= 1e-9 {
            continue;
        }
        done[candidate.node] = true;
        let indicator = framework.nodes[candidate.node].id.clone();
        steps.push(NextStep { indicator, to: candidate.to, to_shown: candidate.shown, gain });
    }
    steps.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    steps.truncate(limit);
    steps
}

/// The root score with each candidate, evaluating the data set again for each.
fn scores_one_by_one(framework: &Arc<Framework>, dataset: &Dataset, candidates: &[Candidate]) -> Vec<f64> {
    let root = framework.root();
    candidates
        .iter()
        .map(|candidate| {
            let mut changed = dataset.clone();
            changed.tables[0].values[candidate.variable] = candidate.number;
            evaluate_shared(framework, &changed, &EvaluateOptions::default())
                .ok()
                .and_then(|evaluation| evaluation.score(root, 0))
                .unwrap_or(0.0)
        })
        .collect()
}

/// The root score with each candidate, all evaluated at once: one unit per candidate (a
/// copy of the submission's unit with that one value changed).
fn scores_together(framework: &Arc<Framework>, dataset: &Dataset, candidates: &[Candidate]) -> Vec<f64> {
    let (Some(unit), Some(table)) = (dataset.units.first(), dataset.tables.first()) else {
        return vec![0.0; candidates.len()];
    };
    let width = table.n_variables;
    let Some(row) = table.values.get(..width) else { return vec![0.0; candidates.len()] };
    let mut values = repeated(row, candidates.len());
    for (row, candidate) in candidates.iter().enumerate() {
        values[row * width + candidate.variable] = candidate.number;
    }
    let batch = Dataset {
        units: (0..candidates.len()).map(|row| Unit { id: row.to_string(), ..unit.clone() }).collect(),
        periods: dataset.periods.clone(),
        variables: dataset.variables.clone(),
        tables: vec![crate::data::PeriodTable {
            present: vec![table.present.first().copied().unwrap_or(true); candidates.len()],
            values,
            n_variables: width,
            evidence_days: repeated(&table.evidence_days, candidates.len()),
            item_masks: repeated(&table.item_masks, candidates.len()),
        }],
        details: BTreeMap::new(),
        groups: dataset
            .groups
            .iter()
            .map(|group| crate::data::GroupColumn {
                values: vec![group.values.first().copied().flatten(); candidates.len()],
                ..group.clone()
            })
            .collect(),
    };
    let options = EvaluateOptions {
        overrides: crate::pipeline::Overrides {
            impute: Some(crate::framework::Impute::None),
            winsorise: Some(0),
            ..Default::default()
        },
        ..EvaluateOptions::default()
    };
    let mut scores = vec![0.0; candidates.len()];
    if let Ok(evaluation) = evaluate_shared(framework, &batch, &options) {
        let root = framework.root();
        for position in 0..evaluation.n_units() {
            if let Some(score) = evaluation.units[position].id.parse::<usize>().ok().and_then(|row| scores.get_mut(row))
            {
                *score = evaluation.score(root, position).unwrap_or(0.0);
            }
        }
    }
    scores
}

/// A step of a unit's improvement plan as people read it: the value now and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanStep {
    /// The indicator's id.
    pub indicator: String,
    /// The value now (checklists as their items joined by `;`), empty when missing.
    pub from: String,
    /// The value after the step, written the same way.
    pub to: String,
    /// Points gained on the index.
    pub gain: f64,
}

/// Why a unit has no improvement plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoPlan {
    /// Some indicator is scored against the other units, so one unit's step has no fixed gain.
    #[error(
        "the plan needs absolute scoring rules; this indicator file scores some indicators against the other units"
    )]
    RelativeScoring,
}

/// The improvement plan of one unit of a data set in one period (`period` and `unit` are
/// indices into the data set): [`next_steps`] on the submission its values stand for.
pub fn unit_plan(
    framework: &Framework,
    sha256: &str,
    dataset: &Dataset,
    period: usize,
    unit: usize,
    limit: usize,
) -> Result<Vec<PlanStep>, NoPlan> {
    let relative =
        framework.nodes.iter().filter_map(|node| node.indicator()).any(|indicator| indicator.scoring.is_relative());
    if relative {
        return Err(NoPlan::RelativeScoring);
    }
    let submission = Submission::from_dataset(framework, sha256, dataset, period, unit);
    let base = assess(framework, &submission);
    let shown = |entry: &Entry| if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
    Ok(next_steps(framework, &submission, &base, limit)
        .into_iter()
        .map(|step| PlanStep {
            from: submission.values.get(&step.indicator).map(shown).unwrap_or_default(),
            to: shown(&step.to),
            indicator: step.indicator,
            gain: step.gain,
        })
        .collect())
}

/// `items` one after the other `times` times.
fn repeated<T: Copy>(items: &[T], times: usize) -> Vec<T> {
    items.iter().copied().cycle().take(items.len() * times).collect()
}

/// Candidate next entries for an indicator, smallest step first.
fn candidates_for(
    value_type: &ValueType,
    scoring: &Scoring,
    entry: &Entry,
    value: Option<f64>,
) -> Vec<(Entry, String)> {
    let with_value = |number: f64| {
        let shown = crate::framework::validate::format_number(number);
        (Entry { value: shown.clone(), ..entry.clone() }, shown)
    };
    match value_type {
        ValueType::Boolean => vec![(Entry { value: "1".into(), ..entry.clone() }, "1".into())],
        ValueType::Ordinal { labels } => {
            let mut levels: Vec<f64> = labels.iter().map(|label| label.value).collect();
            levels.sort_by(f64::total_cmp);
            levels.into_iter().filter(|level| value.is_none_or(|value| *level > value)).map(with_value).collect()
        }
        ValueType::Checklist { items } => {
            let mut missing: Vec<_> = items.iter().filter(|item| !entry.items.contains(&item.id)).collect();
            missing.sort_by(|a, b| b.points.total_cmp(&a.points));
            missing
                .into_iter()
                .map(|item| {
                    let mut items = entry.items.clone();
                    items.push(item.id.clone());
                    (Entry { items, ..entry.clone() }, item.id.clone())
                })
                .collect()
        }
        _ => {
            let range = value_type.range();
            let current = value.unwrap_or_else(|| range.map_or(0.0, |range| range.low));
            let mut targets: Vec<f64> = match scoring {
                Scoring::Bands { bands } => band_starts(bands).filter(|start| *start > current).collect(),
                _ => Vec::new(),
            };
            // Without bands: a tenth of the range (or of the value) at a time.
            let step = range.map_or(current.abs().max(1.0) / 10.0, |range| (range.high - range.low) / 10.0);
            targets.extend((1..=10).map(|k| current + step * f64::from(k)));
            targets
                .into_iter()
                .map(|target| range.map_or(target, |range| target.min(range.high)))
                .filter(|target| *target > current || value.is_none())
                .map(with_value)
                .collect()
        }
    }
}

fn band_starts(bands: &[Band]) -> impl Iterator<Item = f64> + '_ {
    bands.iter().filter_map(|band| band.from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    fn ministry() -> (Framework, String) {
        let set = builtin::builtin("vn-ministry").expect("built in");
        let loaded = crate::load_framework(set.file_name, set.framework.as_bytes());
        (loaded.framework.expect("valid"), loaded.sha256)
    }

    #[test]
    fn candidates_scored_together_give_the_steps_of_candidates_scored_one_by_one() {
        for id in ["vn-ministry", "vn-unit"] {
            let set = builtin::builtin(id).expect("built in");
            let loaded = crate::load_framework(set.file_name, set.framework.as_bytes());
            let framework = loaded.framework.expect("valid");
            let data = crate::data::load_data(set.data_name, set.data().as_bytes(), &framework);
            let dataset = data.dataset.expect("the sample reads");
            let last = dataset.periods.len() - 1;
            let mut compared = 0;
            for unit in 0..dataset.units.len() {
                if !dataset.tables[last].present[unit] {
                    continue;
                }
                let submission = Submission::from_dataset(&framework, &loaded.sha256, &dataset, last, unit);
                let base = assess(&framework, &submission);
                let together =
                    next_steps_scored(&framework, &submission, &base, usize::MAX, CandidateScoring::Together);
                let alone = next_steps_scored(&framework, &submission, &base, usize::MAX, CandidateScoring::OneByOne);
                assert!(!alone.is_empty(), "{id} {}: no step to compare", submission.unit_id);
                assert_eq!(together, alone, "{id} {}", submission.unit_id);
                compared += 1;
            }
            assert!(compared >= 10, "{id}: {compared} units");
        }
    }

    #[test]
    fn an_empty_submission_scores_zero_and_is_incomplete() {
        let (framework, sha) = ministry();
        let submission = Submission::new(&framework, &sha);
        let assessment = assess(&framework, &submission);
        assert!(assessment.problems.is_empty());
        assert_eq!(assessment.completeness.0, 0);
        assert!(assessment.completeness.1 > 20);
        let evaluation = assessment.evaluation.expect("evaluates");
        assert_eq!(evaluation.root_score(0).unwrap_or(0.0), 0.0);
    }

    #[test]
    fn a_refused_value_is_reported_for_its_field_and_counts_as_missing() {
        let (framework, sha) = ministry();
        let percent = framework
            .nodes
            .iter()
            .find(|node| node.indicator().is_some_and(|i| i.value_type == ValueType::Percent))
            .expect("a percent indicator");
        let mut submission = Submission::new(&framework, &sha);
        submission.values.insert(percent.id.clone(), Entry { value: "140".into(), ..Entry::default() });
        let assessment = assess(&framework, &submission);
        let problem = &assessment.problems[&percent.id];
        assert!(problem.contains("140"), "{problem}");
        assert_eq!(assessment.completeness.0, 0);
    }

    #[test]
    fn a_refused_value_leaves_the_rest_of_the_submission_scoring_as_if_it_were_missing() {
        let (framework, sha) = ministry();
        let indicators: Vec<_> = framework
            .nodes
            .iter()
            .filter(|node| node.indicator().is_some_and(|i| i.value_type == ValueType::Percent))
            .map(|node| node.id.clone())
            .collect();
        let mut without = Submission::new(&framework, &sha);
        for id in &indicators[1..] {
            without.values.insert(id.clone(), Entry { value: "60".into(), ..Entry::default() });
        }
        let mut with_refused = without.clone();
        with_refused.values.insert(indicators[0].clone(), Entry { value: "140".into(), ..Entry::default() });
        let root = framework.root();
        let score = |submission: &Submission| {
            let assessment = assess(&framework, submission);
            (
                assessment.evaluation.expect("evaluates").score(root, 0),
                assessment.completeness,
                assessment.problems.len(),
            )
        };
        let (refused, refused_completeness, problems) = score(&with_refused);
        let (missing, missing_completeness, _) = score(&without);
        assert!(refused.is_some_and(|score| score > 0.0));
        assert_eq!((refused, refused_completeness, problems), (missing, missing_completeness, 1));
        let steps = next_steps(&framework, &with_refused, &assess(&framework, &with_refused), 3);
        assert_eq!(steps.len(), 3, "next steps still come");
    }

    #[test]
    fn following_any_next_step_gains_exactly_what_it_promised() {
        let (framework, sha) = ministry();
        let mut submission = Submission::new(&framework, &sha);
        // Part-filled: some indicators have values, so steps start from them.
        for node in framework.nodes.iter().filter(|node| node.indicator().is_some()).step_by(3) {
            let indicator = node.indicator().expect("an indicator");
            let value = match &indicator.value_type {
                ValueType::Percent => "35",
                ValueType::Boolean => "0",
                ValueType::Ordinal { labels } => &crate::framework::validate::format_number(labels[0].value),
                _ => continue,
            };
            submission.values.insert(node.id.clone(), Entry { value: value.into(), ..Entry::default() });
        }
        let base = assess(&framework, &submission);
        let steps = next_steps(&framework, &submission, &base, 50);
        assert!(steps.len() >= 5, "{steps:?}");
        assert!(steps.windows(2).all(|pair| pair[0].gain >= pair[1].gain));
        let root = framework.root();
        let before = base.evaluation.as_ref().unwrap().score(root, 0).unwrap_or(0.0);
        for step in &steps {
            let mut improved = submission.clone();
            improved.values.insert(step.indicator.clone(), step.to.clone());
            let after = assess(&framework, &improved).evaluation.unwrap().score(root, 0).unwrap();
            assert_eq!(after - before, step.gain, "{step:?}");
        }
    }

    #[test]
    fn a_data_set_row_becomes_a_submission_that_scores_the_same() {
        let (framework, sha) = ministry();
        let set = builtin::builtin("vn-ministry").expect("built in");
        let dataset = crate::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("reads");
        let period = dataset.period_index("2025").expect("2025");
        let evaluation = evaluate(
            &framework,
            &dataset,
            &EvaluateOptions { period: Some("2025".into()), ..EvaluateOptions::default() },
        )
        .expect("evaluates");
        for position in [0, 5, 11] {
            let unit = evaluation.units.dataset_index(position);
            let submission = Submission::from_dataset(&framework, &sha, &dataset, period, unit);
            assert_eq!(submission.unit_id, evaluation.units[position].id);
            let alone = assess(&framework, &submission);
            assert!(alone.problems.is_empty(), "{:?}", alone.problems);
            let score = alone.evaluation.expect("evaluates").root_score(0);
            assert_eq!(score, evaluation.root_score(position), "{}", submission.unit_id);
        }
    }

    #[test]
    fn a_submission_round_trips_through_json_and_other_formats_are_refused() {
        let (framework, sha) = ministry();
        let mut submission = Submission::new(&framework, &sha);
        submission.unit_name = "Bộ Thử nghiệm".into();
        submission.values.insert(
            "x".into(),
            Entry { value: "12.5".into(), evidence: "https://example.vn/a".into(), ..Entry::default() },
        );
        let back = Submission::from_json("s.json", &submission.to_json()).unwrap();
        assert_eq!(back, submission);
        let other = submission.to_json().replace(SUBMISSION_FORMAT, "something/2");
        assert!(matches!(Submission::from_json("s.json", &other), Err(SubmissionError::Format { .. })));
        let broken = Submission::from_json("s.json", "{\n  \"format\": ");
        assert!(matches!(broken, Err(SubmissionError::Syntax { line: 2, .. })), "{broken:?}");
    }
}
