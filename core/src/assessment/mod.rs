//! One unit's self-assessment: what it typed per indicator (a [`Submission`]), its
//! evaluation with a problem per field, and "what to improve next".
//!
//! The web app keeps a submission as the user types and calls [`assess`] on every
//! change; the same function runs natively, so a submission scores the same everywhere.

use crate::data::values::{Parsed, checklist_points, parse_value};
use crate::data::{Cell, Dataset, DatasetBuilder, Unit, ValueDetails};
use crate::diag::Diagnostic;
use crate::evaluation::Evaluation;
use crate::framework::{Framework, ValueType};
use crate::pipeline::{EvaluateOptions, evaluate};
use crate::text::to_u32;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The entry of an indicator nothing was entered for.
static NO_ENTRY: Entry = Entry {
    value: String::new(),
    items: Vec::new(),
    evidence: String::new(),
    evidence_date: String::new(),
    note: String::new(),
};

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
    /// The SHA-256 of everything above, written by [`Submission::to_json`]: a file changed
    /// after its export no longer matches it (see [`Submission::integrity`]). It catches an
    /// edit by hand or by another program, not a forger who recomputes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// Whether a submission file is as it was exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// Its seal matches its content.
    Intact,
    /// It has no seal (written by hand, by another tool, or by an older version).
    Unsealed,
    /// Its content changed after its export: the seal no longer matches.
    Edited,
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

impl SubmissionError {
    /// The error as a diagnostic at its place, its message as data.
    pub fn diagnostic(&self) -> Diagnostic {
        use crate::message::{Arg, Message};
        match self {
            SubmissionError::Syntax { file, line, column, message } => {
                let location = crate::diag::Location {
                    file: file.clone(),
                    line: crate::text::to_u32(*line),
                    column: crate::text::to_u32(*column),
                    ..Default::default()
                };
                Diagnostic::error(
                    crate::diag::Code::Syntax,
                    Message::JsonSyntax { detail: Arg::detail(message) },
                    location,
                )
            }
            SubmissionError::Format { file, found } => {
                let location = crate::diag::Location { file: file.clone(), ..Default::default() };
                let message =
                    Message::NotASubmission { found: Arg::code(found), expected: Arg::code(SUBMISSION_FORMAT) };
                Diagnostic::error(crate::diag::Code::Syntax, message, location)
            }
        }
    }
}

impl Submission {
    /// The submissions in a CSV table (a submission's own CSV export, or any CSV data
    /// file): one per unit and period, in the table's order. A value that breaks its
    /// indicator's rule is kept as it was typed (the form shows it refused); every
    /// problem is returned with the submissions, `Err` when none could be read.
    pub fn from_csv(
        framework: &Framework,
        sha256: &str,
        file: &str,
        bytes: &[u8],
    ) -> Result<(Vec<Submission>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (dataset, diagnostics) =
            crate::data::read_csv_with(file, bytes, framework, crate::data::ReadOptions::LENIENT);
        let Some(dataset) = dataset else { return Err(diagnostics) };
        let mut submissions = Vec::new();
        for (period, table) in dataset.tables.iter().enumerate() {
            for unit in (0..dataset.n_units()).filter(|&unit| table.present[unit]) {
                submissions.push(Self::from_dataset(framework, sha256, &dataset, period, unit));
            }
        }
        Ok((submissions, diagnostics))
    }

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
                evidence_date: dataset.evidence_date(period, unit, variable).unwrap_or_default(),
                note: text(details.and_then(|details| details.note.as_ref())),
                ..Entry::default()
            };
            match (&indicator.value_type, details.and_then(|details| details.items.as_ref())) {
                // A value the data set refused comes back as it was typed: nothing is lost.
                _ if details.is_some_and(|details| details.refused.is_some()) => {
                    entry.value = text(details.and_then(|details| details.refused.as_ref()));
                }
                (ValueType::Checklist { .. }, Some(items)) => entry.items = items.clone(),
                _ => entry.value = value.map(crate::text::format_number).unwrap_or_default(),
            }
            if entry != Entry::default() {
                submission.values.insert(node.id.clone(), entry);
            }
        }
        submission
    }

    /// The submission as pretty JSON, sealed with the SHA-256 of its content.
    pub fn to_json(&self) -> String {
        let sealed = Submission { seal: Some(self.content_sha256()), ..self.clone() };
        serde_json::to_string_pretty(&sealed).unwrap_or_default()
    }

    /// Whether the submission is as it was exported: its seal against its content. Only
    /// the content counts, so re-indenting or reordering the file's keys changes nothing.
    pub fn integrity(&self) -> Integrity {
        match &self.seal {
            None => Integrity::Unsealed,
            Some(seal) if *seal == self.content_sha256() => Integrity::Intact,
            Some(_) => Integrity::Edited,
        }
    }

    /// The SHA-256 of the content in a canonical form (the pretty JSON of every field but
    /// the seal, entries in id order: the same serialiser as the export, which keeps the
    /// web bundle from carrying a second one).
    fn content_sha256(&self) -> String {
        let content = Submission { seal: None, ..self.clone() };
        crate::provenance::sha256_hex(serde_json::to_string_pretty(&content).unwrap_or_default().as_bytes())
    }
}

/// The result of assessing a submission.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The evaluation of the single unit (`None` when nothing could be evaluated).
    pub evaluation: Option<Evaluation>,
    /// A problem per indicator id whose value was refused (the value then counts as missing).
    pub problems: BTreeMap<String, Diagnostic>,
    /// Indicators (scored and applicable) with a value, over those that apply.
    pub completeness: (usize, usize),
}

/// Evaluates one submission against a framework.
pub fn assess(framework: &Framework, submission: &Submission) -> Assessment {
    let (dataset, problems, completeness) = submission_dataset(framework, submission);
    let evaluation = dataset.and_then(|dataset| evaluate(framework, &dataset, &EvaluateOptions::default()).ok());
    Assessment { evaluation, problems, completeness }
}

/// A submission as a one-unit data set, with a problem per refused value and the
/// completeness (present, applicable). A refused value counts as missing (and is
/// flagged): the rest of the submission still scores.
fn submission_dataset(
    framework: &Framework,
    submission: &Submission,
) -> (Option<Dataset>, BTreeMap<String, Diagnostic>, (usize, usize)) {
    let unit_id = if submission.unit_id.is_empty() { "unit" } else { submission.unit_id.as_str() };
    let block = submission.block.as_deref().and_then(|block| framework.block_index(block));
    let mut builder = DatasetBuilder::new(framework, "submission").with_options(crate::data::ReadOptions::LENIENT);
    let unit = builder.unit(
        Unit {
            id: unit_id.into(),
            name: submission.unit_name.clone(),
            block: block.map(|index| framework.blocks[index].id.clone()),
            ..Unit::default()
        },
        0,
    );
    builder.touch(SUBMISSION_PERIOD, unit, 0);
    let mut problems = BTreeMap::new();
    let (mut present, mut applicable) = (0, 0);
    for node in &framework.nodes {
        let Some(indicator) = node.indicator() else { continue };
        let entry = submission.values.get(&node.id);
        let applies = indicator.applies_to_block(block) && !indicator.info_only;
        applicable += usize::from(applies);
        let Some(entry) = entry else { continue };
        let Some(variable) = builder.variable(&node.id) else { continue };
        let cell = entry_cell(&indicator.value_type, entry);
        let (had, refused) = (builder.diagnostic_count(), builder.refused_count());
        let details = ValueDetails {
            evidence: non_empty(&entry.evidence),
            evidence_date: non_empty(&entry.evidence_date),
            note: non_empty(&entry.note),
            ..ValueDetails::default()
        };
        builder.value(SUBMISSION_PERIOD, unit, variable, &cell, details, 0, None, false);
        if builder.refused_count() > refused {
            if let Some(problem) = builder.diagnostics_since(had).next() {
                problems.insert(node.id.clone(), problem.clone());
            }
        } else if applies && !matches!(cell, Cell::Empty) {
            present += 1;
        }
    }
    (builder.finish().0, problems, (present, applicable))
}

/// The values of a submission that break their indicator's rule, each a warning naming
/// `file`, the unit and the indicator (its field path is the indicator's id): what
/// `dti merge` and the ministry's view say of a submission before it is merged.
pub fn refused_values(framework: &Framework, submission: &Submission, file: &str) -> Vec<Diagnostic> {
    let (_, problems, _) = submission_dataset(framework, submission);
    problems
        .into_values()
        .map(|mut problem| {
            problem.location.file = file.to_owned();
            problem
        })
        .collect()
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

pub mod merge;
mod steps;

pub use steps::*;

/// The built-in `vn-ministry` set and its digest, for tests.
#[cfg(test)]
fn ministry() -> (Framework, String) {
    let set = crate::builtin::builtin("vn-ministry").expect("built in");
    let loaded = crate::load_framework(set.file_name, set.framework.as_bytes());
    (loaded.framework.expect("valid"), loaded.sha256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;

    #[test]
    fn an_exported_submission_is_intact_and_an_edited_one_is_detected() {
        let (framework, sha) = ministry();
        let mut submission = Submission::new(&framework, &sha);
        submission.unit_name = "Sở Thông tin và Truyền thông".into();
        submission.values.insert("dt-online-dossiers".into(), Entry { value: "72.5".into(), ..Entry::default() });
        let exported = submission.to_json();
        let read = |text: &str| Submission::from_json("s.json", text).expect("reads");
        assert_eq!(read(&exported).integrity(), Integrity::Intact);

        // Layout is not content: compact JSON with the same values is still intact.
        let compact = serde_json::to_string(&read(&exported)).expect("serialises");
        assert_eq!(read(&compact).integrity(), Integrity::Intact);

        // A value changed by hand, or the unit's name, is an edit.
        assert_eq!(read(&exported.replace("72.5", "92.5")).integrity(), Integrity::Edited);
        assert_eq!(read(&exported.replace("Truyền thông", "Truyen thong")).integrity(), Integrity::Edited);

        // A file without a seal (by hand, or an older export) says so.
        let unsealed = serde_json::to_string(&Submission { seal: None, ..read(&exported) }).expect("serialises");
        assert_eq!(read(&unsealed).integrity(), Integrity::Unsealed);

        // Exporting again after an edit seals the new content.
        let edited = read(&exported.replace("72.5", "92.5"));
        assert_eq!(read(&edited.to_json()).integrity(), Integrity::Intact);
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
        let problem = &assessment.problems[&percent.id].message;
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
        assert!(back.seal.is_some(), "an export is sealed");
        assert_eq!(Submission { seal: None, ..back }, submission);
        let other = submission.to_json().replace(SUBMISSION_FORMAT, "something/2");
        assert!(matches!(Submission::from_json("s.json", &other), Err(SubmissionError::Format { .. })));
        let broken = Submission::from_json("s.json", "{\n  \"format\": ");
        assert!(matches!(broken, Err(SubmissionError::Syntax { line: 2, .. })), "{broken:?}");
    }
}
