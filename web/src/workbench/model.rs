//! What the workbench shows, computed from the indicator file's text, the weights set by
//! the sliders and the data: pure, and tested natively.

use dti_core::framework::changes::{FrameworkChange, framework_changes};
use dti_core::pipeline::{EvaluateOptions, Overrides};
use dti_core::{Dataset, Evaluation, Framework};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A problem of the file, at its line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Line from 1 (0 when unknown).
    pub line: u32,
    /// Column from 1.
    pub column: u32,
    /// The message.
    pub message: std::sync::Arc<dti_core::message::Message>,
    /// An error (the file is refused) or a warning.
    pub error: bool,
}

/// One unit in the edited ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The unit's id.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its score with the edits.
    pub score: Option<f64>,
    /// Its block (the ministry view and the publication rank within blocks).
    pub block: Option<String>,
    /// Its rank within its block with the edits.
    pub rank: Option<u32>,
    /// Places gained in its block against the original file (positive: up).
    pub change: Option<i64>,
}

/// The workbench's view of one state of the edits.
#[derive(Debug, Clone)]
pub struct View {
    /// The file's problems as typed.
    pub problems: Vec<Problem>,
    /// The edited framework (the last valid one when the text has errors), with the
    /// sliders' weights applied.
    pub framework: Option<Rc<Framework>>,
    /// Whether the text as typed is valid (otherwise the view shows the last valid one).
    pub valid: bool,
    /// The ranking with the edits, best first.
    pub rows: Vec<Row>,
    /// What the edits change against the original file.
    pub changes: Vec<FrameworkChange>,
    /// The highest score, when the edits take it past the scale's maximum.
    pub over_scale: Option<f64>,
    /// Why nothing is ranked, when the edited evaluation failed.
    pub failure: Option<String>,
}

/// The file's problems, located.
pub fn problems(diagnostics: &[dti_core::Diagnostic]) -> Vec<Problem> {
    diagnostics
        .iter()
        .map(|diagnostic| Problem {
            line: diagnostic.location.line,
            column: diagnostic.location.column,
            message: diagnostic.message.clone(),
            error: diagnostic.is_error(),
        })
        .collect()
}

/// The framework with the sliders' weights (those naming a node of it).
pub fn weighted(framework: &Framework, weights: &BTreeMap<String, f64>) -> Framework {
    let mut edited = framework.clone();
    for (id, weight) in weights {
        if let Some(node) = edited.node_index(id) {
            edited.nodes[node].weight = *weight;
        }
    }
    edited
}

/// Evaluates the edits: `parsed` is the text's framework (`None` when invalid, then
/// `last_valid` stands in), `weights` the sliders'.
pub fn view(
    original: &Evaluation,
    parsed: Option<&Framework>,
    last_valid: &Framework,
    problems: Vec<Problem>,
    weights: &BTreeMap<String, f64>,
    dataset: &Dataset,
) -> View {
    let valid = parsed.is_some();
    let base = parsed.unwrap_or(last_valid);
    let framework = Rc::new(weighted(base, weights));
    let changes = framework_changes(&original.framework, &framework);
    let weights: BTreeMap<String, f64> =
        weights.iter().filter(|(id, _)| base.node_index(id).is_some()).map(|(id, w)| (id.clone(), *w)).collect();
    let options = EvaluateOptions {
        period: Some(original.period.clone()),
        overrides: Overrides { weights, ..Overrides::default() },
        ..EvaluateOptions::default()
    };
    match dti_core::evaluate(base, dataset, &options) {
        Ok(edited) => View {
            problems,
            framework: Some(framework),
            valid,
            rows: rows(original, &edited),
            changes,
            over_scale: over_scale(&edited),
            failure: None,
        },
        Err(error) => View {
            problems,
            framework: Some(framework),
            valid,
            rows: Vec::new(),
            changes,
            over_scale: None,
            failure: Some(error.to_string()),
        },
    }
}

/// The edited ranking by block (as the ministry view and the publication rank), blocks in
/// the file's order, best first in each, with each unit's places gained in its block
/// against the original.
pub fn rows(original: &Evaluation, edited: &Evaluation) -> Vec<Row> {
    let before: BTreeMap<&str, u32> = (0..original.n_units())
        .filter_map(|position| Some((original.units[position].id.as_str(), original.block_rank[position]?)))
        .collect();
    let root = edited.framework.root();
    let block_order: BTreeMap<&str, usize> =
        edited.framework.blocks.iter().enumerate().map(|(index, block)| (block.id.as_str(), index)).collect();
    let mut rows: Vec<Row> = (0..edited.n_units())
        .map(|position| {
            let unit = &edited.units[position];
            let rank = edited.block_rank[position];
            let change = rank.zip(before.get(unit.id.as_str())).map(|(now, was)| i64::from(*was) - i64::from(now));
            Row {
                unit: unit.id.clone(),
                name: unit.name.clone(),
                block: unit.block.clone(),
                score: edited.score(root, position),
                rank,
                change,
            }
        })
        .collect();
    let order =
        |row: &Row| row.block.as_deref().and_then(|block| block_order.get(block).copied()).unwrap_or(usize::MAX);
    rows.sort_by(|a, b| {
        (order(a), a.rank.unwrap_or(u32::MAX), &a.unit).cmp(&(order(b), b.rank.unwrap_or(u32::MAX), &b.unit))
    });
    rows
}

/// The highest score of the edited ranking when it is more than the scale's maximum
/// (weights on a sum of points can take the total past it): the page warns.
pub fn over_scale(edited: &Evaluation) -> Option<f64> {
    let root = edited.framework.root();
    let high = (0..edited.n_units()).filter_map(|unit| edited.score(root, unit)).fold(f64::NEG_INFINITY, f64::max);
    (high > edited.framework.scale.max * (1.0 + 1e-9)).then_some(high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desi() -> (Framework, Dataset, Evaluation) {
        let set = dti_core::builtin::builtin("desi").expect("built in");
        let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
        let dataset = dti_core::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("reads");
        let original = dti_core::evaluate(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
        (framework, dataset, original)
    }

    #[test]
    fn without_edits_nobody_moves_and_nothing_changed() {
        let (framework, dataset, original) = desi();
        let view = view(&original, Some(&framework), &framework, Vec::new(), &BTreeMap::new(), &dataset);
        assert!(view.valid && view.changes.is_empty() && view.failure.is_none());
        assert_eq!(view.rows.len(), original.n_units());
        assert!(view.rows.iter().all(|row| row.change == Some(0)), "{:?}", view.rows);
        assert!(view.rows.windows(2).all(|pair| pair[0].block != pair[1].block || pair[0].rank <= pair[1].rank));
    }

    #[test]
    fn a_heavier_pillar_moves_units_and_is_listed_as_a_change() {
        let (framework, dataset, original) = desi();
        let weights: BTreeMap<String, f64> = [("connectivity".to_owned(), 3.0)].into();
        let view = view(&original, Some(&framework), &framework, Vec::new(), &weights, &dataset);
        assert!(view.rows.iter().any(|row| row.change.is_some_and(|change| change != 0)), "{:?}", view.rows);
        let gained: i64 = view.rows.iter().filter_map(|row| row.change).sum();
        assert_eq!(gained, 0, "places gained and lost balance");
        assert_eq!(view.changes.len(), 1);
        assert_eq!((view.changes[0].id.as_str(), view.changes[0].what), ("connectivity", "weight"));
    }

    #[test]
    fn the_ranking_is_by_block_and_a_total_past_the_scale_is_caught() {
        let set = dti_core::builtin::builtin("vn-ministry").expect("built in");
        let framework = dti_core::load_framework(set.file_name, set.framework.as_bytes()).framework.expect("valid");
        let dataset = dti_core::load_data(set.data_name, set.data().as_bytes(), &framework).dataset.expect("reads");
        let original = dti_core::evaluate(&framework, &dataset, &EvaluateOptions::default()).expect("evaluates");
        let plain = view(&original, Some(&framework), &framework, Vec::new(), &BTreeMap::new(), &dataset);
        assert_eq!(plain.over_scale, None);
        let blocks: Vec<&Option<String>> = plain.rows.iter().map(|row| &row.block).collect();
        let mut runs = blocks.clone();
        runs.dedup();
        assert_eq!(runs.len(), framework.blocks.len(), "each block's units together: {runs:?}");
        assert!(plain.rows.iter().filter(|row| row.rank == Some(1)).count() >= framework.blocks.len());
        let heavy: BTreeMap<String, f64> = [("cybersecurity".to_owned(), 3.0)].into();
        let edited = view(&original, Some(&framework), &framework, Vec::new(), &heavy, &dataset);
        assert!(edited.over_scale.is_some_and(|high| high > 1000.0), "{:?}", edited.over_scale);
    }

    #[test]
    fn an_invalid_text_keeps_the_last_valid_ranking_and_says_where_it_is_wrong() {
        let (framework, dataset, original) = desi();
        let set = dti_core::builtin::builtin("desi").expect("built in");
        let broken = set.framework.replacen("aggregate = \"arithmetic\"", "aggregate = \"arithmetc\"", 1);
        let loaded = dti_core::load_framework("desi.toml", broken.as_bytes());
        assert!(loaded.framework.is_none());
        let found = problems(&loaded.diagnostics);
        let line = broken.lines().position(|line| line.contains("arithmetc")).expect("the typo") as u32 + 1;
        assert!(found.iter().any(|problem| problem.error && problem.line == line), "{found:?} at line {line}");
        let view = view(&original, None, &framework, found, &BTreeMap::new(), &dataset);
        assert!(!view.valid);
        assert_eq!(view.rows.len(), original.n_units());
    }
}
