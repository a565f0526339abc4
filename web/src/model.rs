//! What the page shows, computed from the engine's results: pure functions, tested natively.

use dti_core::assessment::{Assessment, NextStep, Submission, assess, next_steps};
use dti_core::framework::{Framework, NodeKind};
use dti_core::{Diagnostic, load_framework};
use std::rc::Rc;

use crate::state::FrameworkChoice;

/// Shared data compared by identity: what one computation produced stays equal to
/// itself, so components re-render only when it is recomputed.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    /// Shares a value.
    pub fn new(value: T) -> Self {
        Self(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// An indicator file, loaded and checked.
#[derive(Debug, Clone)]
pub struct LoadedSet {
    /// The checked framework, when the file is valid.
    pub framework: Option<Shared<Framework>>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The file's name.
    pub file_name: String,
}

impl PartialEq for LoadedSet {
    fn eq(&self, other: &Self) -> bool {
        self.sha256 == other.sha256 && self.file_name == other.file_name
    }
}

/// Loads a draft's indicator file.
pub fn load_set(choice: &FrameworkChoice) -> LoadedSet {
    let (name, text): (String, &str) = match choice {
        FrameworkChoice::Builtin(id) => match dti_core::builtin::builtin(id) {
            Some(set) => (set.file_name.to_owned(), set.framework),
            None => (format!("{id}.toml"), ""),
        },
        FrameworkChoice::File { name, text } => (name.clone(), text.as_str()),
    };
    let loaded = load_framework(&name, text.as_bytes());
    LoadedSet {
        framework: loaded.framework.map(Shared::new),
        diagnostics: loaded.diagnostics,
        sha256: loaded.sha256,
        file_name: name,
    }
}

/// One pillar's result.
#[derive(Debug, Clone, PartialEq)]
pub struct PillarResult {
    /// The node's index.
    pub node: usize,
    /// Its score (0 when not evaluated).
    pub points: f64,
    /// Its maximum.
    pub max: f64,
}

impl PillarResult {
    /// Points over the maximum, from 0 to 1.
    pub fn share(&self) -> f64 {
        if self.max > 0.0 { (self.points / self.max).clamp(0.0, 1.0) } else { 0.0 }
    }
}

/// Everything the results panel shows.
#[derive(Debug, Clone)]
pub struct Results {
    /// The assessment (evaluation, problems per field, completeness).
    pub assessment: Assessment,
    /// The index as displayed, and its maximum.
    pub score: Option<f64>,
    /// The scale's maximum.
    pub max: f64,
    /// The root's maturity level name (vi, en), when reached.
    pub level: Option<dti_core::framework::Text>,
    /// The root's children.
    pub pillars: Vec<PillarResult>,
    /// What to improve next.
    pub next_steps: Vec<NextStep>,
}

/// Computes the results of a submission.
pub fn results(framework: &Framework, submission: &Submission) -> Results {
    let assessment = assess(framework, submission);
    let evaluation = assessment.evaluation.as_ref();
    let root = framework.root();
    let pillars = framework.nodes[root]
        .children
        .iter()
        .filter(|&&child| framework.nodes[child].scores())
        .map(|&node| PillarResult {
            node,
            points: evaluation.and_then(|evaluation| evaluation.score(node, 0)).unwrap_or(0.0),
            max: framework.nodes[node].range.map_or(0.0, |range| range.high),
        })
        .collect();
    Results {
        score: evaluation.and_then(|evaluation| evaluation.display_score(0)),
        max: framework.scale.max,
        level: evaluation.and_then(|evaluation| evaluation.root_level(0)).map(|level| level.name.clone()),
        pillars,
        next_steps: next_steps(framework, submission, &assessment, 5),
        assessment,
    }
}

/// The indicators under a node, depth first, in file order.
pub fn indicators_under(framework: &Framework, node: usize) -> Vec<usize> {
    match framework.nodes[node].kind {
        NodeKind::Indicator(_) => vec![node],
        NodeKind::Aggregate { .. } => {
            framework.nodes[node].children.iter().flat_map(|&child| indicators_under(framework, child)).collect()
        }
    }
}

/// The corners of a radar chart: one axis per share (0 to 1), the first pointing up,
/// as SVG polygon points around `(center, center)` with the given radius.
pub fn radar_points(shares: &[f64], center: f64, radius: f64) -> String {
    let n = shares.len().max(1) as f64;
    shares
        .iter()
        .enumerate()
        .map(|(index, share)| {
            let angle = std::f64::consts::TAU * index as f64 / n - std::f64::consts::FRAC_PI_2;
            let r = radius * share.clamp(0.0, 1.0);
            format!("{:.1},{:.1}", center + r * angle.cos(), center + r * angle.sin())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Formats a number with a fixed number of decimals, without a minus sign on zero.
pub fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { text.replace('-', "") } else { text }
}

/// A submission as a long CSV table the `dti` command line reads (with a BOM, so that
/// Excel opens the Vietnamese text correctly).
pub fn submission_csv(submission: &Submission) -> String {
    let quote = |text: &str| {
        // Neutralise spreadsheet formulas, and quote every field.
        let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", text.replace('"', "\"\""))
    };
    let mut out = String::from("\u{feff}unit,name,block,period,indicator,value,evidence,evidence_date,note\n");
    for (indicator, entry) in &submission.values {
        let value = if entry.items.is_empty() { entry.value.clone() } else { entry.items.join(";") };
        let fields = [
            submission.unit_id.as_str(),
            submission.unit_name.as_str(),
            submission.block.as_deref().unwrap_or(""),
            submission.period.as_str(),
            indicator.as_str(),
            value.as_str(),
            entry.evidence.as_str(),
            entry.evidence_date.as_str(),
            entry.note.as_str(),
        ];
        out.push_str(&fields.map(quote).join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dti_core::assessment::Entry;

    #[test]
    fn a_radar_of_full_shares_touches_the_radius_and_starts_at_the_top() {
        let points = radar_points(&[1.0, 1.0, 1.0, 1.0], 100.0, 50.0);
        assert_eq!(points, "100.0,50.0 150.0,100.0 100.0,150.0 50.0,100.0");
        assert_eq!(radar_points(&[0.0, 2.0], 10.0, 10.0), "10.0,10.0 10.0,20.0");
    }

    #[test]
    fn the_built_in_set_loads_and_an_empty_submission_scores_zero() {
        let set = load_set(&FrameworkChoice::default());
        let framework = set.framework.expect("valid");
        let results = results(&framework, &Submission::default());
        assert_eq!(results.score.unwrap_or(0.0), 0.0);
        assert_eq!(results.pillars.len(), 6);
        assert_eq!(results.pillars.iter().map(|pillar| pillar.max).sum::<f64>(), 1000.0);
        assert_eq!(results.next_steps.len(), 5);
    }

    #[test]
    fn a_broken_file_gives_diagnostics_with_lines() {
        let set = load_set(&FrameworkChoice::File {
            name: "bad.toml".into(),
            text: "id = \"x\"\n[[indicators]]\nid = 3\n".into(),
        });
        assert!(set.framework.is_none());
        assert!(set.diagnostics.iter().any(|diagnostic| diagnostic.location.line > 0));
    }

    #[test]
    fn the_csv_export_quotes_fields_and_neutralises_formulas() {
        let mut submission = Submission { unit_id: "S1".into(), period: "2026".into(), ..Submission::default() };
        submission
            .values
            .insert("a".into(), Entry { value: "12".into(), note: "=HYPERLINK(\"x\")".into(), ..Entry::default() });
        submission.values.insert("b".into(), Entry { items: vec!["x".into(), "y".into()], ..Entry::default() });
        let csv = submission_csv(&submission);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "\"S1\",\"\",\"\",\"2026\",\"a\",\"12\",\"\",\"\",\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(lines[2], "\"S1\",\"\",\"\",\"2026\",\"b\",\"x;y\",\"\",\"\",\"\"");
    }

    #[test]
    fn fixed_never_shows_minus_zero() {
        assert_eq!(fixed(-0.00001, 2), "0.00");
        assert_eq!(fixed(-1.5, 1), "-1.5");
    }
}
