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
    pub message: dti_core::message::Message,
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
    /// Its rank with the edits.
    pub rank: Option<u32>,
    /// Places gained against the original file (positive: up).
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
        Ok(edited) => {
            View { problems, framework: Some(framework), valid, rows: rows(original, &edited), changes, failure: None }
        }
        Err(error) => View {
            problems,
            framework: Some(framework),
            valid,
            rows: Vec::new(),
            changes,
            failure: Some(error.to_string()),
        },
    }
}

/// The edited ranking, best first, with each unit's places gained against the original.
pub fn rows(original: &Evaluation, edited: &Evaluation) -> Vec<Row> {
    let before: BTreeMap<&str, u32> = (0..original.n_units())
        .filter_map(|position| Some((original.units[position].id.as_str(), original.rank[position]?)))
        .collect();
    let root = edited.framework.root();
    let mut rows: Vec<Row> = (0..edited.n_units())
        .map(|position| {
            let unit = &edited.units[position];
            let rank = edited.rank[position];
            let change = rank.zip(before.get(unit.id.as_str())).map(|(now, was)| i64::from(*was) - i64::from(now));
            Row { unit: unit.id.clone(), name: unit.name.clone(), score: edited.score(root, position), rank, change }
        })
        .collect();
    rows.sort_by(|a, b| (a.rank.unwrap_or(u32::MAX), &a.unit).cmp(&(b.rank.unwrap_or(u32::MAX), &b.unit)));
    rows
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
        assert!(view.rows.windows(2).all(|pair| pair[0].rank <= pair[1].rank));
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
