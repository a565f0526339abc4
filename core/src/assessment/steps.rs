//! "What to improve next": the candidate steps of a submission, scored, and the
//! improvement plans of a data set's units, scored in batches.

use super::{Assessment, Entry, NO_ENTRY, Submission, assess, entry_number, submission_dataset};
use crate::data::Dataset;
use crate::evaluation::Evaluation;
use crate::framework::{Band, Framework, Scoring, ValueType};
use crate::pipeline::{EvaluateOptions, evaluate_shared};
use crate::text::format_number;
use serde::Serialize;
use std::sync::Arc;

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
    let relative = framework.scores_relatively();
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
    target: Target,
    /// The number the changed entry stands for (as the data builder reads it).
    number: f64,
}

/// What a candidate step changes an entry to.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// A new value as typed (a level's value, 1 for yes).
    Value(String),
    /// A new number (for numbers, percentages and counts).
    Number(f64),
    /// A checklist item checked besides those already checked.
    Item(String),
}

impl Target {
    /// The new value as shown: the value, or the item's id.
    fn shown(&self) -> String {
        match self {
            Target::Value(value) | Target::Item(value) => value.clone(),
            Target::Number(number) => format_number(*number),
        }
    }

    /// `entry` after the step.
    fn apply(&self, entry: &Entry) -> Entry {
        match self {
            Target::Value(_) | Target::Number(_) => Entry { value: self.shown(), ..entry.clone() },
            Target::Item(item) => {
                let mut changed = entry.clone();
                changed.items.push(item.clone());
                changed
            }
        }
    }

    /// The number `entry` stands for after the step, as the data builder reads it (`NaN`
    /// when it would refuse it).
    fn number(&self, value_type: &ValueType, entry: &Entry) -> f64 {
        match self {
            // What reading the number as typed gives: the shortest text that reads back
            // as the same number, checked against the range.
            Target::Number(number) if crate::data::values::in_range(*number, value_type) => *number,
            Target::Number(_) => f64::NAN,
            Target::Value(value) => entry_number(value_type, &Entry { value: value.clone(), ..Entry::default() }),
            Target::Item(_) => {
                entry_number(value_type, &self.apply(&Entry { items: entry.items.clone(), ..Entry::default() }))
            }
        }
    }
}

fn next_steps_scored(
    framework: &Framework,
    submission: &Submission,
    base: &Assessment,
    limit: usize,
    scoring: CandidateScoring,
) -> Vec<NextStep> {
    // Each candidate changes one number of the submission's data set: the same result as
    // assessing the changed submission, without rebuilding it.
    let Some(dataset) = submission_dataset(framework, submission).0 else { return Vec::new() };
    let scored = |node: usize| base.evaluation.as_ref().and_then(|evaluation| evaluation.score(node, 0));
    let current = scored(framework.root()).unwrap_or(0.0);
    let candidates = candidates(framework, submission, &dataset, scored);
    let shared = Arc::new(framework.clone());
    let scores = match scoring {
        CandidateScoring::OneByOne => scores_one_by_one(&shared, &dataset, &candidates),
        CandidateScoring::Together => {
            let rows: Vec<Row> = candidates.iter().map(|candidate| candidate.row(&dataset)).collect();
            root_scores(&shared, &rows)
        }
    };
    best_steps(framework, submission, candidates, &scores, current, limit)
}

/// Every candidate step of a submission (`dataset` is its one-unit data set; `scored`
/// gives a node's score in its own assessment): per applicable indicator, its next
/// values, smallest step first.
fn candidates(
    framework: &Framework,
    submission: &Submission,
    dataset: &Dataset,
    scored: impl Fn(usize) -> Option<f64>,
) -> Vec<Candidate> {
    let block = submission.block.as_deref().and_then(|block| framework.block_index(block));
    let mut candidates = Vec::new();
    for (index, node) in framework.nodes.iter().enumerate() {
        let Some(indicator) = node.indicator() else { continue };
        if indicator.info_only || !indicator.applies_to_block(block) {
            continue;
        }
        let entry = submission.values.get(&node.id).unwrap_or(&NO_ENTRY);
        // The current value, when it was accepted and scored.
        let value = scored(index).and(entry.value.trim().parse::<f64>().ok());
        let Some(variable) = dataset.variable_index(&node.id) else { continue };
        for target in candidates_for(&indicator.value_type, &indicator.scoring, entry, value) {
            let number = target.number(&indicator.value_type, entry);
            candidates.push(Candidate { node: index, variable, target, number });
        }
    }
    candidates
}

impl Candidate {
    /// The submission's row with this candidate's value.
    fn row<'a>(&self, dataset: &'a Dataset) -> Row<'a> {
        Row { dataset, change: Some((self.variable, self.number)) }
    }
}

/// Per indicator, its smallest candidate step that gains anything over `current` (given
/// each candidate's root score); best first, at most `limit`.
fn best_steps(
    framework: &Framework,
    submission: &Submission,
    candidates: Vec<Candidate>,
    scores: &[f64],
    current: f64,
    limit: usize,
) -> Vec<NextStep> {
    let mut gains = Vec::new();
    let mut done = vec![false; framework.nodes.len()];
    for (index, (candidate, score)) in candidates.iter().zip(scores).enumerate() {
        let gain = score - current;
        if !done[candidate.node] && gain > GAIN_EPSILON {
            done[candidate.node] = true;
            gains.push((index, gain));
        }
    }
    ranked_steps(framework, submission, candidates, gains, limit)
}

/// A gain below this is rounding, not a step.
const GAIN_EPSILON: f64 = 1e-9;

/// The chosen candidates (by index, with their gains) as steps: best first, ties in the
/// indicators' order, at most `limit`.
fn ranked_steps(
    framework: &Framework,
    submission: &Submission,
    candidates: Vec<Candidate>,
    mut gains: Vec<(usize, f64)>,
    limit: usize,
) -> Vec<NextStep> {
    gains.sort_by_key(|(index, _)| *index);
    let mut chosen = gains.into_iter().peekable();
    let mut steps: Vec<NextStep> = Vec::new();
    for (index, candidate) in candidates.into_iter().enumerate() {
        let Some((_, gain)) = chosen.next_if(|(chosen, _)| *chosen == index) else { continue };
        let indicator = framework.nodes[candidate.node].id.clone();
        let to = candidate.target.apply(submission.values.get(&indicator).unwrap_or(&NO_ENTRY));
        let to_shown = candidate.target.shown();
        steps.push(NextStep { indicator, to, to_shown, gain });
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
            changed.tables[0].set(candidate.variable, 0, candidate.number);
            evaluate_shared(framework, &changed, &EvaluateOptions::default())
                .ok()
                .and_then(|evaluation| evaluation.score(root, 0))
                .unwrap_or(0.0)
        })
        .collect()
}

/// A unit of a batch: the unit of a one-unit data set (a submission's), with at most one
/// value changed.
struct Row<'a> {
    dataset: &'a Dataset,
    /// The variable changed, and its new number.
    change: Option<(usize, f64)>,
}

/// The root score of each row, all evaluated at once (0 for a row with none).
fn root_scores(framework: &Arc<Framework>, rows: &[Row]) -> Vec<f64> {
    let root = framework.root();
    let mut scores = vec![0.0; rows.len()];
    if let Some((evaluation, positions)) = evaluate_rows(framework, rows) {
        for (score, position) in scores.iter_mut().zip(positions) {
            *score = position.and_then(|position| evaluation.score(root, position)).unwrap_or(0.0);
        }
    }
    scores
}

/// Evaluates rows as the units of one data set, with each row's position in the
/// evaluation. Only for absolute scoring: a unit's result then does not depend on the
/// units beside it, once the steps that look across units (imputation, outlier
/// treatment), which change nothing for a lone unit, are turned off.
fn evaluate_rows(framework: &Arc<Framework>, rows: &[Row]) -> Option<(Evaluation, Vec<Option<usize>>)> {
    let batch = Dataset::stack_first_units(rows.iter().map(|row| (row.dataset, row.change)))?;
    let options = EvaluateOptions {
        overrides: crate::pipeline::Overrides {
            impute: Some(crate::framework::Impute::None),
            winsorise: Some(0),
            ..Default::default()
        },
        ..EvaluateOptions::default()
    };
    let evaluation = evaluate_shared(framework, &batch, &options).ok()?;
    let mut positions = vec![None; rows.len()];
    for position in 0..evaluation.n_units() {
        if let Some(slot) = evaluation.units[position].id.parse::<usize>().ok().and_then(|row| positions.get_mut(row)) {
            *slot = Some(position);
        }
    }
    Some((evaluation, positions))
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

impl PlanStep {
    /// A step of `submission`'s plan as people read it.
    fn of(step: NextStep, submission: &Submission) -> Self {
        let shown = |entry: &Entry| if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
        PlanStep {
            from: submission.values.get(&step.indicator).map(shown).unwrap_or_default(),
            to: shown(&step.to),
            indicator: step.indicator,
            gain: step.gain,
        }
    }
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
    if framework.scores_relatively() {
        return Err(NoPlan::RelativeScoring);
    }
    let submission = Submission::from_dataset(framework, sha256, dataset, period, unit);
    let base = assess(framework, &submission);
    Ok(next_steps(framework, &submission, &base, limit)
        .into_iter()
        .map(|step| PlanStep::of(step, &submission))
        .collect())
}

/// The improvement plans of several units of a data set in one period (indices into the
/// data set), each as [`unit_plan`] gives it, scored in two batches: every unit's own
/// values, then every candidate step of every unit. For publishing thousands of plans.
pub fn unit_plans(
    framework: &Arc<Framework>,
    sha256: &str,
    dataset: &Dataset,
    period: usize,
    units: &[usize],
    limit: usize,
) -> Result<Vec<Vec<PlanStep>>, NoPlan> {
    if framework.scores_relatively() {
        return Err(NoPlan::RelativeScoring);
    }
    let submissions: Vec<Submission> =
        units.iter().map(|&unit| Submission::from_dataset(framework, sha256, dataset, period, unit)).collect();
    let datasets: Vec<Option<Dataset>> =
        submissions.iter().map(|submission| submission_dataset(framework, submission).0).collect();
    // Every unit's own values: its current score, and which indicators score.
    let own: Vec<Row> = datasets.iter().flatten().map(|dataset| Row { dataset, change: None }).collect();
    let base = evaluate_rows(framework, &own);
    // Per unit: its candidates and current score; per indicator of each unit, the
    // candidates not tried yet.
    let mut per_unit = Vec::with_capacity(units.len());
    let mut untried: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut next_own = 0;
    for (submission, dataset) in submissions.iter().zip(&datasets) {
        let Some(dataset) = dataset else {
            per_unit.push(None);
            continue;
        };
        let position = base.as_ref().and_then(|(_, positions)| positions[next_own]);
        next_own += 1;
        let scored =
            |node: usize| base.as_ref().zip(position).and_then(|((evaluation, _), at)| evaluation.score(node, at));
        let current = scored(framework.root()).unwrap_or(0.0);
        let candidates = candidates(framework, submission, dataset, scored);
        let mut start = 0;
        for end in 1..=candidates.len() {
            if end == candidates.len() || candidates[end].node != candidates[start].node {
                untried.push((per_unit.len(), start..end));
                start = end;
            }
        }
        per_unit.push(Some((dataset, candidates, current, Vec::new())));
    }
    // Rounds: every indicator's next untried candidate, all scored together, until each
    // indicator has its first step that gains (most do with their first candidate).
    while !untried.is_empty() {
        let rows: Vec<Row> = untried
            .iter()
            .filter_map(|(unit, range)| {
                let (dataset, candidates, ..) = per_unit[*unit].as_ref()?;
                Some(candidates[range.start].row(dataset))
            })
            .collect();
        let scores = root_scores(framework, &rows);
        untried = untried
            .into_iter()
            .zip(scores)
            .filter_map(|((unit, range), score)| {
                let (_, _, current, gains) = per_unit[unit].as_mut()?;
                let gain = score - *current;
                if gain > GAIN_EPSILON {
                    gains.push((range.start, gain));
                    return None;
                }
                Some((unit, range.start + 1..range.end)).filter(|(_, rest)| !rest.is_empty())
            })
            .collect();
    }
    Ok(per_unit
        .into_iter()
        .zip(&submissions)
        .map(|(unit, submission)| {
            let Some((_, candidates, _, gains)) = unit else { return Vec::new() };
            ranked_steps(framework, submission, candidates, gains, limit)
                .into_iter()
                .map(|step| PlanStep::of(step, submission))
                .collect()
        })
        .collect())
}

/// Candidate next entries for an indicator, smallest step first.
fn candidates_for(value_type: &ValueType, scoring: &Scoring, entry: &Entry, value: Option<f64>) -> Vec<Target> {
    let with_value = |number: f64| Target::Value(format_number(number));
    match value_type {
        ValueType::Boolean => vec![Target::Value("1".into())],
        ValueType::Ordinal { labels } => {
            let mut levels: Vec<f64> = labels.iter().map(|label| label.value).collect();
            levels.sort_by(f64::total_cmp);
            levels.into_iter().filter(|level| value.is_none_or(|value| *level > value)).map(with_value).collect()
        }
        ValueType::Checklist { items } => {
            let mut missing: Vec<_> = items.iter().filter(|item| !entry.items.contains(&item.id)).collect();
            missing.sort_by(|a, b| b.points.total_cmp(&a.points));
            missing.into_iter().map(|item| Target::Item(item.id.clone())).collect()
        }
        _ => {
            let range = value_type.range();
            let current = value.unwrap_or_else(|| range.map_or(0.0, |range| range.low));
            let mut targets: Vec<f64> = match scoring {
                Scoring::Bands { bands } => band_starts(bands).filter(|start| *start > current).collect(),
                _ => Vec::new(),
            };
            // Without bands: a tenth of the range (or of the value) at a time; counts in
            // whole numbers.
            let step = range.map_or(current.abs().max(1.0) / 10.0, |range| (range.high - range.low) / 10.0);
            targets.extend((1..=10).map(|k| current + step * f64::from(k)));
            let whole = matches!(value_type, ValueType::Count { .. });
            let mut targets: Vec<f64> = targets
                .into_iter()
                .map(|target| if whole { target.ceil() } else { target })
                .map(|target| range.map_or(target, |range| target.min(range.high)))
                .filter(|target| *target > current || value.is_none())
                .collect();
            targets.dedup();
            targets.into_iter().map(Target::Number).collect()
        }
    }
}

fn band_starts(bands: &[Band]) -> impl Iterator<Item = f64> + '_ {
    bands.iter().filter_map(|band| band.from)
}

#[cfg(test)]
mod tests {
    use super::super::ministry;
    use super::*;
    use crate::builtin;

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
    fn plans_made_in_a_batch_are_the_plans_made_one_by_one() {
        let mut compared = 0;
        for set in builtin::BUILTINS {
            let loaded = crate::load_framework(set.file_name, set.framework.as_bytes());
            let framework = Arc::new(loaded.framework.expect("valid"));
            let data = crate::data::load_data(set.data_name, set.data().as_bytes(), &framework);
            let mut dataset = data.dataset.expect("the sample reads");
            // One unit with nothing entered, one that is absent from the period.
            let last = dataset.periods.len() - 1;
            for variable in 0..dataset.tables[last].n_variables {
                dataset.tables[last].set(variable, 0, f64::NAN);
            }
            dataset.tables[last].present[1] = false;
            let units: Vec<usize> = (0..dataset.units.len()).collect();
            let batch = unit_plans(&framework, &loaded.sha256, &dataset, last, &units, 5);
            let Ok(batch) = batch else {
                let alone = unit_plan(&framework, &loaded.sha256, &dataset, last, 0, 5);
                assert_eq!(alone, Err(NoPlan::RelativeScoring), "{}", set.id);
                continue;
            };
            let mut steps = 0;
            for (&unit, plan) in units.iter().zip(&batch) {
                let alone = unit_plan(&framework, &loaded.sha256, &dataset, last, unit, 5).expect("absolute scoring");
                assert_eq!(plan, &alone, "{}: unit {}", set.id, dataset.units[unit].id);
                steps += plan.len();
            }
            assert!(steps >= 20, "{}: only {steps} steps compared", set.id);
            assert!(!batch[0].is_empty(), "{}: the unit with nothing entered has steps to take", set.id);
            compared += 1;
        }
        assert!(compared >= 3, "{compared} indicator sets with plans");
    }

    #[test]
    fn a_count_is_raised_by_the_smallest_whole_number_that_gains() {
        let set = builtin::builtin("vn-ministry").expect("built in");
        let bands = "scoring = { method = \"bands\", bands = [\n    { to = 1, points = 0 },\n    { from = 1, to = 12, points = 10 },\n    { from = 12, to = 24, points = 20 },\n    { from = 24, points = 30 },\n] }";
        assert!(set.framework.contains(bands));
        let edited = set.framework.replacen(bands, "scoring = { method = \"goalposts\", lower = 0, upper = 40 }", 1);
        let loaded = crate::load_framework("counts.toml", edited.as_bytes());
        let framework = loaded.framework.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        let mut submission = Submission::new(&framework, &loaded.sha256);
        submission.values.insert("aw-communication".into(), Entry { value: "7".into(), ..Entry::default() });
        let base = assess(&framework, &submission);
        let steps = next_steps(&framework, &submission, &base, usize::MAX);
        let step = steps.iter().find(|step| step.indicator == "aw-communication").expect("a step for the count");
        // A tenth of the value is 0.7: the next whole number, not a fraction a count refuses.
        assert_eq!(step.to.value, "8");
        assert_eq!(step.to_shown, "8");
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
                ValueType::Ordinal { labels } => &crate::text::format_number(labels[0].value),
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
}
